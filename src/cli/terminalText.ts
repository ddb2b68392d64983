/**
 * What the CLI writes to a terminal: text from files (column names, values, file names, package
 * fields) must not act on the terminal. Escape sequences (ESC), carriage returns that rewrite the
 * line, other control characters and the bidirectional overrides that reorder what is shown are
 * written as visible `\u{…}` escapes. Line feeds and tabs are the CLI's own layout and stay.
 * Applied only when the stream is a terminal: output piped to a file or a program (JSON, CSV) is
 * left byte for byte as the command made it.
 */

/** Whether `code` is a character a terminal acts on rather than shows. */
function actsOnTerminal(code: number): boolean {
  if (code === 0x09 || code === 0x0a) return false;
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** `text` with every character a terminal would act on written as a visible escape. */
export function terminalText(text: string): string {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!actsOnTerminal(code)) continue;
    out += `${text.slice(plainFrom, i)}\\u{${code.toString(16)}}`;
    plainFrom = i + 1;
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom);
}
