/**
 * Hand-built .xlsx files for the import tests: a normal small workbook, and decompression bombs — a ~1.7 MB
 * file whose sheet inflates to ~476 MB, with honest or lying size headers.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Pelanggan" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = `</sheetData></worksheet>`;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const inlineRow = (n: number, cells: string[]) =>
  `<row r="${n}">${cells
    .map((c, i) => `<c r="${String.fromCharCode(65 + i)}${n}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`)
    .join('')}</row>`;

interface Part {
  name: string;
  /** Deflated bytes (raw deflate). */
  data: Buffer;
  crc: number;
  size: number;
}

const part = (name: string, text: string): Part => {
  const raw = Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(raw), crc: crc32(raw) >>> 0, size: raw.length };
};

/** A ZIP of deflated parts; `declare` overrides the uncompressed size written in the headers. */
function zip(parts: Part[], declare?: (p: Part) => number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const size = declare ? declare(p) : p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const frame = (sheet: Part) => [
  part('[Content_Types].xml', CONTENT_TYPES),
  part('_rels/.rels', ROOT_RELS),
  part('xl/workbook.xml', WORKBOOK),
  part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
  sheet,
];

/** A small valid workbook: a header row and data rows, all inline strings. */
export function xlsxOf(header: string[], rows: string[][]): Buffer {
  const xml = SHEET_HEAD + [header, ...rows].map((r, i) => inlineRow(i + 1, r)).join('') + SHEET_TAIL;
  return zip(frame(part('xl/worksheets/sheet1.xml', xml)));
}

/**
 * A decompression bomb: the sheet is a header plus the same block of rows repeated until it inflates to
 * `inflatedBytes`. The block is deflated once and its compressed form repeated (each copy ends on a byte
 * boundary with a sync flush, so the copies form one valid deflate stream): building it costs no CPU.
 * `honest` writes the true size in the ZIP headers; otherwise they claim 1 KB.
 */
export function xlsxBomb(inflatedBytes: number, honest: boolean): Buffer {
  const head = Buffer.from(SHEET_HEAD + inlineRow(1, ['nama', 'telepon', 'paket_nama']));
  const block = Buffer.from(
    Array.from({ length: 8192 }, () =>
      inlineRow(2, ['Pelanggan Bom Zip', '081234567890', 'Paket 10 Mbps']),
    ).join(''),
  );
  const copies = Math.ceil(inflatedBytes / block.length);
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  const seg = deflateRawSync(block, { level: 9, ...flush });
  const data = Buffer.concat([
    deflateRawSync(head, flush),
    ...Array.from({ length: copies }, () => seg),
    deflateRawSync(Buffer.from(SHEET_TAIL)),
  ]);
  const size = head.length + copies * block.length + SHEET_TAIL.length;
  // The real CRC would cost a pass over every inflated byte; a reader must refuse the file long before
  // it could check it anyway.
  const sheet: Part = { name: 'xl/worksheets/sheet1.xml', data, crc: 0, size };
  return zip(frame(sheet), (p) => (p === sheet && !honest ? 1024 : Math.min(p.size, 0xfffffffe)));
}
