/**
 * Voucher printing: A4 compact grid (120 per sheet), A4 cards with QR, and 58/80 mm thermal rolls.
 *
 * Grid layouts place every element at an absolute position computed from the geometry below, so a sheet holds
 * exactly the advertised number of vouchers whatever the text, and pdfmake does no flow layout (fast: 1,000
 * vouchers in well under a second). Thermal rolls flow, one voucher after another, on a single page as long as
 * the run (split every THERMAL_PER_PAGE vouchers), with a dashed cut line after each voucher.
 */
import type { Content, ContentText, TDocumentDefinitions } from 'pdfmake/interfaces';
import {
  defaultVoucherTemplate,
  lineVisible,
  placeholderValues,
  substitute,
  voucherTemplateSchema,
  type PrintableVoucher,
  type TemplateLine,
  type VoucherLayout,
  type VoucherTemplate,
  type VoucherTemplateInput,
} from '../../shared/vouchers/print-template';
import { measureTextWidth, renderPdf } from './pdf-fonts';
import { qrCanvas } from './qr-vector';

const MM = 72 / 25.4;

export const A4 = { width: 595.28, height: 841.89 } as const;

export const COMPACT = {
  columns: 3,
  rows: 40,
  perPage: 120,
  marginX: 14,
  marginY: 12,
  padX: 5,
  padY: 1.5,
  badgeWidth: 58,
  cellWidth: (A4.width - 2 * 14) / 3,
  cellHeight: (A4.height - 2 * 12) / 40,
} as const;

export const CARDS = {
  columns: 3,
  rows: 8,
  perPage: 24,
  marginX: 14,
  marginY: 14,
  /** Space between a card and its cell edge: 6 pt between neighbouring cards for the cutter. */
  inset: 3,
  bandHeight: 20,
  qrSize: 58,
  pad: 7,
  cellWidth: (A4.width - 2 * 14) / 3,
  cellHeight: (A4.height - 2 * 14) / 8,
} as const;

/**
 * A thermal run is one continuous page per this many vouchers: long enough to print without gaps, short enough
 * to stay under the 200-inch (14,400 pt) page limit of Acrobat and of many printer drivers.
 */
export const THERMAL_PER_PAGE = 40;

export const THERMAL = {
  'thermal-58': { widthMm: 58, width: 58 * MM, margin: 2.5 * MM, qrSize: 30 * MM },
  'thermal-80': { widthMm: 80, width: 80 * MM, margin: 3 * MM, qrSize: 38 * MM },
} as const;

export interface VoucherPdfInput {
  layout: VoucherLayout;
  vouchers: PrintableVoucher[];
  office: { name: string; logoDataUrl?: string };
  /** The hotspot's DNS name (`hotspot.rtrwnet.id`) or address, used in the QR login URL. */
  hotspotDnsName: string;
  template?: VoucherTemplateInput;
}

/** `http://<dns>/login?username=…&password=…`: the MikroTik hotspot login page accepts credentials by GET. */
export function hotspotLoginUrl(dnsName: string, username: string, password: string): string {
  const host = dnsName
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  return `http://${host}/login?username=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}`;
}

const LOGO_RE = /^data:image\/(png|jpe?g);base64,[A-Za-z0-9+/=\s]+$/;

interface Ctx {
  template: VoucherTemplate;
  office: VoucherPdfInput['office'];
  dns: string;
  hasLogo: boolean;
}

const MIN_FONT = 4;

/** The largest size <= `size` at which `text` fits `width` on one line; below MIN_FONT the text is cut with `…`. */
function fitLine(
  text: string,
  size: number,
  bold: boolean,
  spacing: number,
  width: number,
): { text: string; size: number } {
  const w = measureTextWidth(text, size, bold, spacing);
  if (w <= width) return { text, size };
  // Width grows linearly with size apart from the fixed character spacing; 0.98 absorbs rounding.
  const fixed = spacing * text.length;
  const scaled = ((size * (width - fixed)) / Math.max(1e-6, w - fixed)) * 0.98;
  if (scaled >= MIN_FONT) return { text, size: scaled };
  let cut = text;
  while (cut.length > 1 && measureTextWidth(cut + '…', MIN_FONT, bold, spacing) > width)
    cut = cut.slice(0, -1);
  return { text: cut + '…', size: MIN_FONT };
}

