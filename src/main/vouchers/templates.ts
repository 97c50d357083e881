/** The office's voucher print templates: validated data stored per layout, the built-in one when absent. */
import { AppError } from '../../shared/contract/errors';
import {
  defaultVoucherTemplate,
  voucherTemplateSchema,
  type VoucherLayout,
  type VoucherTemplate,
  type VoucherTemplateInput,
} from '../../shared/vouchers/print-template';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { VouchersContext } from './common';

export interface TemplateView {
  template: VoucherTemplate;
  isDefault: boolean;
  version: number;
}

export async function getTemplate(ctx: VouchersContext, layout: VoucherLayout): Promise<TemplateView> {
  const row = await ctx.base.database.db
    .selectFrom('voucher_print_templates')
    .selectAll()
    .where('layout', '=', layout)
    .executeTakeFirst();
  if (!row) return { template: defaultVoucherTemplate(layout), isDefault: true, version: 0 };
  const parsed = voucherTemplateSchema.safeParse(JSON.parse(row.template_json));
  // A template that no longer validates (older format) prints with the built-in one rather than failing.
  return parsed.success
    ? { template: parsed.data, isDefault: false, version: row.version }
    : { template: defaultVoucherTemplate(layout), isDefault: true, version: row.version };
}

export async function saveTemplate(
  ctx: VouchersContext,
  actor: Actor,
  layout: VoucherLayout,
  input: VoucherTemplateInput,
  version?: number,
): Promise<TemplateView> {
  const template = voucherTemplateSchema.parse(input);
  const now = ctx.base.clock.now();
  await ctx.base.database.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('voucher_print_templates')
      .selectAll()
      .where('layout', '=', layout)
      .executeTakeFirst();
    if (before && version !== undefined && before.version !== version) {
      throw new AppError('CONFLICT', 'Templat ini baru saja diubah orang lain. Muat ulang lalu coba lagi.');
    }
    if (before) {
      await trx
        .updateTable('voucher_print_templates')
        .set({ template_json: JSON.stringify(template), updated_at: now, version: before.version + 1 })
        .where('layout', '=', layout)
        .execute();
    } else {
      await trx
        .insertInto('voucher_print_templates')
        .values({ layout, template_json: JSON.stringify(template), updated_at: now, version: 1 })
        .execute();
    }
    await recordChange(trx, ctx.base, {
      actor,
      action: 'vouchers.templates.save',
      entity: 'voucher_print_template',
      entityId: layout,
      before: before ? JSON.parse(before.template_json) : undefined,
      after: template,
      op: before ? 'update' : 'insert',
    });
  });
  return getTemplate(ctx, layout);
}

export async function resetTemplate(
  ctx: VouchersContext,
  actor: Actor,
  layout: VoucherLayout,
): Promise<TemplateView> {
  await ctx.base.database.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('voucher_print_templates')
      .selectAll()
      .where('layout', '=', layout)
      .executeTakeFirst();
    if (!before) return;
    await trx.deleteFrom('voucher_print_templates').where('layout', '=', layout).execute();
    await recordChange(trx, ctx.base, {
      actor,
      action: 'vouchers.templates.reset',
      entity: 'voucher_print_template',
      entityId: layout,
      before: JSON.parse(before.template_json),
      op: 'delete',
    });
  });
  return getTemplate(ctx, layout);
}
