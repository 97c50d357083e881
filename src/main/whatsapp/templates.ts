import { AppError } from '../../shared/contract/errors';
import { MESSAGE_KINDS, type MessageKind, type TemplateView } from '../../shared/contract/whatsapp';
import { OfficeTime } from '../../shared/whatsapp/pacing';
import {
  DEFAULT_TEMPLATES,
  renderTemplate,
  unknownVariables,
  type TemplateValues,
} from '../../shared/whatsapp/templates';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { FeatureBase } from '../feature';

/** Message templates: an edited row overrides the built-in Indonesian default of its kind. */
export class TemplateStore {
  private time: OfficeTime | null = null;
  constructor(
    private readonly base: FeatureBase,
    private readonly random: () => number,
  ) {}

  list(): TemplateView[] {
    const rows = new Map(
      (
        this.base.database.sqlite.prepare('SELECT kind, body, enabled, version FROM wa_templates').all() as {
          kind: MessageKind;
          body: string;
          enabled: number;
          version: number;
        }[]
      ).map((r) => [r.kind, r]),
    );
    return MESSAGE_KINDS.map((kind) => {
      const r = rows.get(kind);
      return {
        kind,
        body: r?.body ?? DEFAULT_TEMPLATES[kind],
        defaultBody: DEFAULT_TEMPLATES[kind],
        isDefault: !r,
        enabled: r ? r.enabled === 1 : true,
        version: r?.version ?? 0,
      };
    });
  }

  get(kind: MessageKind): TemplateView {
    const t = this.list().find((x) => x.kind === kind);
    if (!t) throw new AppError('NOT_FOUND', 'Templat tidak ditemukan');
    return t;
  }

  async update(
    actor: Actor,
    input: { kind: MessageKind; body: string; enabled: boolean; version: number },
  ): Promise<TemplateView> {
    const unknown = unknownVariables(input.body);
    if (unknown.length > 0) {
      throw new AppError('VALIDATION', `Variabel tidak dikenal: ${unknown.map((u) => `{${u}}`).join(', ')}`, {
        issues: [
          {
            path: 'body',
            message: `Variabel tidak dikenal: ${unknown.map((u) => `{${u}}`).join(', ')}`,
            code: 'custom',
          },
        ],
      });
    }
    const now = this.base.clock.now();
    await this.base.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('wa_templates')
        .selectAll()
        .where('kind', '=', input.kind)
        .executeTakeFirst();
      if ((row?.version ?? 0) !== input.version) {
        throw new AppError('CONFLICT', 'Templat baru saja diubah orang lain. Muat ulang lalu coba lagi.', {
          currentVersion: row?.version ?? 0,
        });
      }
      if (row) {
        await trx
          .updateTable('wa_templates')
          .set({
            body: input.body,
            enabled: input.enabled ? 1 : 0,
            version: row.version + 1,
            updated_at: now,
          })
          .where('kind', '=', input.kind)
          .execute();
      } else {
        await trx
          .insertInto('wa_templates')
          .values({
            kind: input.kind,
            body: input.body,
            enabled: input.enabled ? 1 : 0,
            version: 1,
            updated_at: now,
          })
          .execute();
      }
      await recordChange(trx, this.base, {
        actor,
        action: 'whatsapp.templates.update',
        entity: 'whatsapp_template',
        entityId: input.kind,
        before: row
          ? { body: row.body, enabled: row.enabled === 1 }
          : { body: DEFAULT_TEMPLATES[input.kind], enabled: true },
        after: { body: input.body, enabled: input.enabled },
        op: 'update',
      });
    });
    return this.get(input.kind);
  }

  async reset(actor: Actor, kind: MessageKind): Promise<TemplateView> {
    await this.base.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('wa_templates')
        .selectAll()
        .where('kind', '=', kind)
        .executeTakeFirst();
      await trx.deleteFrom('wa_templates').where('kind', '=', kind).execute();
      await recordChange(trx, this.base, {
        actor,
        action: 'whatsapp.templates.reset',
        entity: 'whatsapp_template',
        entityId: kind,
        before: row ? { body: row.body } : null,
        after: { body: DEFAULT_TEMPLATES[kind] },
        op: 'update',
      });
    });
    return this.get(kind);
  }

  /** Renders a body with a fresh greeting/closing variation at the current office hour. */
  render(body: string, values: TemplateValues): string {
    const tz = this.base.settings.timeZone;
    // Kept between renders: a fresh OfficeTime per message re-resolves the zone offset every time.
    if (this.time?.timeZone !== tz) this.time = new OfficeTime(tz);
    const hour = Math.floor(this.time.minuteOfDay(this.base.clock.now()) / 60);
    return renderTemplate(body, values, { officeHour: hour, pick: (n) => Math.floor(this.random() * n) % n });
  }
}
