/**
 * Where a record's value, a column name or a field path may wrap in a narrow table cell. A value
 * broken at an arbitrary character (`overflow-wrap: anywhere`) reads as another value: a member id
 * "DMP234963148" shown as "DMP23496314" over "8" beside the migrated "DMP234963148" looks like a
 * defect to the clinician comparing them. So cells wrap only at spaces and at the pieces this
 * splits text into: after punctuation that joins parts (". _ / [ @ , ; : - + = & ? # |"), and
 * inside a run longer than {@link MAX_UNBROKEN} characters (a long token must still fit a phone's
 * column), never inside a shorter one — ids, phone numbers and dates stay whole.
 */

/** The longest run of characters kept together when it has no joining punctuation or space. */
export const MAX_UNBROKEN = 16;

/** Options of {@link breakablePieces}. */
export interface BreakOptions {
  /**
   * Also break between a lower-case and an upper-case letter: for field paths
   * (`generalPractitioner`), never for record values (a name like "McDonald" stays whole).
   */
  camelCase?: boolean;
}

/** Characters after which a line may break. */
const BREAK_AFTER = new Set(['.', '_', '/', '[', '@', ',', ';', ':', '-', '+', '=', '&', '?', '#', '|']);

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` as pieces to show with a break opportunity between each two (`<wbr>`); joined, they are
 * `text` exactly. Splits by grapheme, so an emoji or a letter with its accent is never cut.
 */
export function breakablePieces(text: string, options: BreakOptions = {}): string[] {
  const pieces: string[] = [];
  let piece = '';
  // characters since the last place a line could already break (a space or a piece's end)
  let run = 0;
  let previous = '';
  for (const { segment } of graphemes.segment(text)) {
    // a field name's words: generalPractitioner breaks before its P
    if (options.camelCase && piece !== '' && /^\p{Ll}$/u.test(previous) && /^\p{Lu}$/u.test(segment)) {
      pieces.push(piece);
      piece = '';
      run = 0;
    }
    previous = segment;
    piece += segment;
    if (/^\s+$/.test(segment)) {
      run = 0;
      continue;
    }
    run += 1;
    if (BREAK_AFTER.has(segment) || run >= MAX_UNBROKEN) {
      pieces.push(piece);
      piece = '';
      run = 0;
    }
  }
  if (piece !== '' || pieces.length === 0) pieces.push(piece);
  return pieces;
}