function textNode(
  line: TemplateLine,
  raw: string,
  width: number,
  override?: Partial<ContentText>,
): ContentText {
  const { text, size } =
    line.fit && raw.length > 0
      ? fitLine(raw, line.size, line.bold, line.spacing, width)
      : { text: raw, size: line.size };
  const node: ContentText = {
    text,
    fontSize: size,
    bold: line.bold,
    alignment: line.align,
    characterSpacing: line.spacing,
    lineHeight: 1,
  };
  if (line.color) node.color = line.color;
  if (line.fit) node.noWrap = true;
  return { ...node, ...override };
}

function lines(
  region: TemplateLine[],
  v: PrintableVoucher,
  index: number,
  ctx: Ctx,
  width: number,
  override?: Partial<ContentText>,
): ContentText[] {
  const values = placeholderValues(v, { officeName: ctx.office.name, hotspotDnsName: ctx.dns, index });
  return region
    .filter((l) => lineVisible(l, v))
    .map((l) => textNode(l, substitute(l.text, values), width, override));
}

/** A stack of width `width` placed at (x, y). The table wrapper is what gives an absolutely placed stack a width. */
function placed(x: number, y: number, width: number, stack: Content[]): Content {
  return {
    absolutePosition: { x, y },
    table: { widths: [width], body: [[{ stack }]] },
    layout: {
      defaultBorder: false,
      paddingLeft: () => 0,
      paddingRight: () => 0,
      paddingTop: () => 0,
      paddingBottom: () => 0,
    },
  };
}

function pages<T>(items: T[], perPage: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += perPage) out.push(items.slice(i, i + perPage));
  return out;
}

function compactContent(vouchers: PrintableVoucher[], ctx: Ctx): Content[] {
  const g = COMPACT;
  const content: Content[] = [];
  pages(vouchers, g.perPage).forEach((page, p) => {
    if (p > 0) content.push({ text: '', pageBreak: 'before' });
    const rows = Math.ceil(page.length / g.columns);
    const inRow = (r: number) => (r < 0 || r >= rows ? 0 : Math.min(g.columns, page.length - r * g.columns));
    const rowsReaching = (c: number) =>
      Array.from({ length: rows }, (_, r) => inRow(r)).filter((n) => n >= Math.max(c, 1)).length;
    const dash = { lineWidth: 0.4, lineColor: '#9CA3AF', dash: { length: 2, space: 1.5 } };
    // Cut lines: light dashes along the edges of the used cells only, so a part-filled last sheet looks finished.
    const guides: Content = {
      absolutePosition: { x: 0, y: 0 },
      canvas: [
        ...Array.from({ length: rows + 1 }, (_, r) => {
          const y = g.marginY + r * g.cellHeight;
          const x2 = g.marginX + Math.max(inRow(r - 1), inRow(r)) * g.cellWidth;
          return { type: 'line' as const, x1: g.marginX, y1: y, x2, y2: y, ...dash };
        }),
        ...Array.from({ length: g.columns + 1 }, (_, c) => {
          const x = g.marginX + c * g.cellWidth;
          return {
            type: 'line' as const,
            x1: x,
            y1: g.marginY,
            x2: x,
            y2: g.marginY + rowsReaching(c) * g.cellHeight,
            ...dash,
          };
        }).filter((l) => l.y2 > l.y1),
      ],
    };
    content.push(guides);
    page.forEach((v, i) => {
      const index = p * g.perPage + i + 1;
      const x = g.marginX + (i % g.columns) * g.cellWidth;
      const y = g.marginY + Math.floor(i / g.columns) * g.cellHeight;
      const bodyWidth = g.cellWidth - 2 * g.padX - g.badgeWidth - 4;
      content.push(
        placed(x + g.padX, y + g.padY, bodyWidth, lines(ctx.template.body, v, index, ctx, bodyWidth)),
      );
      content.push(
        placed(
          x + g.cellWidth - g.padX - g.badgeWidth,
          y + g.padY + 1,
          g.badgeWidth,
          lines(ctx.template.badge, v, index, ctx, g.badgeWidth),
        ),
      );
    });
  });
  return content;
}

