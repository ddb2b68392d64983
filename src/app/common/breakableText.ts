/**
 * Where a record's value, a column name or a field path may wrap in a narrow table cell. A value
 * broken at an arbitrary character (`overflow-wrap: anywhere`) reads as another value: a member id
 * "DMP234963148" shown as "DMP23496314" over "8" beside the migrated "DMP234963148" looks like a
 * defect to the clinician comparing them. So cells wrap only at spaces and at the pieces this
 * splits text into: after punctuation that joins parts (". _ / [ @ , ; : - + = & ? # |"), and
 * inside a run longer than {@link MAX_UNBROKEN} characters, into nearly equal parts (a long token
 * must still fit a phone's column; "DMP234" over "963148" reads as one value wrapped, where
 * "DMP2349631" over "48" reads like the defect above), never inside a shorter one — MRNs, phone
 * numbers and dates stay whole.
 */

/**
 * The longest run of characters kept together when it has no joining punctuation or space. A
 * longer run is cut into nearly equal pieces of at most this many (a 25-digit id: 9 + 8 + 8, not
 * 10 + 10 + 5), each a place the browser may break if the cell is too narrow — it does not when
 * the run fits. 10 keeps a 10-digit phone number whole and fits the value column of the
 * three-column migrated-record table on a 390 px phone: with 16, a run of 16 digits is wider than
 * that column and the table overflows the screen (the review on a phone in tests/e2e/journeyClinician.spec.ts).
 */
export const MAX_UNBROKEN = 10;

/**
 * The same for a field path (`camelCase`): names made of words ("identifier", "generalPractitioner"),
 * which break between their words first; a word cut in two reads worse than an id cut evenly, and
 * the field column fit them at 16 on a phone.
 */
export const MAX_UNBROKEN_NAME = 16;

/** Options of {@link breakablePieces}. */
interface BreakOptions {
  /**
   * Also break between a lower-case and an upper-case letter: for field paths
   * (`generalPractitioner`), never for record values (a name like "McDonald" stays whole). Runs
   * are then cut beyond {@link MAX_UNBROKEN_NAME} characters, not {@link MAX_UNBROKEN}.
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
/**
 * White space a browser may break at: not the no-break spaces (U+00A0, U+2007, U+202F, U+FEFF),
 * which hold their neighbours together, so a run joined by one still needs break points.
 */
const BREAKING_SPACE = /^(?![\u00A0\u2007\u202F\uFEFF])\s+$/;

export function breakablePieces(text: string, options: BreakOptions = {}): string[] {
  // first the pieces at joining punctuation (and a field name's words), whatever their length
  const pieces: string[][] = [];
  let piece: string[] = [];
  let previous = '';
  for (const { segment } of graphemes.segment(text)) {
    // a field name's words: generalPractitioner breaks before its P
    if (options.camelCase && piece.length > 0 && /^\p{Ll}$/u.test(previous) && /^\p{Lu}$/u.test(segment)) {
      pieces.push(piece);
      piece = [];
    }
    previous = segment;
    piece.push(segment);
    if (BREAK_AFTER.has(segment)) {
      pieces.push(piece);
      piece = [];
    }
  }
  if (piece.length > 0 || pieces.length === 0) pieces.push(piece);
  const limit = options.camelCase ? MAX_UNBROKEN_NAME : MAX_UNBROKEN;
  return pieces.flatMap((p) => cutLongRuns(p, limit));
}

/**
 * A piece (graphemes) cut inside each run longer than `limit` without a space, into the fewest
 * nearly equal parts that fit (the longer parts first); spaces break already.
 */
function cutLongRuns(piece: readonly string[], limit: number): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (i < piece.length) {
    if (BREAKING_SPACE.test(piece[i] as string)) {
      current += piece[i];
      i++;
      continue;
    }
    let end = i;
    while (end < piece.length && !BREAKING_SPACE.test(piece[end] as string)) end++;
    const run = piece.slice(i, end);
    const parts = Math.ceil(run.length / limit);
    const base = Math.floor(run.length / parts);
    const longer = run.length % parts;
    let at = 0;
    for (let p = 0; p < parts; p++) {
      const size = base + (p < longer ? 1 : 0);
      current += run.slice(at, at + size).join('');
      at += size;
      if (p < parts - 1) {
        out.push(current);
        current = '';
      }
    }
    i = end;
  }
  out.push(current);
  return out;
}
