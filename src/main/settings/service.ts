import { createHash } from 'node:crypto';
import { AppError } from '../../shared/contract/errors';
import { LOGO_MAX_BYTES, OfficeSettings, type SettingsView } from '../../shared/contract/settings';
import { DEFAULT_TIME_ZONE } from '../../shared/dates';
import { recordChange } from '../audit';
import type { Actor, Deps } from '../context';
import type { Db, Trx } from '../db/database';

export const DEFAULT_SETTINGS: OfficeSettings = {
  officeName: 'Kantor Rukun',
  address: '',
  phone: '',
  email: '',
  bankAccounts: [],
  timeZone: DEFAULT_TIME_ZONE,
  receiptFooter: 'Terima kasih atas pembayaran Anda.',
  language: 'id',
  publicUrl: '',
};

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/**
 * Office settings: one validated JSON row with a version. Cached in memory because every screen, printed
 * document and the time-zone-aware schedulers read it.
 */
export class SettingsService {
  private cache: SettingsView | null = null;

  constructor(private readonly deps: Deps) {}

  private get db(): Db {
    return this.deps.database.db;
  }

  async init(officeName: string, trx: Trx): Promise<void> {
    const data: OfficeSettings = { ...DEFAULT_SETTINGS, officeName };
    await trx
      .insertInto('office_settings')
      .values({
        id: 1,
        data: JSON.stringify(data),
        version: 1,
        updated_at: this.deps.clock.now(),
        logo_asset_id: null,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data: JSON.stringify(data) }))
      .execute();
    this.cache = null;
  }

  async get(): Promise<SettingsView> {
    if (this.cache) return this.cache;
    const row = await this.db
      .selectFrom('office_settings')
      .leftJoin('assets', 'assets.id', 'office_settings.logo_asset_id')
      .select(['office_settings.data', 'office_settings.version', 'assets.sha256'])
      .where('office_settings.id', '=', 1)
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_SETTINGS, logoUrl: null, version: 0 };
    // Tolerant read: fields added in later versions get their defaults.
    const parsed = OfficeSettings.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(row.data) });
    const data = parsed.success ? parsed.data : DEFAULT_SETTINGS;
    this.cache = {
      ...data,
      logoUrl: row.sha256 ? `/assets/logo?v=${row.sha256.slice(0, 12)}` : null,
      version: row.version,
    };
    return this.cache;
  }

  /** The configured LAN public URL ('' = derive from the listener); read synchronously for link building. */
  get cachedPublicUrl(): string {
    return this.cache?.publicUrl ?? '';
  }

  /** Synchronous access for hot paths (schedulers, formatting); falls back to defaults before setup. */
  get timeZone(): string {
    return this.cache?.timeZone ?? DEFAULT_TIME_ZONE;
  }

  async update(actor: Actor, patch: Partial<OfficeSettings> & { version: number }): Promise<SettingsView> {
    const { version, ...changes } = patch;
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('office_settings').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!row) throw new AppError('SETUP_REQUIRED', 'Rukun belum disiapkan');
      if (row.version !== version) {
        throw new AppError('CONFLICT', 'Pengaturan baru saja diubah orang lain. Muat ulang lalu coba lagi.', {
          currentVersion: row.version,
        });
      }
      const before = { ...DEFAULT_SETTINGS, ...(JSON.parse(row.data) as Partial<OfficeSettings>) };
      const after = OfficeSettings.parse({ ...before, ...changes });
      await trx
        .updateTable('office_settings')
        .set({ data: JSON.stringify(after), version: row.version + 1, updated_at: this.deps.clock.now() })
        .where('id', '=', 1)
        .execute();
      await recordChange(trx, this.deps, {
        actor,
        action: 'settings.update',
        entity: 'settings',
        entityId: 'office',
        before,
        after,
        op: 'update',
      });
    });
    return this.changed();
  }

  async setLogo(
    actor: Actor,
    input: { mime: string; dataBase64: string } | { remove: true },
  ): Promise<SettingsView> {
    await this.db.transaction().execute(async (trx) => {
      if ('remove' in input) {
        await trx
          .updateTable('office_settings')
          .set((eb) => ({ logo_asset_id: null, version: eb('version', '+', 1) }))
          .execute();
        await recordChange(trx, this.deps, {
          actor,
          action: 'settings.removeLogo',
          entity: 'settings',
          entityId: 'office',
        });
        return;
      }
      const bytes = Buffer.from(input.dataBase64, 'base64');
      const check = MAGIC[input.mime];
      if (bytes.length === 0 || bytes.length > LOGO_MAX_BYTES || !check || !check(bytes)) {
        throw new AppError(
          'VALIDATION',
          'Berkas logo harus gambar PNG, JPEG atau WebP dan paling besar 1 MB',
          {
            issues: [{ path: 'dataBase64', message: 'Berkas logo tidak valid', code: 'custom' }],
          },
        );
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const id = this.deps.ids();
      await trx
        .insertInto('assets')
        .values({ id, kind: 'logo', mime: input.mime, bytes, sha256, created_at: this.deps.clock.now() })
        .execute();
      await trx
        .updateTable('office_settings')
        .set((eb) => ({ logo_asset_id: id, version: eb('version', '+', 1) }))
        .execute();
      await recordChange(trx, this.deps, {
        actor,
        action: 'settings.setLogo',
        entity: 'settings',
        entityId: 'office',
        after: { mime: input.mime, bytes: bytes.length, sha256 },
      });
    });
    return this.changed();
  }

  async logo(): Promise<{ mime: string; bytes: Buffer } | null> {
    const row = await this.db
      .selectFrom('office_settings')
      .innerJoin('assets', 'assets.id', 'office_settings.logo_asset_id')
      .select(['assets.mime', 'assets.bytes'])
      .executeTakeFirst();
    return row ?? null;
  }

  private async changed(): Promise<SettingsView> {
    this.cache = null;
    const view = await this.get();
    this.deps.events.emit('settings.changed', view);
    return view;
  }
}
