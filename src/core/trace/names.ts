/**
 * Names compared for the data dictionary's suggestions: a step's `allergies`, a column
 * `allergy_code` and an element `AllergyIntolerance.code` are the same data once each is read as
 * words. A name is split at dots, underscores, spaces, dashes, digits and camelCase humps,
 * lower-cased, and each word made singular; words that say how data is held rather than what it
 * is (`code`, `id`, `value`…) are set aside. Two names match when the words left of one are all
 * words of the other.
 *
 * Constraint: this only suggests; a person confirms every link, so a match here may be loose but
 * never silent — each suggestion names what it would link.
 */

/** Words that say how a value is held, not what it is: ignored when names are compared. */
const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'code',
  'coding',
  'id',
  'identifier',
  'value',
  'text',
  'date',
  'name',
  'type',
  'system',
  'use',
  'line',
  'display',
  'number',
  'no',
  'num',
  'nbr',
]);

/** A few words legacy extracts and FHIR spell differently for the same data. */
const SAME_WORD: Readonly<Record<string, string>> = {
  dob: 'birth',
  sex: 'gender',
  zip: 'postal',
  postcode: 'postal',
  tel: 'phone',
  telephone: 'phone',
  surname: 'family',
};

/** Plural endings kept as they are: "status", "class", "diagnosis". */
const NOT_PLURAL = /(?:ss|us|is)$/;

function singular(word: string): string {
  if (word.length <= 3 || NOT_PLURAL.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The words of a name, lower-cased and singular, generic words included, in order. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0)
    .map((w) => SAME_WORD[w] ?? singular(w));
}

/** The words of a name that say what the data is (generic words set aside), without repeats. */
function meaningWords(name: string): Set<string> {
  return new Set(nameWords(name).filter((w) => !GENERIC_WORDS.has(w)));
}

/**
 * Whether two names are likely the same data: each has a word that says what it is, and those of
 * one are all words of the other.
 */
export function namesMatch(a: string, b: string): boolean {
  const left = meaningWords(a);
  const right = meaningWords(b);
  if (left.size === 0 || right.size === 0) return false;
  const within = (x: Set<string>, y: Set<string>) => [...x].every((w) => y.has(w));
  return within(left, right) || within(right, left);
}
