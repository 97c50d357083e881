import { AppError } from '../../shared/contract/errors';
import { BillingSettings } from '../../shared/contract/billing';
import { recordChange } from '../audit';
import type { Actor, Deps } from '../context';

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  customerIdPattern: '{LOC}-{ROUTER}{DDMMYY}-{NNN}',
  invoiceNumberPattern: 'INV/{YYYY}/{MM}/{NNNNN}',
  receiptNumberPattern: 'KW/{YYYY}/{MM}/{NNNNN}',
  creditNotePattern: 'CN/{YYYY}/{NNNNN}',
  usernamePattern: '{ROUTER}{RRR}',
  generateDaysBefore: 0,
  prorateFirstPeriod: false,
  taxRate: 11,
  graceDays: 3,
  noIsolationWeekdays: [0],
  holidays: [],
  disableAfterDays: 0,
  restorePolicy: 'full',
  autoIsolation: true,
  defaultIsolation: { method: 'profile', isolationProfile: 'ISOLIR', addressList: 'ISOLIR' },
  routerIsolation: {},
  receiptFields: {
    logo: true,
    officeName: true,
    customerPhone: true,
    nik: false,
    area: true,
    package: true,
    period: true,
    discount: true,
    method: true,
    paidAt: true,
    recordedBy: true,
  },
  invoiceRunAt: '00:10',
  isolationRunAt: '10:00',
};

export type BillingSettingsView = BillingSettings & { version: number };

/** Billing settings: one validated JSON row with a version, cached (schedulers read it on every run). */
export class BillingSettingsStore {
  private cache: BillingSettingsView | null = null;
  constructor(private readonly deps: Deps) {}

  get(): BillingSettingsView {
    if (this.cache) return this.cache;
    const row = this.deps.database.sqlite
      .prepare('SELECT data, version FROM billing_settings WHERE id = 1')
      .get() as { data: string; version: number } | undefined;
    const parsed = row
      ? BillingSettings.safeParse({ ...DEFAULT_BILLING_SETTINGS, ...(JSON.parse(row.data) as object) })
      : null;
    this.cache = {
      ...(parsed?.success ? parsed.data : DEFAULT_BILLING_SETTINGS),
      version: row?.version ?? 0,
    };
    return this.cache;
  }

  async update(
    actor: Actor,
    patch: Partial<BillingSettings> & { version: number },
  ): Promise<BillingSettingsView> {
    const { version, ...changes } = patch;
    const current = this.get();
    if (current.version !== version) {
      throw new AppError(
        'CONFLICT',
        'Pengaturan tagihan baru saja diubah orang lain. Muat ulang lalu coba lagi.',
        {
          currentVersion: current.version,
        },
      );
    }
    const { version: _v, ...before } = current;
    const after = BillingSettings.parse({ ...before, ...changes });
    const now = this.deps.clock.now();
    await this.deps.database.db.transaction().execute(async (trx) => {
      const res = await trx
        .insertInto('billing_settings')
        .values({ id: 1, data: JSON.stringify(after), version: version + 1, updated_at: now })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ data: JSON.stringify(after), version: version + 1, updated_at: now })
            .where('billing_settings.version', '=', version),
        )
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0)
        throw new AppError('CONFLICT', 'Pengaturan tagihan baru saja diubah orang lain.');
      await recordChange(trx, this.deps, {
        actor,
        action: 'billing.settings.update',
        entity: 'billing_settings',
        entityId: 'billing',
        before,
        after,
        op: 'update',
      });
    });
    this.cache = null;
    return this.get();
  }
}
