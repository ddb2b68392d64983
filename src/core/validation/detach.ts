/**
 * Copies a string so it no longer points into the text it was cut from.
 *
 * Why: V8 makes a substring of 13 or more characters a *sliced string* that keeps its whole parent
 * alive. Cells come out of papaparse as substrings of a ~1 MB chunk of text, so a kept cell (an
 * issue example, a tracked profile value, a min/max, a duplicate key) would pin its whole chunk:
 * twenty kept examples from twenty chunks hold 20 MB. Concatenating and slicing again flattens the
 * string into a fresh copy of its own length (plus one character). Memory must not grow with the
 * file, so everything the engine keeps beyond a row goes through here.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
