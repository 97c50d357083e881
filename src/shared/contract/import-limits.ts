/**
 * Limits of a customer import, in one place: the contract, the HTTP body limit, the import worker and the
 * import dialog all derive theirs from these, so a file the dialog accepts is never cut off by the HTTP
 * layer with a bare 413, and the server never accepts more than it can read safely.
 */

/** Largest file the office may import (bytes on disk: the CSV text in UTF-8, or the .xlsx). */
export const IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Most data rows per import (a header row is not counted). A larger file is refused whole, never cut. */
export const IMPORT_MAX_ROWS = 50_000;

/** Most bytes an .xlsx may inflate to (all its parts together). */
export const IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;

/** Reading a file takes at most this long; past it the reading is stopped and the file refused. */
export const IMPORT_TIME_LIMIT_MS = 60_000;

/** Base64 length of `bytes` bytes (how an .xlsx travels inside the JSON call). */
export const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** Longest `content` string the contract accepts (an .xlsx of the largest size, base64). */
export const IMPORT_MAX_CONTENT_CHARS = base64Length(IMPORT_MAX_FILE_BYTES);

/**
 * HTTP body limit for the import methods: the largest accepted content once JSON-escaped. JSON doubles at
 * most the quotes, backslashes and line breaks of a CSV (`"` → `\"`), hence twice the content, plus room
 * for the other fields.
 */
export const IMPORT_BODY_LIMIT_BYTES = 2 * IMPORT_MAX_CONTENT_CHARS + 64 * 1024;

/** Body limit of every other call. */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** Methods that carry a whole file in their body. */
export const IMPORT_METHODS: readonly string[] = ['customers.import.preview', 'customers.import.commit'];

/** Body limit of a method's HTTP call. */
export const bodyLimitOf = (method: string): number =>
  IMPORT_METHODS.includes(method) ? IMPORT_BODY_LIMIT_BYTES : DEFAULT_BODY_LIMIT_BYTES;

/** `10 MB`, `10,5 MB`: sizes as the messages show them (Indonesian decimal comma). */
export const formatMegabytes = (bytes: number): string => {
  const mb = bytes / 1024 / 1024;
  return `${Number.isInteger(mb) || mb >= 100 ? Math.round(mb) : mb.toFixed(1).replace('.', ',')} MB`;
};

/** The one message for a file over the size limit, whichever layer noticed it. */
export const fileTooLargeMessage = (bytes: number | null): string =>
  `Berkas terlalu besar${bytes === null ? '' : ` (${formatMegabytes(bytes)})`}: batasnya ${formatMegabytes(IMPORT_MAX_FILE_BYTES)} per impor. Bagi berkas menjadi beberapa bagian.`;

/** UTF-8 length of a string without allocating it (the renderer has no Buffer). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Size in bytes of the file an import `content` carries (CSV text, or base64 of an .xlsx). */
export function importFileBytes(content: string, format: 'csv' | 'xlsx'): number {
  if (format === 'csv') return utf8Length(content);
  const pad = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return Math.floor((content.length * 3) / 4) - pad;
}
