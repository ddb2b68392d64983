/**
 * Whether a reviewer's free text (a decision's comment, an adjudicator's comment, the reason for a
 * changed decision) identifies the patient (docs/product.md#sign-off). Results files name records
 * by keyed hash and the audit chain holds no record content; a comment that quotes the MRN would
 * undo both, so the screens refuse to save one and the lead's merge refuses results carrying one.
 *
 * Two checks, both heuristics and said to be so on screen:
 * - the record's own identifying values: its key, and the cells of the legacy columns that are
 *   identifying (mapped to the patient's identifier, name, birth date, telecom or address, or named
 *   like such a column: "mrn", "surname", "dob", "phone", "insurance_id", …), matched as whole
 *   words, case and spacing aside;
 * - identifier-shaped text on any record: a run of 6 or more digits that is not a dose (a unit
 *   follows it), a phone number, an SSN-shaped number or an e-mail address. Dates ("2024-03-01",
 *   "01/03/2024") and doses ("500 mg") pass.
 *
 * A reworded date ("12 May 1980" for 1980-05-12) or a name spelled differently passes: the check
 * keeps the obvious out, it does not prove a comment anonymous. Pure; the problem names the kind of
 * identifier and the column, never the value.
 */
import type { Decision } from '../../../formats/review.ts';

/** The kind of identifier found (public codes: add, never rename). */
export type CommentIdentifierKind =
  | 'record-key'
  | 'identifying-field'
  | 'mrn-like-number'
  | 'phone-number'
  | 'national-id'
  | 'email';

/** One identifying value of a record, and what it is (`column` for a legacy column's cell). */
export interface IdentifyingValue {
  kind: 'record-key' | 'identifying-field';
  value: string;
  column?: string;
}

/** What a text was found to carry, in words for clinic staff (never the value). */
interface CommentIdentifierProblem {
  kind: CommentIdentifierKind;
  /** the legacy column whose value was quoted, for `identifying-field` */
  column?: string;
  message: string;
}

/** Target paths (FHIR Patient, first segment) whose source cells identify the patient. */
const IDENTIFYING_TARGETS = new Set(['identifier', 'name', 'birthDate', 'telecom', 'address']);

/**
 * Legacy column names that identify the patient, whether or not the mapping migrates them: the
 * name with its separators as "_" is one of these words, or contains one of the unambiguous ones.
 * ("drug_name" or "family_history" are not identifying: "name" and "family" alone must be whole.)
 */
const IDENTIFYING_COLUMN_WORDS = new Set([
  'id',
  'name',
  'full_name',
  'patient_name',
  'first_name',
  'last_name',
  'given_name',
  'family_name',
  'given',
  'family',
  'middle_name',
  'firstname',
  'lastname',
  'phone',
  'tel',
  'telephone',
  'mobile',
  'city',
  'town',
  'zip',
  'patient_id',
  'patientid',
  'identifier',
]);
const IDENTIFYING_COLUMN_PART =
  /(^|_)(mrn|nhs|ssn|nric|passport|insurance|medicare|medicaid|surname|forename|birth|dob|phone|email|e_mail|address|street|postcode|post_code|postal)/;

function identifyingColumn(column: string): boolean {
  const name = column
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return IDENTIFYING_COLUMN_WORDS.has(name) || IDENTIFYING_COLUMN_PART.test(name);
}

/** Parts of those targets that do not identify anyone: a state, a country, a code. */
const GENERIC_PARTS = new Set([
  'use',
  'system',
  'code',
  'state',
  'country',
  'district',
  'prefix',
  'suffix',
  'type',
]);

/** Whether a target path identifies: "name[0].family" yes, "address[0].state" no. */
function identifyingTarget(target: string): boolean {
  const parts = target
    .replace(/^Patient\./, '')
    .split('.')
    .map((p) => p.replace(/\[\d+\]$/, ''));
  return IDENTIFYING_TARGETS.has(parts[0] ?? '') && !parts.slice(1).some((p) => GENERIC_PARTS.has(p));
}

/**
 * The identifying values of the record shown: its key, then each non-blank cell of a legacy column
 * that is mapped to an identifying target or named like an identifying column.
 */
