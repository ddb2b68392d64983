/**
 * What the start of a broken JSON text shows: the top-level members of its object that can be
 * read before the text breaks off (truncated downloads, a stray comma). `preflight check` uses it
 * to tell a damaged Preflight file or contract (its start shows a `format` tag or `$schema`: exit 1)
 * from a file that is not one at all (a README, a script: exit 2).
 *
 * Constraint: the input is arbitrary text, possibly hundreds of MiB: one linear pass, no
 * recursion, never throws.
 */

/**
 * The top-level members of the JSON object that `text` starts with, as far as they can be read:
 * string values as themselves, objects as `{}`, lists as `[]`, anything else as `null` (the
 * skeleton carries what recognition needs, not the content). A member whose value is cut off is
 * kept when its kind is known (a container that was opened). Null when `text` does not start
 * with `{` (after an optional byte-order mark and whitespace). Later duplicates win, as in
 * `JSON.parse`.
 */
export function topLevelSkeleton(text: string): Record<string, unknown> | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  /** Reads a JSON string at i; its value, or null when it is unterminated or badly escaped. */
  const readString = (): string | null => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '"') {
        i++;
        try {
          return JSON.parse(text.slice(start, i)) as string;
        } catch {
          return null;
        }
      } else i++;
    }
    return null;
  };
  /** Skips an object or list at i; false when the text ends (or breaks) inside it. */
  const skipContainer = (): boolean => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        if (readString() === null) return false;
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          return true;
        }
      }
      i++;
    }
    return false;
  };

  if (text.startsWith('\uFEFF')) i = 1;
  skipSpace();
  if (text[i] !== '{') return null;
  i++;
  const members = new Map<string, unknown>();
  while (true) {
    skipSpace();
    if (text[i] !== '"') break; // "}" (the end), or the text breaks here
    const key = readString();
    if (key === null) break;
    skipSpace();
    if (text[i] !== ':') break;
    i++;
    skipSpace();
    const c = text[i];
    if (c === undefined) break;
    if (c === '"') {
      const value = readString();
      if (value === null) break;
      members.set(key, value);
    } else if (c === '{' || c === '[') {
      members.set(key, c === '{' ? {} : []);
      if (!skipContainer()) break;
    } else {
      while (i < text.length && !',}] \t\n\r'.includes(text[i] as string)) i++;
      members.set(key, null);
    }
    skipSpace();
    if (text[i] !== ',') break;
    i++;
  }
  return Object.fromEntries(members);
}
