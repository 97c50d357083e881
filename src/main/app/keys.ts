import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileKeyProvider, type KeyProvider } from '../lib/secrets';

/** Seals the data key with the OS keychain (Electron safeStorage in the desktop app). */
export interface KeyWrap {
  seal(b: Buffer): Buffer;
  open(b: Buffer): Buffer;
}

export type KeySource = 'keychain' | 'file';

/**
 * Picks where the data key lives and loads it now, so a key that cannot be opened stops the start-up with a
 * clear message instead of failing at the first router password, or silently minting a new key that leaves
 * every stored secret unreadable.
 * - A plain key file from an earlier run without a keychain keeps being used (switching would lose it).
 * - A sealed key needs the keychain; if it is unavailable (e.g. a Linux session without a secret service),
 *   we refuse to start rather than replace it.
 * - A first run seals the new key when a keychain is available, and falls back to a 0600 file otherwise.
 */
export function loadDataKey(
  dataDir: string,
  wrap: KeyWrap | null,
): { provider: KeyProvider; source: KeySource } {
  const plain = existsSync(join(dataDir, 'secret.key'));
  const sealed = existsSync(join(dataDir, 'secret.key.sealed'));
  let source: KeySource;
  if (plain) source = 'file';
  else if (wrap) source = 'keychain';
  else if (sealed) {
    throw new Error(
      'Kunci data Rukun tersimpan di keychain sistem, tetapi keychain tidak tersedia. ' +
        'Masuk ke sesi desktop yang sama seperti biasa, lalu buka Rukun lagi.',
    );
  } else source = 'file';
  const key = fileKeyProvider(dataDir, source === 'keychain' ? (wrap ?? undefined) : undefined).getKey();
  if (key.length !== 32) throw new Error('Kunci data Rukun rusak (panjang tidak sesuai).');
  return { provider: { getKey: () => key }, source };
}