export function identifyingValues(shown: {
  recordKey: string;
  source: { header: readonly string[]; cells: readonly string[] };
  alignment: readonly { target: string; columns: readonly string[] }[];
}): IdentifyingValue[] {
  const out: IdentifyingValue[] = [{ kind: 'record-key', value: shown.recordKey }];
  const mapped = new Set(
    shown.alignment.filter((f) => identifyingTarget(f.target)).flatMap((f) => f.columns),
  );
  for (const [i, column] of shown.source.header.entries()) {
    const value = shown.source.cells[i]?.trim() ?? '';
    if (value === '' || !(mapped.has(column) || identifyingColumn(column))) continue;
    out.push({ kind: 'identifying-field', value, column });
  }
  return out;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DIGITS_ONLY = /^[\d\s().+-]+$/;

/** Whether `text` quotes `value` as a whole word (a number: its digits in order, separators aside). */
function quotes(text: string, value: string): boolean {
  const v = fold(value);
  if (v.length < 2) return false;
  if (DIGITS_ONLY.test(v)) {
    const digits = v.replace(/\D/g, '');
    // short numbers (a house number, a day) are too common in clinical words to match on their own
    if (digits.length < 4) return false;
    // the same digits in order, any separators between them, not inside a longer number
    const spaced = [...digits].join('[\\s().+-]*');
    return new RegExp(`(?<!\\d)${spaced}(?!\\d)`).test(text);
  }
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(v)}($|[^\\p{L}\\p{N}])`, 'u').test(fold(text));
}

const UNIT = String.raw`\s*(mg|mcg|µg|ug|g|kg|ml|l|iu|units?|u|mmol|mol|%)(?![a-z])`;
/** Identifier shapes, most specific first. */
const PATTERNS: readonly { kind: CommentIdentifierKind; pattern: RegExp }[] = [
  { kind: 'email', pattern: /[^\s@]+@[^\s@]+\.[a-z]{2,}/i },
  { kind: 'national-id', pattern: /(^|[^\d-])\d{3}-\d{2}-\d{4}($|[^\d-])/ },
  {
    kind: 'phone-number',
    pattern: /(^|[^\d])(\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}($|[^\d])/,
  },
];

const UNIT_AFTER = new RegExp(`^${UNIT}`, 'i');

/** A compact date, 8 digits: years 1900–2099, a real month and day ("20240301"). */
function compactDate(digits: string): boolean {
  const m = /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.exec(digits);
  return m !== null;
}

/**
 * A whole run of 6 or more digits (not part of a decimal or a grouped number like "1,000,000"),
 * that no unit follows (a dose) and that is not a compact date.
 */
function hasMrnLikeNumber(text: string): boolean {
  for (const m of text.matchAll(/\d+/g)) {
    const run = m[0];
    const start = m.index;
    const end = start + run.length;
    if (run.length < 6) continue;
    const before = text[start - 1] ?? '';
    const after = text.slice(end);
    if (/[.,]/.test(before) && /\d/.test(text[start - 2] ?? '')) continue;
    if (/^[.,]\d/.test(after)) continue;
    if (UNIT_AFTER.test(after) || compactDate(run)) continue;
    return true;
  }
  return false;
}

const WORDS: Record<CommentIdentifierKind, string> = {
  'record-key': "the record's key (its MRN or other record number)",
  'identifying-field': 'a value of an identifying column',
  'mrn-like-number': 'a number shaped like an MRN (6 or more digits)',
  'phone-number': 'a phone number',
  'national-id': 'a number shaped like a national identifier',
  email: 'an e-mail address',
};

/** The message for a kind: what was found (never the value) and what to do. */
function commentIdentifierMessage(
  kind: CommentIdentifierKind,
  column?: string,
  field = 'The comment',
): string {
  const what = kind === 'identifying-field' && column ? `the value of the column "${column}"` : WORDS[kind];
  return `${field} contains ${what}. Comments travel with the results and must not identify the patient: refer to it as "the record" or by field name, and remove the value.`;
}

/**
 * What identifies a patient in `text`: one of the record's `values`, else an identifier-shaped
 * string; null when neither is found. `field` names the text in the message ("The comment").
 */
export function commentIdentifierProblem(
  text: string,
  values: readonly IdentifyingValue[],
  field?: string,
): CommentIdentifierProblem | null {
  if (text.trim() === '') return null;
  for (const v of values)
    if (quotes(text, v.value))
      return {
        kind: v.kind,
        ...(v.column ? { column: v.column } : {}),
        message: commentIdentifierMessage(v.kind, v.column, field),
      };
  const folded = text.normalize('NFKC');
  const hit =
    PATTERNS.find((p) => p.pattern.test(folded)) ??
    (hasMrnLikeNumber(folded) ? { kind: 'mrn-like-number' as const } : undefined);
  return hit ? { kind: hit.kind, message: commentIdentifierMessage(hit.kind, undefined, field) } : null;
}

/**
 * The first free text of `decision` (its comment, then the reason for its change) that carries an
 * identifier of its record (`values`, default: its record key alone), or null.
 */
export function decisionIdentifierProblem(
  decision: Pick<Decision, 'recordKey' | 'comment' | 'change'>,
  values: readonly IdentifyingValue[] = [{ kind: 'record-key', value: decision.recordKey }],
): CommentIdentifierProblem | null {
  return (
    commentIdentifierProblem(decision.comment ?? '', values, 'The comment') ??
    commentIdentifierProblem(decision.change?.reason ?? '', values, 'The reason for the change')
  );
}
