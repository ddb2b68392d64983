/**
 * What the CLI writes to a terminal: text from files (column names, values, file names, package
 * fields) must not act on the terminal. Escape sequences (ESC), carriage returns that rewrite the
 * line, other control characters and the bidirectional overrides that reorder what is shown are
 * written as visible `\u{…}` escapes. Line feeds and tabs are the CLI's own layout and stay. A
 * line longer than {@link MAX_TERMINAL_LINE} characters (a 32 MiB name in a file) is cut there
 * and says how much was left out: no one reads it on a screen, and writing it floods the terminal.
 * Text for people is shown so wherever it is written (a pipe often ends at a terminal); output
 * for programs (JSON, CSV) is left byte for byte as the command made it unless it goes to a
 * terminal. A string from a file that ends up inside a line (a column name in a message) has its
 * line feeds and tabs shown too ({@link oneLineStrings}): the line feeds left are the CLI's own.
 */

/** Characters of one line shown on a terminal; far more than any line the CLI writes itself. */
export const MAX_TERMINAL_LINE = 10_000;

/** Whether `code` is a character a terminal acts on rather than shows (line feed and tab included). */
function actsOnTerminal(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * `text` with every character a terminal would act on written as a visible escape, and each line
 * cut at {@link MAX_TERMINAL_LINE} characters.
 */
export function terminalText(text: string): string {
  return escapeControls(boundLines(text));
}

/** `text` with each line cut at {@link MAX_TERMINAL_LINE} characters, saying how many are left out. */
function boundLines(text: string): string {
  if (text.length <= MAX_TERMINAL_LINE) return text;
  let out = '';
  let from = 0;
  while (from < text.length) {
    const feed = text.indexOf('\n', from);
    const end = feed < 0 ? text.length : feed;
    if (end - from <= MAX_TERMINAL_LINE) out += text.slice(from, end);
    else {
      let cut = from + MAX_TERMINAL_LINE;
      // never between the two halves of one character
      const last = text.charCodeAt(cut - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut--;
      const left = (end - cut).toLocaleString('en-US');
      out += `${text.slice(from, cut)}… (${left} more characters not shown; write the output to a file to see them)`;
    }
    if (feed < 0) break;
    out += '\n';
    from = feed + 1;
  }
  return out;
}

/**
 * `text` with every character a terminal would act on written as a visible escape, as
 * {@link terminalText} writes it but with no line cut: for text for people that is not written
 * to a terminal (a file keeps every line whole). Line feeds and tabs stay.
 */
export function shownText(text: string): string {
  return escapeControls(text);
}

/**
 * `value` with every string in it, however deep, written as one line: each character a terminal
 * would act on, line feeds and tabs included, as a visible escape. For the strings of a checked
 * file (a report's column names, messages, profile URLs) before they are laid out in lines, so
 * that a line feed in a column name cannot start a line of its own ("Result: passes").
 */
export function oneLineStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value, true) as T;
  if (Array.isArray(value)) return value.map((item) => oneLineStrings(item)) as T;
  // plain data only (a report, a list of header problems): anything else is kept as it is
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = oneLineStrings(item);
    return out as T;
  }
  return value;
}

/**
 * `text` with every character a terminal would act on written as a visible escape; line feeds and
 * tabs too when `oneLine`.
 */
function escapeControls(text: string, oneLine = false): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!actsOnTerminal(code) || (!oneLine && (code === 0x09 || code === 0x0a))) continue;
    out += `${text.slice(plainFrom, i)}\\u{${code.toString(16)}}`;
    plainFrom = i + 1;
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom);
}
