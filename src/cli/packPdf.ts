/**
 * The evidence pack as a PDF, laid out from the core's `packDocument` blocks with pdf-lib's
 * embedded standard fonts (Helvetica), so the clinic's scheduler can print it for the meeting
 * without a browser. A4 pages; text wraps to the column; a table row that does not fit starts a
 * new page, and the table's header is repeated there.
 *
 * The standard fonts encode WinAnsi only: a character outside it is written as its nearest ASCII
 * ("→" as "->", "≥" as ">=") or "?", never dropped silently.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { PackBlock } from '../core/readiness/packDocument.ts';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const SIZE = { title: 15, heading: 11.5, text: 9.5, table: 8.5 };
const LEADING = 1.3;
const CELL_PAD = 3;
const FLAG = rgb(0.62, 0.05, 0.05);
const BLACK = rgb(0, 0, 0);
const RULE = rgb(0.6, 0.6, 0.6);

const NEAREST: Readonly<Record<string, string>> = {
  '→': '->',
  '←': '<-',
  '≥': '>=',
  '≤': '<=',
  '×': 'x',
  '✓': 'v',
  '✗': 'x',
  '−': '-',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/** `text` with every character `font` cannot encode replaced (see the header). */
function encodable(text: string, font: PDFFont): string {
  const known = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (known.has(code)) out += ch;
    else out += NEAREST[ch] ?? (ch === '\t' ? ' ' : '?');
  }
  return out;
}

/** `text` broken into lines no wider than `width` at `size` (a word longer than a line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(next, size) <= width) {
        line = next;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** The PDF bytes of the pack `blocks`, titled `title`. */
export async function packPdf(blocks: readonly PackBlock[], title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('Preflight');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = PAGE.width - 2 * MARGIN;
  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN;
  const newPage = () => {
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - MARGIN;
  };
  const room = (height: number) => {
    if (y - height < MARGIN) newPage();
  };
  const lines = (
    text: string,
    font: PDFFont,
    size: number,
    x: number,
    w: number,
    color = BLACK,
    gapAfter = 4,
  ) => {
    for (const line of wrap(encodable(text, font), font, size, w)) {
      room(size * LEADING);
      y -= size * LEADING;
      page.drawText(line, { x, y, size, font, color });
    }
    y -= gapAfter;
  };
  const table = (block: Extract<PackBlock, { kind: 'table' }>) => {
    const widths = block.widths.map((f) => f * width);
    const cells = (row: readonly string[], font: PDFFont) =>
      row.map((cell, i) => wrap(encodable(cell, font), font, SIZE.table, (widths[i] ?? 0) - 2 * CELL_PAD));
    const drawRow = (wrapped: string[][], font: PDFFont) => {
      const height = Math.max(...wrapped.map((c) => c.length)) * SIZE.table * LEADING + 2 * CELL_PAD;
      let x = MARGIN;
      wrapped.forEach((cell, i) => {
        cell.forEach((line, n) => {
          page.drawText(line, {
            x: x + CELL_PAD,
            y: y - CELL_PAD - (n + 1) * SIZE.table * LEADING + 2,
            size: SIZE.table,
            font,
          });
        });
        x += widths[i] ?? 0;
      });
      y -= height;
      page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.4, color: RULE });
    };
    const header = cells(block.columns, bold);
    const headerHeight = Math.max(...header.map((c) => c.length)) * SIZE.table * LEADING + 2 * CELL_PAD;
    room(headerHeight + SIZE.table * 3);
    drawRow(header, bold);
    for (const row of block.rows) {
      const wrapped = cells(row, regular);
      const height = Math.max(...wrapped.map((c) => c.length)) * SIZE.table * LEADING + 2 * CELL_PAD;
      if (y - height < MARGIN) {
        newPage();
        drawRow(header, bold);
      }
      drawRow(wrapped, regular);
    }
    y -= 8;
  };
  for (const block of blocks) {
    switch (block.kind) {
      case 'title':
        lines(block.text, bold, SIZE.title, MARGIN, width, BLACK, 6);
        break;
      case 'heading':
        room(SIZE.heading * 4);
        y -= 4;
        lines(block.text, bold, SIZE.heading, MARGIN, width, BLACK, 2);
        break;
      case 'paragraph':
        lines(block.text, block.flag ? bold : regular, SIZE.text, MARGIN, width, block.flag ? FLAG : BLACK);
        break;
      case 'list':
        for (const item of block.items)
          lines(`- ${item}`, regular, SIZE.text, MARGIN + 8, width - 8, BLACK, 1);
        y -= 3;
        break;
      case 'table':
        table(block);
        break;
      case 'page-break':
        newPage();
        break;
    }
  }
  return doc.save({ useObjectStreams: false });
}