function cardsContent(vouchers: PrintableVoucher[], ctx: Ctx): Content[] {
  const g = CARDS;
  const accent = ctx.template.accentColor;
  const content: Content[] = [];
  const w = g.cellWidth - 2 * g.inset;
  const h = g.cellHeight - 2 * g.inset;
  pages(vouchers, g.perPage).forEach((page, p) => {
    if (p > 0) content.push({ text: '', pageBreak: 'before' });
    page.forEach((v, i) => {
      const index = p * g.perPage + i + 1;
      const x = g.marginX + (i % g.columns) * g.cellWidth + g.inset;
      const y = g.marginY + Math.floor(i / g.columns) * g.cellHeight + g.inset;
      content.push({
        absolutePosition: { x: 0, y: 0 },
        canvas: [
          { type: 'rect', x, y, w, h: g.bandHeight + 6, r: 5, color: accent },
          // Square off the band's lower corners.
          { type: 'rect', x, y: y + g.bandHeight, w, h: 6.6, color: '#FFFFFF' },
          { type: 'rect', x, y, w, h, r: 5, lineColor: '#9CA3AF', lineWidth: 0.6 },
        ],
      });
      const logoW = ctx.hasLogo && ctx.template.showLogo ? 16 : 0;
      if (logoW > 0) content.push({ image: 'logo', fit: [14, 14], absolutePosition: { x: x + 5, y: y + 3 } });
      const badgeW = 56;
      const titleW = w - 2 * g.pad - logoW - badgeW;
      const titleNodes = lines(ctx.template.title, v, index, ctx, titleW, { color: '#FFFFFF' });
      const badgeNodes = lines(ctx.template.badge, v, index, ctx, badgeW, { color: '#FFFFFF' });
      const titleH = titleNodes.reduce((s, n) => s + (n.fontSize ?? 8) * 1.17, 0);
      const badgeH = badgeNodes.reduce((s, n) => s + (n.fontSize ?? 8) * 1.17, 0);
      content.push(
        placed(x + g.pad + logoW, y + Math.max(2, (g.bandHeight - titleH) / 2), titleW, titleNodes),
      );
      content.push(
        placed(x + w - g.pad - badgeW, y + Math.max(2, (g.bandHeight - badgeH) / 2), badgeW, badgeNodes),
      );

      const showQr = ctx.template.showQr;
      const qrX = x + w - g.pad - g.qrSize + 1;
      const qrY = y + g.bandHeight + 6;
      const bodyW = w - 2 * g.pad - (showQr ? g.qrSize + 6 : 0);
      content.push(
        placed(x + g.pad, y + g.bandHeight + 6, bodyW, lines(ctx.template.body, v, index, ctx, bodyW)),
      );
      const footer = lines(ctx.template.footer, v, index, ctx, bodyW);
      const footerH = footer.reduce((s, n) => s + (n.fontSize ?? 8) * 1.17, 0);
      content.push(placed(x + g.pad, y + h - 5 - footerH, bodyW, footer));
      if (showQr) {
        content.push({
          absolutePosition: { x: 0, y: 0 },
          canvas: qrCanvas(hotspotLoginUrl(ctx.dns, v.username, v.password), g.qrSize, qrX, qrY),
        });
        content.push(
          placed(qrX - 4, qrY + g.qrSize + 2, g.qrSize + 8, [
            { text: 'Pindai untuk login', fontSize: 5, alignment: 'center', color: '#6B7280', lineHeight: 1 },
          ]),
        );
      }
    });
  });
  return content;
}

