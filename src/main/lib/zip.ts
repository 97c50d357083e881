/**
 * Just enough ZIP to open an uploaded .xlsx safely.
 *
 * A ZIP states each entry's uncompressed size, but nothing forces it to tell the truth: a 1.7 MB .xlsx can
 * inflate to hundreds of MB. So we read the central directory ourselves, refuse at once when the declared
 * sizes pass the budget, and inflate every entry with a hard output cap (`maxOutputLength`), so a lying entry
 * stops as soon as it passes what is left of the budget — not after it has filled memory.
 *
 * What passes is written back as a STORED (uncompressed) ZIP for the spreadsheet reader: it then reads exactly
 * the bytes we measured, and never inflates anything itself.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { AppError } from '../../shared/contract/errors';

export interface ZipLimits {
  /** Most bytes all entries may inflate to, together. */
  maxUncompressedBytes: number;
  /** Most entries (an .xlsx has a dozen or two). */
  maxEntries: number;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

function refuse(message: string, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION', message, {
    reason,
    ...extra,
    issues: [{ path: 'content', message, code: reason }],
  });
}

const broken = () => refuse('Berkas XLSX rusak atau bukan berkas Excel (.xlsx)', 'invalid_file');

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** Reads and inflates every entry within the limits; throws VALIDATION (never INTERNAL) otherwise. */
export function readZip(buf: Buffer, limits: ZipLimits): ZipEntry[] {
  if (buf.length < 22) throw broken();
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) throw broken();
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  // 0xffff / 0xffffffff mean ZIP64, which no spreadsheet of a size we accept needs.
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    throw refuse('Berkas XLSX terlalu besar (format ZIP64 tidak didukung)', 'too_large');
  if (count > limits.maxEntries)
    throw refuse(`Berkas XLSX berisi ${count} bagian, batasnya ${limits.maxEntries}`, 'too_many_entries');
  if (cdOffset + cdSize > eocd) throw broken();

  interface Dir {
    name: string;
    method: number;
    flags: number;
    compressed: number;
    declared: number;
    localOffset: number;
  }
  const dir: Dir[] = [];
  let declaredTotal = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw broken();
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const entry: Dir = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      declared: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    declaredTotal += entry.declared;
    dir.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  const tooBig = (bytes: number, honest: boolean) =>
    refuse(
      `Isi berkas XLSX terlalu besar: ${honest ? `${MB(bytes)}` : `lebih dari ${MB(bytes)}`} setelah dibuka, batasnya ${MB(limits.maxUncompressedBytes)}. Simpan ulang hanya lembar data pelanggan, atau pakai CSV.`,
      'uncompressed_too_large',
      { limitBytes: limits.maxUncompressedBytes },
    );
  // An honest bomb is refused before a single byte is inflated.
  if (declaredTotal > limits.maxUncompressedBytes) throw tooBig(declaredTotal, true);

  const out: ZipEntry[] = [];
  let used = 0;
  for (const e of dir) {
    if (e.flags & 0x1) throw refuse('Berkas XLSX terkunci kata sandi', 'encrypted');
    const at = e.localOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) throw broken();
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const end = start + e.compressed;
    if (end > buf.length) throw broken();
    const raw = buf.subarray(start, end);
    const left = limits.maxUncompressedBytes - used;
    let data: Buffer;
    if (e.method === 0) {
      if (raw.length > left) throw tooBig(limits.maxUncompressedBytes, false);
      data = Buffer.from(raw);
    } else if (e.method === 8) {
      try {
        // A lying entry stops here, as soon as its output passes what is left of the budget.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, left) });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw tooBig(limits.maxUncompressedBytes, false);
        throw broken();
      }
      if (data.length > left) throw tooBig(limits.maxUncompressedBytes, false);
    } else {
      throw broken();
    }
    used += data.length;
    out.push({ name: e.name, data });
  }
  return out;
}

/** Writes entries as a STORED ZIP (no compression), in the given order. */
export function writeStoredZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
