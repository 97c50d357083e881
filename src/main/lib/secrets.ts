import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts router passwords, gateway keys and WhatsApp auth state at rest (AES-256-GCM). The key comes
 * from a KeyProvider: in the desktop app it is wrapped by the OS keychain (Electron safeStorage); headless,
 * it is a 0600 file in the data dir, so a copied database alone reveals no secret.
 */
export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export interface KeyProvider {
  /** Returns the 32-byte data key, creating it on first use. */
  getKey(): Buffer;
  /** Where the key lives, for the log (a path, or how it is held). */
  location?: string;
}

export function createSecretBox(keys: KeyProvider): SecretBox {
  let key: Buffer | null = null;
  const k = () => (key ??= keys.getKey());
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k(), iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
    },
    decrypt(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('Unknown secret format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', k(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** Headless key: a random 32-byte file readable only by the service user. */
export function fileKeyProvider(
  dataDir: string,
  wrap?: { seal(b: Buffer): Buffer; open(b: Buffer): Buffer },
): KeyProvider {
  const file = join(dataDir, wrap ? 'secret.key.sealed' : 'secret.key');
  // A key file from an older install may be group- or world-readable: tighten it now, used or not.
  if (existsSync(file)) chmodSync(file, 0o600);
  return {
    location: wrap ? `${file} (sealed by the OS keychain)` : file,
    getKey() {
      if (existsSync(file)) {
        const stored = readFileSync(file);
        return wrap ? wrap.open(stored) : stored;
      }
      const fresh = randomBytes(32);
      writeFileSync(file, wrap ? wrap.seal(fresh) : fresh, { mode: 0o600 });
      chmodSync(file, 0o600);
      return fresh;
    },
  };
}

/** For tests and in-memory cores. */
export function memoryKeyProvider(): KeyProvider {
  const key = randomBytes(32);
  return { getKey: () => key, location: 'memory (not persisted)' };
}