function thermalContent(
  vouchers: PrintableVoucher[],
  ctx: Ctx,
  layout: 'thermal-58' | 'thermal-80',
): Content[] {
  const g = THERMAL[layout];
  const width = g.width - 2 * g.margin;
  const t = ctx.template;
  return vouchers.map((v, i): Content => {
    const index = i + 1;
    const stack: Content[] = [];
    if (ctx.hasLogo && t.showLogo)
      stack.push({ image: 'logo', fit: [width * 0.45, 34], alignment: 'center', margin: [0, 0, 0, 3] });
    stack.push(...lines(t.title, v, index, ctx, width));
    const badge = lines(t.badge, v, index, ctx, width - 8);
    if (badge.length > 0) {
      stack.push({
        margin: [0, 4, 0, 4],
        table: { widths: ['*'], body: [[{ stack: badge, margin: [0, 2, 0, 1] }]] },
        layout: {
          hLineWidth: () => 1.2,
          vLineWidth: () => 1.2,
          hLineColor: () => t.accentColor,
          vLineColor: () => t.accentColor,
        },
      });
    }
    stack.push(
      ...lines(t.body, v, index, ctx, width).map((n) => ({
        ...n,
        margin: [0, 1, 0, 1] as [number, number, number, number],
      })),
    );
    if (t.showQr) {
      stack.push({
        margin: [0, 5, 0, 4],
        columns: [
          { width: '*', text: '' },
          { width: g.qrSize, canvas: qrCanvas(hotspotLoginUrl(ctx.dns, v.username, v.password), g.qrSize) },
          { width: '*', text: '' },
        ],
      });
    }
    stack.push(...lines(t.footer, v, index, ctx, width));
    // Cut line: dashes across the roll, with the scissors hint centred on it.
    stack.push({
      margin: [0, 8, 0, 8],
      columns: [
        {
          width: '*',
          canvas: [
            {
              type: 'line',
              x1: 0,
              y1: 4,
              x2: (width - 52) / 2,
              y2: 4,
              lineWidth: 0.8,
              dash: { length: 3, space: 2 },
            },
          ],
        },
        {
          width: 52,
          text: 'potong di sini',
          fontSize: 5.5,
          alignment: 'center',
          color: '#000000',
          lineHeight: 1,
        },
        {
          width: '*',
          canvas: [
            {
              type: 'line',
              x1: 0,
              y1: 4,
              x2: (width - 52) / 2,
              y2: 4,
              lineWidth: 0.8,
              dash: { length: 3, space: 2 },
            },
          ],
        },
      ],
    });
    const pageBreak = i > 0 && i % THERMAL_PER_PAGE === 0 ? ('before' as const) : undefined;
    return pageBreak ? { stack, unbreakable: true, pageBreak } : { stack, unbreakable: true };
  });
}

/** The pdfmake document for a print run; exported so tests can inspect the layout without rasterising. */
export function buildVoucherDocDefinition(input: VoucherPdfInput): TDocumentDefinitions {
  if (input.vouchers.length === 0) throw new RangeError('Tidak ada voucher untuk dicetak');
  const parsed = voucherTemplateSchema.safeParse(input.template ?? defaultVoucherTemplate(input.layout));
  if (!parsed.success) {
    throw new RangeError(
      `Template voucher tidak valid: ${parsed.error.issues[0]?.message ?? 'format salah'}`,
    );
  }
  const logo = input.office.logoDataUrl?.trim();
  const hasLogo = logo !== undefined && LOGO_RE.test(logo);
  const ctx: Ctx = { template: parsed.data, office: input.office, dns: input.hotspotDnsName, hasLogo };
  const images: Record<string, string> = hasLogo && logo ? { logo } : {};
  const base = {
    images,
    info: { title: `Voucher ${input.office.name}`, creator: 'Rukun', producer: 'Rukun' },
    defaultStyle: { font: 'Roboto', fontSize: 8 },
  } satisfies Partial<TDocumentDefinitions>;
  switch (input.layout) {
    case 'a4-compact':
      return {
        ...base,
        pageSize: 'A4',
        pageMargins: [0, 0, 0, 0],
        content: compactContent(input.vouchers, ctx),
      };
    case 'a4-cards':
      return {
        ...base,
        pageSize: 'A4',
        pageMargins: [0, 0, 0, 0],
        content: cardsContent(input.vouchers, ctx),
      };
    case 'thermal-58':
    case 'thermal-80': {
      const g = THERMAL[input.layout];
      return {
        ...base,
        pageSize: { width: g.width, height: 'auto' },
        pageMargins: [g.margin, 3 * MM, g.margin, 3 * MM],
        content: thermalContent(input.vouchers, ctx, input.layout),
      };
    }
  }
}

export function renderVoucherPdf(input: VoucherPdfInput): Promise<Buffer> {
  return renderPdf(buildVoucherDocDefinition(input));
}
