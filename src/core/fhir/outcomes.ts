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
 * profile (`url|version`), where the Java validator uses an extension R4 does not define; for a
 * message that follows from another of the same resource (a slice not found because its only
 * candidate breaks the slice's profile, the same defect found again through a second profile), it
 * also names that root cause by its position ("follows from issue 2 (its root cause)"), so the
 * outcome marks what a report folds under it, with no extension R4 lacks.
 *
 * Constraint: nothing from the resource is copied: messages say where and what kind, never the
 * value (`FhirIssue.value` is left out), and no id or other element of the resource appears.
 * A resource without issues gets one `informational` issue, as R4 requires at least one.
 */
import { type FhirIssue, issueKey, rootCauseOf } from './issues.ts';
import { existingSteps, type JsonStep, locationSteps } from './resourceView.ts';
import type { RecordOutcome } from './run.ts';

export const ISSUE_LINE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line';
export const ISSUE_COL_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col';
/** The `Bundle.entry.link` relation naming the file and line an OperationOutcome is about. */
export const OUTCOME_SOURCE_RELATION = 'about';

/** The two export files: NDJSON lines `{input, row, outcome}`, or a `collection` Bundle. */
export type OutcomesFormat = 'ndjson' | 'bundle';

/** Where a resource's text is, to give each issue its line and column. */
interface OutcomeSource {
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
  const positions = issuePositions(issues, source);
  const roots = rootCausePositions(issues);
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue, n) => {
      const at = positions[n];
      const root = roots[n];
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
        diagnostics: `rule ${issue.rule}${issue.profile ? `; profile ${issue.profile}` : ''}${root === undefined ? '' : `; follows from issue ${root + 1} (its root cause)`}`,
        ...(issue.location ? { expression: [issue.location] } : {}),
      };
    }),
  };
}

/**
 * For each issue that follows from another of the same resource (`causedBy`), the index in
 * `issues` of its root cause — the issue a report folds it under; undefined for the others. Most
 * resources have no such issue: then no map is made.
 */
function rootCausePositions(issues: readonly FhirIssue[]): (number | undefined)[] {
  if (!issues.some((issue) => issue.causedBy !== undefined)) return [];
  const byKey = new Map<string, FhirIssue>();
  const position = new Map<FhirIssue, number>();
  issues.forEach((issue, n) => {
    const key = issueKey(issue);
    if (!byKey.has(key)) byKey.set(key, issue);
    position.set(issue, n);
  });
  return issues.map((issue) => {
    const root = issue.causedBy === undefined ? undefined : rootCauseOf(issue, byKey);
    return root === undefined ? undefined : position.get(root);
  });
}

/**
 * The line and column in the file of each issue's element (by index of `issues`): a syntax error's
 * own; otherwise, when the record's text is at hand, the element at the issue's location, or the
 * nearest element holding it when it is missing. One pass over the text for all issues, so a large
 * Bundle with many issues costs one read of its text.
 */
function issuePositions(
  issues: readonly FhirIssue[],
  source: OutcomeSource | undefined,
): ({ line: number; column: number } | undefined)[] {
  // a syntax error's own position is counted on the file's lines already
  const own = (issue: FhirIssue) =>
    issue.line === undefined ? undefined : { line: issue.line, column: issue.column ?? 1 };
  if (!source) return issues.map(own);
  const body = source.text.startsWith('\uFEFF') ? source.text.slice(1) : source.text;
  let value: unknown;
  let parsed = false;
  const steps = issues.map((issue) => {
    if (issue.line !== undefined) return undefined;
    if (!parsed) {
      parsed = true;
      try {
        value = JSON.parse(body);
      } catch {
        return undefined;
      }
    }
    return value === undefined ? undefined : existingSteps(value, locationSteps(issue.location));
  });
  const offsets = jsonOffsets(
    body,
    steps.filter((s) => s !== undefined),
  );
  const lines = lineStarts(body);
  return issues.map((issue, n) => {
    if (issue.line !== undefined) return own(issue);
    const path = steps[n];
    const offset = path === undefined ? undefined : offsets.get(pathKey(path));
    if (offset === undefined) return undefined;
    const line = lastAtOrBefore(lines, offset);
    return { line: source.firstLine + line, column: offset - (lines[line] as number) + 1 };
  });
}

/** The offsets where the lines of `text` start (CRLF, LF and CR each end a line, as editors count). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** The index of the last entry of sorted `starts` at or before `offset`. */
function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const pathKey = (steps: readonly JsonStep[]): string => JSON.stringify(steps);

/**
 * The UTF-16 offset in valid JSON `text` of the element at `steps` (which exist in it): an object
 * member's name, an array item's value, the root value for no steps.
 */
export function jsonOffsetOf(text: string, steps: readonly JsonStep[]): number | undefined {
  return jsonOffsets(text, [steps]).get(pathKey(steps));
}

interface PathNode {
  children: Map<JsonStep, PathNode>;
  key?: string;
}

/**
 * The offsets of the elements at each of `paths` in valid JSON `text`, by {@link pathKey}, in one
 * pass: only the members and items on some path are entered, the rest skipped. A name given twice
 * counts as its last, as `JSON.parse` reads it.
 */
function jsonOffsets(text: string, paths: readonly (readonly JsonStep[])[]): Map<string, number> {
  const root: PathNode = { children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const step of path) {
      let next = node.children.get(step);
      if (!next) {
        next = { children: new Map() };
        node.children.set(step, next);
      }
      node = next;
    }
    node.key = pathKey(path);
  }
  const found = new Map<string, number>();
  const start = skipSpace(text, 0);
  if (root.key !== undefined) found.set(root.key, start);
  // the depth of this recursion is that of the paths, not of the text (skipValue is iterative)
  const visit = (i: number, node: PathNode): number => {
    if (node.children.size === 0) return skipValue(text, i);
    const open = text[i];
    if (open !== '{' && open !== '[') return skipValue(text, i);
    let j = skipSpace(text, i + 1);
    let index = 0;
    while (j < text.length && text[j] !== '}' && text[j] !== ']') {
      let child: PathNode | undefined;
      let at = j;
      if (open === '{') {
        const keyEnd = skipString(text, j);
        child = node.children.get(JSON.parse(text.slice(j, keyEnd)) as string);
        j = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
      } else {
        child = node.children.get(index++);
        at = j;
      }
      if (child?.key !== undefined) found.set(child.key, at);
      j = skipSpace(text, child ? visit(j, child) : skipValue(text, j));
      if (text[j] === ',') j = skipSpace(text, j + 1);
    }
    return j + 1;
  };
  visit(start, root);
  return found;
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
interface OutcomesWriter {
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
    start: () => (format === 'bundle' ? '{"resourceType":"Bundle","type":"collection"' : ''),
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
      const text = `${first ? ',"entry":[' : ','}\n${JSON.stringify(entry)}`;
      first = false;
      return text;
    },
    // no resources, no entry: FHIR JSON has no empty arrays
    end: () => (format !== 'bundle' ? '' : first ? '}\n' : '\n]}\n'),
  };
}
