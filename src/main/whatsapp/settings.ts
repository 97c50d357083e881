import { AppError } from '../../shared/contract/errors';
import { WaSettings } from '../../shared/contract/whatsapp';
import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from '../../shared/whatsapp/keywords';
import { hhmmToMinutes, type PacingRules } from '../../shared/whatsapp/pacing';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import type { FeatureBase } from '../feature';

/** Defaults from the requirements' anti-ban section: 8–15 s + up to 5 s jitter, 50/hour, 300/day, rest 5 min per 20. */
export const DEFAULT_WA_SETTINGS: WaSettings = {
  pacing: {
    minDelaySec: 8,
    maxDelaySec: 15,
    jitterSec: 5,
    hourlyCap: 50,
    dailyCap: 300,
    batchSize: 20,
    cooldownMin: 5,
    businessStart: '07:00',
    businessEnd: '20:00',
    maxAttempts: 3,
    retryBaseMin: 10,
    warmup: false,
  },
  triggers: {
    invoiceIssued: true,
    reminderDaysBefore: [3, 1],
    reminderOnDue: true,
    reminderDaysAfter: [1, 3],
    reminderTime: '08:00',
    receipt: true,
    isolation: true,
    restore: true,
  },
  failureAlertThreshold: 5,
  inbound: { optOutKeywords: DEFAULT_OPT_OUT_KEYWORDS, optInKeywords: DEFAULT_OPT_IN_KEYWORDS },
};

export interface WaSettingsSnapshot {
  settings: WaSettings;
  version: number;
}

/** WhatsApp settings: one JSON row with a version, cached because the worker reads it for every send. */
export class WaSettingsStore {
  private cache: WaSettingsSnapshot | null = null;
  constructor(private readonly base: FeatureBase) {}

  get(): WaSettingsSnapshot {
    if (this.cache) return this.cache;
    const row = this.base.database.sqlite
      .prepare('SELECT data, version FROM wa_settings WHERE id = 1')
      .get() as { data: string; version: number } | undefined;
    if (!row) return (this.cache = { settings: DEFAULT_WA_SETTINGS, version: 0 });
    const stored = JSON.parse(row.data) as Partial<WaSettings>;
    const parsed = WaSettings.safeParse({
      ...DEFAULT_WA_SETTINGS,
      ...stored,
      pacing: { ...DEFAULT_WA_SETTINGS.pacing, ...stored.pacing },
      triggers: { ...DEFAULT_WA_SETTINGS.triggers, ...stored.triggers },
      // Settings saved before reply keywords existed get the defaults.
      inbound: { ...DEFAULT_WA_SETTINGS.inbound, ...stored.inbound },
    });
    return (this.cache = {
      settings: parsed.success ? parsed.data : DEFAULT_WA_SETTINGS,
      version: row.version,
    });
  }

  async update(actor: Actor, settings: WaSettings, version: number): Promise<WaSettingsSnapshot> {
    const now = this.base.clock.now();
    await this.base.database.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('wa_settings').selectAll().where('id', '=', 1).executeTakeFirst();
      const current = row?.version ?? 0;
      if (current !== version) {
        throw new AppError(
          'CONFLICT',
          'Pengaturan WhatsApp baru saja diubah orang lain. Muat ulang lalu coba lagi.',
          {
            currentVersion: current,
          },
        );
      }
      const before = this.get().settings;
      if (row) {
        await trx
          .updateTable('wa_settings')
          .set({ data: JSON.stringify(settings), version: current + 1, updated_at: now })
          .where('id', '=', 1)
          .execute();
      } else {
        await trx
          .insertInto('wa_settings')
          .values({ id: 1, data: JSON.stringify(settings), version: 1, updated_at: now })
          .execute();
      }
      await recordChange(trx, this.base, {
        actor,
        action: 'whatsapp.settings.update',
        entity: 'whatsapp_settings',
        entityId: 'whatsapp',
        before,
        after: settings,
        op: 'update',
      });
    });
    this.cache = null;
    return this.get();
  }

  rules(warmupFrom: number | null): PacingRules {
    const p = this.get().settings.pacing;
    return {
      minDelayMs: p.minDelaySec * 1000,
      maxDelayMs: p.maxDelaySec * 1000,
      jitterMs: p.jitterSec * 1000,
      hourlyCap: p.hourlyCap,
      dailyCap: p.dailyCap,
      batchSize: p.batchSize,
      cooldownMs: p.cooldownMin * 60_000,
      businessStartMin: hhmmToMinutes(p.businessStart),
      businessEndMin: hhmmToMinutes(p.businessEnd),
      timeZone: this.base.settings.timeZone,
      warmupFrom: p.warmup ? warmupFrom : null,
    };
  }
}
