/**
 * One FHIR R4 OperationOutcome per validated resource, shaped as the HL7 Java validator writes
 * them, and the two files they are exported in: the browser's download and the CLI's `--outcomes`
 * both write through {@link createOutcomesWriter}, so the same files give the same bytes.
 *
 * Each issue carries what the Java validator's does: `severity`, `code` (IssueType), the message in
 * `details.text`, the FHIRPath of the element in `expression`, and the line and column of that
 * element in the file as read in the R4 extensions `operationoutcome-issue-line` / `-issue-col`
 * (for NDJSON: the resource's line of the file and the column on it; for a JSON file: the line and
 * column in the file). `diagnostics` names Preflight's rule and, for a profile's check, the
 * profile (`url|version`), where the Java validator uses an extension R4 does not define.
 *
 * Constraint: nothing from the resource is copied: messages say where and what kind, never the
 * value (`FhirIssue.value` is left out), and no id or other element of the resource appears.
 * A resource without issues gets one `informational` issue, as R4 requires at least one.
 */
import { positionOf } from '../../formats/jsonText.ts';
import type { FhirIssue } from './issues.ts';
import { existingSteps, type JsonStep, locationSteps } from './resourceView.ts';
import type { RecordOutcome } from './run.ts';

export const ISSUE_LINE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line';
export const ISSUE_COL_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col';
/** The `Bundle.entry.link` relation naming the file and line an OperationOutcome is about. */
export const OUTCOME_SOURCE_RELATION = 'about';

/** The two export files: NDJSON lines `{input, row, outcome}`, or a `collection` Bundle. */
export type OutcomesFormat = 'ndjson' | 'bundle';

/** Where a resource's text is, to give each issue its line and column. */
export interface OutcomeSource {
  /** the resource's JSON text as read (an NDJSON line, or a whole file) */
  text: string;
  /** the file line the text starts on (an NDJSON line number, or 1) */
  firstLine: number;
}

/** An R4 OperationOutcome for one resource's issues (no values: messages carry none). */
export function toOperationOutcome(
  issues: readonly FhirIssue[],
  source?: OutcomeSource,
): Record<string, unknown> {
  if (issues.length === 0)
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', details: { text: 'No issues found' } }],
    };
  const parsed = source ? parseOnce(source.text) : undefined;
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => {
      const at = position(issue, source, parsed);
      return {
        ...(at
          ? {
              extension: [
                { url: ISSUE_LINE_EXTENSION, valueInteger: at.line },
                { url: ISSUE_COL_EXTENSION, valueInteger: at.column },
              ],
            }
          : {}),
        severity: issue.severity,
        code: issue.code,
        details: { text: issue.message },
        diagnostics: `rule ${issue.rule}${issue.profile ? `; profile ${issue.profile}` : ''}`,
        ...(issue.location ? { expression: [issue.location] } : {}),
      };
    }),
  };
}

/** The resource's value, parsed once for all its issues (undefined when the text is not JSON). */
function parseOnce(text: string): { value: unknown; body: string } | undefined {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body), body };
  } catch {
    return undefined;
  }
}

function position(
  issue: FhirIssue,
  source: OutcomeSource | undefined,
  parsed: { value: unknown; body: string } | undefined,
): { line: number; column: number } | undefined {
  // a syntax error's own position is counted on the file's lines already
  if (issue.line !== undefined) return { line: issue.line, column: issue.column ?? 1 };
  if (!source || !parsed) return undefined;
  const offset = jsonOffsetOf(parsed.body, existingSteps(parsed.value, locationSteps(issue.location)));
  if (offset === undefined) return undefined;
  const at = positionOf(parsed.body, offset);
  return { line: source.firstLine + at.line - 1, column: at.column };
}

/**
 * The UTF-16 offset in valid JSON `text` of the element at `steps` (which exist in it): an object
 * member's name, an array item's value, the root value for no steps. A name given twice counts as
 * its last, as `JSON.parse` reads it.
 */
export function jsonOffsetOf(text: string, steps: readonly JsonStep[]): number | undefined {
  let i = skipSpace(text, 0);
  let at = i;
  for (const step of steps) {
    const open = text[i];
    if (typeof step === 'number') {
      if (open !== '[') return undefined;
      i = skipSpace(text, i + 1);
      for (let n = 0; n < step; n++) {
        i = skipSpace(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i = skipSpace(text, i + 1);
      }
      at = i;
      continue;
    }
    if (open !== '{') return undefined;
    i = skipSpace(text, i + 1);
    let found: { key: number; value: number } | undefined;
    while (text[i] === '"') {
      const keyStart = i;
      const keyEnd = skipString(text, i);
      const name = JSON.parse(text.slice(keyStart, keyEnd)) as string;
      i = skipSpace(text, keyEnd);
      i = skipSpace(text, i + 1); // the colon
      if (name === step) found = { key: keyStart, value: i };
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ',') i = skipSpace(text, i + 1);
    }
    if (!found) return undefined;
    at = found.key;
    i = found.value;
  }
  return at;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
    i++;
  return i;
}

/** The offset after the string starting at `i` (a quote). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return text.length;
}

/** The offset after the value starting at `i`; iterative, so nesting depth costs no stack. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '"') {
      j = skipString(text, j);
      if (depth === 0) return j;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return j;
      depth--;
      if (depth === 0) return j + 1;
    } else if (depth === 0 && (c === ',' || c === ' ' || c === '\n' || c === '\r' || c === '\t')) return j;
    j++;
  }
  return j;
}

/** Writes the OperationOutcomes of a run as text pieces, in the order the resources were read. */
export interface OutcomesWriter {
  /** the text before the first resource's outcome */
  start(): string;
  /** one resource's outcome */
  record(record: RecordOutcome): string;
  /** the text after the last */
  end(): string;
}

/**
 * The export of a run's OperationOutcomes in `format`. NDJSON: one line `{input, row, outcome}` per
 * resource. Bundle: a `collection` Bundle, as the Java validator writes for several files and as
 * implementation guides publish their `validation-oo.json`; each entry's `link` (relation
 * {@link OUTCOME_SOURCE_RELATION}) names the file and line of its resource (`Patient.ndjson#line=12`,
 * an RFC 5147 text fragment), the same pair as the NDJSON form's input and row.
 */
export function createOutcomesWriter(format: OutcomesFormat): OutcomesWriter {
  let first = true;
  return {
    start: () => (format === 'bundle' ? '{"resourceType":"Bundle","type":"collection","entry":[' : ''),
    record(record) {
      const outcome = toOperationOutcome(
        record.issues,
        record.text === undefined ? undefined : { text: record.text, firstLine: record.row },
      );
      if (format === 'ndjson')
        return `${JSON.stringify({ input: record.input, row: record.row, outcome })}\n`;
      const entry = {
        link: [{ relation: OUTCOME_SOURCE_RELATION, url: `${encodeURI(record.input)}#line=${record.row}` }],
        resource: outcome,
      };
      const text = `${first ? '' : ','}\n${JSON.stringify(entry)}`;
      first = false;
      return text;
    },
    end: () => (format === 'bundle' ? '\n]}\n' : ''),
  };
}
