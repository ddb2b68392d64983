/**
 * Runs FHIR inputs through a validation session and aggregates a `preflight.report/v1`: a single
 * resource or Bundle file, or NDJSON of any size streamed line by line (a line that fails does
 * not stop the rest). Records are the top-level resources (a file's one resource, or an NDJSON
 * line). Issues are grouped by rule and location with array indices removed
 * (`Patient.name.family`) — an unknown extension or a claimed profile by rule and URL, its
 * examples spread over the file; each example keeps the exact location in `column` and the
 * record's line (NDJSON) or 1 (a file) in `row`. An issue that follows from another of the same
 * record (`FhirIssue.causedBy`: a profile's slice not found because its only candidate breaks the
 * slice's profile) is folded under its root cause's group, in `derived` with its own count,
 * rather than listed as a problem of its own; `summary` still counts every occurrence.
 *
 * Waivers limited to rows, known before the run (`rowSets`), are counted in the pass as for CSV
 * files: each group a waiver names (its rule at its location, or naming its extension URL) counts
 * the occurrences in the waiver's input and rows (`withinRows`), each under the first waiver whose
 * rows hold it, so `applyWaivers` accepts exactly those. A record's row is its `row` above: the
 * NDJSON line, or 1 for a whole JSON file, a Bundle's entries included — which only a waiver naming
 * that file holds.
 *
 * Memory: per run it holds the grouped issues (bounded examples) and, for references across an
 * NDJSON export, the `Type/id` of every resource seen and the references not resolved yet.
 */
import { locateJsonSyntaxError, positionOf } from '../../formats/jsonText.ts';
import {
  type IssueExample,
  REPORT_FORMAT,
  type Report,
  type ReportDerivedIssue,
  type ReportFhirLayer,
  type ReportInput,
  type ReportIssue,
  type ReportUncheckedCodes,
} from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { textDecodeWords } from '../csv/index.ts';
import { firstHoldingList, indexWaivers, waiverHoldsInput } from '../validation/index.ts';
import { codeSystemWords, uncheckedWhy, unheldWhy } from './codeSystems.ts';
import { invariantsNotChecked } from './invariantCoverage.ts';
import { type CodingsNotChecked, type FhirIssue, issueKey, rootCauseOf } from './issues.ts';
import {
  createJsonTextLimit,
  type JsonLimitOptions,
  type JsonTooLarge,
  jsonTooLargeIssue,
  MAX_NDJSON_LINE_CHARS,
} from './jsonLimits.ts';
import { FHIR_LAYERS, type FhirLayer, fhirRule } from './rules.ts';
import type { FhirSession, ResourceResult } from './validator.ts';

const BYTE_ORDER_MARK = '\uFEFF';

/** Examples kept per issue group. */
const DEFAULT_MAX_EXAMPLES = 5;

/** Parses one JSON text (a leading BOM is ignored); a syntax error becomes an issue with line and column. */
export function parseFhirJson(
  text: string,
  lineOffset = 0,
): { ok: true; value: unknown } | { ok: false; issue: FhirIssue } {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    const found = locateJsonSyntaxError(body) ?? { offset: 0, kind: 'not valid JSON' };
    const position = positionOf(body, found.offset);
    const line = position.line + lineOffset;
    const rule = fhirRule('fhir-json-syntax');
    return {
      ok: false,
      issue: {
        rule: rule.id,
        severity: rule.severity,
        code: rule.code,
        location: '',
        message: `The text is not valid JSON: ${found.kind} at line ${line}, column ${position.column}. Fix the JSON (an editor with JSON checking shows where) and validate again`,
        line,
        column: position.column,
      },
    };
  }
}

/** One NDJSON line: its text, or where it went over a bound (its text then dropped, `text` empty). */
interface NdjsonLine {
  line: number;
  text: string;
  tooLarge?: JsonTooLarge;
}

/**
 * Splits streamed text into lines (LF or CRLF), numbered from 1; a BOM at the start is dropped.
 * Each line is counted against the bounds of jsonLimits.ts as it arrives: a line with a text,
 * property name or length over its bound is yielded with `tooLarge`, and its text is not kept.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<string>,
  limits: JsonLimitOptions = {},
): AsyncGenerator<NdjsonLine> {
  const maxLine = limits.maxLineChars ?? MAX_NDJSON_LINE_CHARS;
  const limit = createJsonTextLimit(limits);
  let rest = '';
  /** lines finished so far */
  let line = 0;
  /** the line being read is over a bound: its text is dropped up to its end */
  let refused: JsonTooLarge | undefined;
  let first = true;
  const check = (piece: string) => {
    refused =
      limit.scan(piece) ??
      (rest.length + piece.length > maxLine
        ? { kind: 'line', line: line + 1, column: 1, max: maxLine }
        : undefined);
  };
  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      if (chunk.startsWith(BYTE_ORDER_MARK)) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      if (refused === undefined) check(piece);
      line++;
      if (refused !== undefined) yield { line, text: '', tooLarge: refused };
      else {
        const text = rest + piece;
        yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
      }
      rest = '';
      refused = undefined;
      limit.restart(line + 1);
      start = nl + 1;
    }
    if (refused !== undefined) continue;
    const tail = chunk.slice(start);
    check(tail);
    rest = refused === undefined ? rest + tail : '';
  }
  if (refused !== undefined) yield { line: line + 1, text: '', tooLarge: refused };
  else if (rest.length > 0) {
    line++;
    yield { line, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest };
  }
}

/** An array index in a location. */
const ARRAY_INDEX = /\[\d+\]/g;

/** Location with array indices removed, for grouping: `Bundle.entry[3].resource.id` → `Bundle.entry.resource.id`. */
export function groupLocation(location: string): string {
  // called for every issue: a location without an index is kept as it is, without a regex pass
  return location.includes('[') ? location.replace(ARRAY_INDEX, '') : location;
}

/** One validated record, as the caller may want it (an OperationOutcome per resource). */
export interface RecordOutcome {
  input: string;
  /** NDJSON line, or 1 for a single-resource file */
  row: number;
  issues: FhirIssue[];
  /** the resource's JSON text as read (an NDJSON line, or the whole file), when it was read */
  text?: string;
}

/** Options of {@link createFhirRun}. */
export interface FhirRunOptions {
  maxExamples?: number;
  /** called with every record's issues (e.g. to write an OperationOutcome per resource) */
  onRecord?: (outcome: RecordOutcome) => void;
  /** check references between the resources of NDJSON inputs (default true) */
  exportReferences?: boolean;
  /** bounds on text values, property names and NDJSON lines (jsonLimits.ts defaults) */
  limits?: JsonLimitOptions;
  /**
   * waivers limited to rows in force for the run (`fhirRowSetWaivers`), in their order: the
   * occurrences inside each one's input and rows are counted (see the file header)
   */
  rowSets?: readonly Waiver[];
}

/** A validation run over one or more inputs, building one report. */
export interface FhirRun {
  /** Validates a whole JSON file (resource or Bundle). */
  addJson(name: string, text: string, bytes?: number): Promise<void>;
  /**
   * Validates a whole JSON file streamed as text chunks: each chunk is counted against the bounds
   * of jsonLimits.ts as it arrives, and reading stops at the first text over its bound.
   */
  addJsonChunks(name: string, chunks: AsyncIterable<string>, bytes?: number): Promise<void>;
  /** Validates NDJSON streamed as text chunks. */
  addNdjson(name: string, chunks: AsyncIterable<string>, bytes?: number): Promise<void>;
  /**
   * Records that `name` cannot be read as text past `refusal.byteOffset` (after
   * {@link FhirRun.addNdjson} or {@link FhirRun.addJsonChunks} stopped there, or before reading
   * it): one fatal problem on the file, placed by line and byte offset, counted as one invalid
   * record; the NDJSON lines of the chunks decoded before the byte's chunk stay in the report
   * (a stream cannot take them back), and the run goes on.
   */
  refuseText(name: string, kind: 'ndjson' | 'fhir-json', refusal: TextRefusal, bytes?: number): void;
  /** The report; `startedAt` and `generatedAt` come from the caller (the core reads no clock). */
  report(times: { startedAt: string; generatedAt: string; totalMs: number; version: string }): Report;
}

/** Where a file stops being text: the first byte that is not UTF-8, or a zero byte (a binary file). */
interface TextRefusal {
  /** 0-based offset of the byte in the file */
  byteOffset: number;
  /** 1-based line of the byte */
  line: number;
  /** the byte is a zero byte: the file is not text at all */
  binary: boolean;
}

/**
 * The fatal problem of a file refused as text, in the words the CLI and the app both show: what
 * and where in the one wording of bad bytes ({@link textDecodeWords}), then what to do with FHIR.
 */
function textRefusalIssue(name: string, refusal: TextRefusal): FhirIssue {
  const rule = fhirRule(refusal.binary ? 'fhir-not-text' : 'fhir-not-utf8');
  const { message } = textDecodeWords({ ...refusal, encoding: 'utf-8', source: name });
  return {
    rule: rule.id,
    severity: rule.severity,
    code: rule.code,
    location: '',
    line: refusal.line,
    message: refusal.binary
      ? `${message}: check that it is the right file; FHIR resources are exported as JSON or NDJSON text`
      : `${message}; export the file again as UTF-8 (FHIR JSON is always UTF-8), then check it again`,
  };
}

interface Group {
  issue: ReportIssue;
  /** the issues folded under this root cause, by rule, grouped location and message */
  derived?: Map<string, ReportDerivedIssue>;
  /** examples spread over all the occurrences ({@link spreadSlot}), not the first ones */
  spread?: { seen: number; stride: number };
  /** the row-set waivers that name the group, in order, beside its `withinRows` counts */
  watches?: Waiver[];
  /**
   * per input (and whether it is a whole JSON file), the first watch holding a row: made once,
   * so each occurrence costs a lookup, not a scan of every waiver
   */
  holders?: Map<string, (row: number) => number>;
}

/** Rules grouped by the URL they name (the issue's value), not by location. */
const BY_URL = new Set([
  'fhir-unknown-extension',
  'fhir-unknown-modifier-extension',
  'fhir-extension-other-version',
  'fhir-profile-claim-not-checked',
  'fhir-profile-claim-unknown',
]);

/**
 * Rules grouped by location and message: a binding not checked (or to a broken value set) is one
 * group per element and value set (the message names it), so race and ethnicity, or two
 * profiles' bindings at one element, are told apart and a report is not flooded either.
 */
const BY_MESSAGE = new Set(['fhir-profile-binding-unchecked', 'fhir-profile-binding-value-set-broken']);

/**
 * Whether this occurrence becomes an example, keeping at most `max` spread evenly over every
 * occurrence so far: every `stride`-th is kept, and when the list is full every other example is
 * dropped and the stride doubled. A bulk export's 378 unknown extensions then show examples from
 * the whole file, not five from its first line. Deterministic: the same file, the same examples.
 */
function spreadSlot(
  spread: { seen: number; stride: number },
  examples: IssueExample[],
  max: number,
): boolean {
  const index = spread.seen++;
  if (index % spread.stride !== 0) return false;
  if (examples.length < max) return true;
  const kept = examples.filter((_, i) => i % 2 === 0);
  examples.splice(0, examples.length, ...kept);
  spread.stride *= 2;
  return index % spread.stride === 0;
}

/** A relative reference `Type/id`, with or without a version after it. */
const EXPORT_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/.*)?$/;

/**
 * The `Type/id` a relative reference names in an export (its version dropped), or undefined for
 * any other reference. Called for every reference of every resource: a test and a slice, no match
 * array (an id holds no "/", so the key ends at the second one).
 */
function exportReferenceKey(reference: string): string | undefined {
  if (!EXPORT_REFERENCE.test(reference)) return undefined;
  const version = reference.indexOf('/', reference.indexOf('/') + 1);
  return version < 0 ? reference : reference.slice(0, version);
}

/** Creates a run over `session`. */
export function createFhirRun(session: FhirSession, options: FhirRunOptions = {}): FhirRun {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const groups = new Map<string, Group>();
  /** the row-set waivers by what they name, in order: a new group looks only at those naming it */
  const rowSets = indexWaivers(options.rowSets ?? [], (w) => w);
  const inputs: ReportInput[] = [];
  const summary = { records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };
  const seen = new Set<string>();
  /**
   * References to a `Type/id` not seen yet, by target, then by grouped location: a count and the
   * first examples only, so a million references to one missing patient cost one entry.
   */
  const pending = new Map<string, Map<string, { count: number; examples: IssueExample[] }>>();
  const exportReferences = options.exportReferences ?? true;
  /** the input being read: its `invalid` counts the records with an error, as for CSV inputs */
  let current: ReportInput | undefined;
  /** per input, the codes left unchecked by a binding, by code system */
  const uncheckedByInput = new Map<ReportInput, Map<string, number>>();
  /** per input, the codings whose code and display were not checked, by code system */
  const codingsByInput = new Map<ReportInput, Map<string, CodingsNotChecked>>();
  const noteCodings = (found: ReadonlyMap<string, CodingsNotChecked> | undefined) => {
    if (!found || !current) return;
    let bySystem = codingsByInput.get(current);
    if (!bySystem) {
      bySystem = new Map();
      codingsByInput.set(current, bySystem);
    }
    for (const [system, counts] of found) {
      const into = bySystem.get(system);
      if (into) {
        into.system += counts.system;
        into.code += counts.code;
      } else bySystem.set(system, { ...counts });
    }
  };
  /** the resource types each input holds (top level and Bundle entries), for what is not checked */
  const typesByInput = new Map<ReportInput, Set<string>>();
  const noteTypes = (input: ReportInput, value: unknown) => {
    const types = typesByInput.get(input) ?? new Set<string>();
    typesByInput.set(input, types);
    if (typeof value !== 'object' || value === null) return;
    const resource = value as { resourceType?: unknown; entry?: unknown };
    if (typeof resource.resourceType === 'string') types.add(resource.resourceType);
    if (resource.resourceType === 'Bundle' && Array.isArray(resource.entry))
      for (const entry of resource.entry) {
        const type = (entry as { resource?: { resourceType?: unknown } } | null)?.resource?.resourceType;
        if (typeof type === 'string') types.add(type);
      }
  };

  /** The group key of an issue: its rule and location (an unknown extension's or claimed profile's URL). */
  const groupOf = (issue: FhirIssue): { key: string; location: string; byUrl: boolean } => {
    // an unknown extension or a claimed profile is grouped by its URL, wherever it appears
    const byUrl = BY_URL.has(issue.rule) && issue.value !== undefined;
    const location = byUrl
      ? (issue.value as string)
      : issue.location === ''
        ? ''
        : groupLocation(issue.location);
    const key = BY_MESSAGE.has(issue.rule)
      ? `${issue.rule}\u0000${location}\u0000${issue.message}`
      : `${issue.rule}\u0000${location}`;
    return { key, location, byUrl };
  };

  const add = (input: string, row: number, issues: FhirIssue[], text?: string) => {
    let errors = 0;
    /** the record's issues by key, made only when one of them follows from another */
    let byKey: Map<string, FhirIssue> | undefined;
    /** elements whose unchecked codes are counted already (two profiles may note one element) */
    let countedAt: Set<string> | undefined;
    for (const issue of issues) {
      if (issue.uncheckedCodes && current) {
        countedAt ??= new Set();
        if (!countedAt.has(issue.location)) {
          countedAt.add(issue.location);
          let bySystem = uncheckedByInput.get(current);
          if (!bySystem) {
            bySystem = new Map();
            uncheckedByInput.set(current, bySystem);
          }
          for (const system of issue.uncheckedCodes) bySystem.set(system, (bySystem.get(system) ?? 0) + 1);
        }
      }
      if (issue.severity === 'error' || issue.severity === 'fatal') errors++;
      else if (issue.severity === 'warning') summary.warnings++;
      if (issue.causedBy !== undefined) {
        byKey ??= new Map(issues.map((i) => [issueKey(i), i]));
        const root = rootCauseOf(issue, byKey);
        const rootGroup = root ? groups.get(groupOf(root).key) : undefined;
        if (rootGroup) {
          // folded under its root cause: counted there, not listed as a problem of its own
          const location = groupLocation(issue.location);
          const derivedKey = `${issue.rule}\u0000${location}\u0000${issue.message}`;
          rootGroup.derived ??= new Map();
          const derived = rootGroup.derived.get(derivedKey);
          if (derived) derived.count++;
          else
            rootGroup.derived.set(derivedKey, {
              rule: issue.rule,
              severity: issue.severity,
              code: issue.code,
              location,
              message: issue.message,
              count: 1,
            });
          continue;
        }
      }
      const { key, location, byUrl } = groupOf(issue);
      let group = groups.get(key);
      if (!group) {
        group = {
          ...(byUrl ? { spread: { seen: 0, stride: 1 } } : {}),
          issue: {
            rule: issue.rule,
            severity: issue.severity,
            code: issue.code,
            location,
            message: issue.message,
            count: 0,
            examples: [],
          },
        };
        // the waivers limited to rows that name this problem count their occurrences in it
        const watches = rowSets.naming(group.issue);
        if (watches.length > 0) {
          group.watches = watches;
          group.issue.withinRows = watches.map((w) => ({
            waiver: w.id,
            count: 0,
            rows: w.rows ?? [],
            ...(w.input === undefined ? {} : { input: w.input }),
          }));
        }
        groups.set(key, group);
      }
      group.issue.count++;
      if (group.watches && group.issue.withinRows) {
        // under the first waiver whose input and rows hold it: counts that never overlap
        const whole = current?.kind === 'fhir-json';
        const inputKey = `${whole ? 'whole' : 'lines'}\u0000${input}`;
        group.holders ??= new Map();
        let holder = group.holders.get(inputKey);
        if (!holder) {
          const watches = group.watches;
          holder = firstHoldingList(
            watches.map((w) => (w.rows !== undefined && waiverHoldsInput(w, input, whole) ? w.rows : [])),
          );
          group.holders.set(inputKey, holder);
        }
        const within = group.issue.withinRows[holder(row)];
        if (within) within.count++;
      }
      if (
        group.spread
          ? spreadSlot(group.spread, group.issue.examples, maxExamples)
          : group.issue.examples.length < maxExamples
      ) {
        const column =
          issue.line !== undefined
            ? `line ${issue.line}, column ${issue.column ?? 1}`
            : issue.location || undefined;
        group.issue.examples.push({
          input,
          row,
          ...(column !== undefined ? { column } : {}),
          ...(issue.value !== undefined ? { value: issue.value } : {}),
        });
      }
    }
    summary.errors += errors;
    summary.records++;
    if (errors > 0) {
      summary.invalid++;
      if (current) current.invalid = (current.invalid ?? 0) + 1;
    } else summary.valid++;
    options.onRecord?.(text === undefined ? { input, row, issues } : { input, row, issues, text });
  };

  const trackReferences = (input: string, row: number, result: ResourceResult) => {
    if (!exportReferences || !session.validator.layers.has('references')) return;
    if (result.resourceType && result.id) {
      const key = `${result.resourceType}/${result.id}`;
      seen.add(key);
      pending.delete(key);
    }
    for (const ref of result.references) {
      const key = exportReferenceKey(ref.reference);
      if (key === undefined || seen.has(key)) continue;
      const location = `${ref.location}.reference`;
      const byLocation = pending.get(key) ?? new Map<string, { count: number; examples: IssueExample[] }>();
      pending.set(key, byLocation);
      const grouped = groupLocation(location);
      const entry = byLocation.get(grouped) ?? { count: 0, examples: [] };
      byLocation.set(grouped, entry);
      entry.count++;
      if (entry.examples.length < maxExamples)
        entry.examples.push({ input, row, column: location, value: ref.reference });
    }
  };

  /** A whole JSON file as one record: its text (read by `read`) parsed and validated, or refused. */
  const addWhole = async (
    name: string,
    bytes: number | undefined,
    read: () => Promise<{ text: string; found?: undefined } | { found: JsonTooLarge }>,
  ) => {
    const input: ReportInput = {
      name,
      kind: 'fhir-json',
      records: 1,
      invalid: 0,
      ...(bytes !== undefined ? { bytes } : {}),
    };
    inputs.push(input);
    current = input;
    const whole = await read();
    if (whole.found) {
      add(name, 1, [jsonTooLargeIssue(whole.found)]);
      return;
    }
    const parsed = parseFhirJson(whole.text);
    if (!parsed.ok) {
      add(name, 1, [parsed.issue]);
      return;
    }
    noteTypes(input, parsed.value);
    const result = await session.validate(parsed.value);
    noteCodings(result.codingsNotChecked);
    add(name, 1, result.issues, whole.text);
  };

  return {
    async addJson(name, text, bytes) {
      await addWhole(name, bytes, async () => {
        const found = createJsonTextLimit(options.limits).scan(text);
        return found ? { found } : { text };
      });
    },
    async addJsonChunks(name, chunks, bytes) {
      await addWhole(name, bytes, async () => {
        const limit = createJsonTextLimit(options.limits);
        const parts: string[] = [];
        for await (const chunk of chunks) {
          const found = limit.scan(chunk);
          // leaving the loop closes the stream: the rest of the file is not read
          if (found) return { found };
          parts.push(chunk);
        }
        return { text: parts.join('') };
      });
    },
    async addNdjson(name, chunks, bytes) {
      const input: ReportInput = {
        name,
        kind: 'ndjson',
        records: 0,
        invalid: 0,
        ...(bytes !== undefined ? { bytes } : {}),
      };
      inputs.push(input);
      current = input;
      for await (const { line, text, tooLarge } of ndjsonLines(chunks, options.limits)) {
        if (tooLarge) {
          input.records++;
          add(name, line, [jsonTooLargeIssue(tooLarge)]);
          continue;
        }
        if (text.trim() === '') continue;
        input.records++;
        const parsed = parseFhirJson(text, line - 1);
        if (!parsed.ok) {
          add(name, line, [parsed.issue]);
          continue;
        }
        noteTypes(input, parsed.value);
        const result = session.tryValidate(parsed.value) ?? (await session.validate(parsed.value));
        noteCodings(result.codingsNotChecked);
        add(name, line, result.issues, text);
        trackReferences(name, line, result);
      }
    },
    refuseText(name, kind, refusal, bytes) {
      // a stream that stopped at the byte already listed the input; a file refused before
      // reading is listed here
      let input = inputs.find((i) => i.name === name);
      // a whole JSON file is one record, counted when it was listed; an NDJSON line is counted here
      const counted = input?.kind === 'fhir-json';
      if (!input) {
        input = { name, kind, records: 0, invalid: 0, ...(bytes !== undefined ? { bytes } : {}) };
        inputs.push(input);
      }
      const issue = textRefusalIssue(name, refusal);
      // one group per file: its message names the file and the place
      const key = `${issue.rule}\u0000\u0000${name}`;
      groups.set(key, {
        issue: {
          rule: issue.rule,
          severity: issue.severity,
          code: issue.code,
          location: '',
          message: issue.message,
          count: 1,
          examples: [{ input: name, row: refusal.line, column: `byte ${refusal.byteOffset}` }],
        },
      });
      if (!counted) input.records++;
      input.invalid = (input.invalid ?? 0) + 1;
      summary.records++;
      summary.errors++;
      summary.invalid++;
      options.onRecord?.({ input: name, row: refusal.line, issues: [issue] });
    },
    report(times) {
      // references still pending at the end point at resources that are not in the export
      if (pending.size > 0) {
        const rule = fhirRule('fhir-reference-not-in-export');
        for (const byLocation of pending.values()) {
          for (const [location, found] of byLocation) {
            const key = `${rule.id}\u0000${location}`;
            let group = groups.get(key);
            if (!group) {
              group = {
                issue: {
                  rule: rule.id,
                  severity: rule.severity,
                  code: rule.code,
                  location,
                  message:
                    'The referenced resource is not in the export: the target must hold it already, or the reference will break',
                  count: 0,
                  examples: [],
                },
              };
              groups.set(key, group);
            }
            group.issue.count += found.count;
            summary.warnings += found.count;
            for (const example of found.examples) {
              if (group.issue.examples.length < maxExamples) group.issue.examples.push(example);
            }
          }
        }
        pending.clear();
      }
      const issues = [...groups.values()]
        .map((g) => (g.derived ? { ...g.issue, derived: [...g.derived.values()] } : g.issue))
        .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.count - a.count);
      return {
        format: REPORT_FORMAT,
        generatedAt: times.generatedAt,
        tool: { name: 'preflight', version: times.version },
        inputs: inputs.map((input) => {
          const invariants = session.validator.layers.has('invariants')
            ? invariantsNotChecked(session.validator.digest, typesByInput.get(input) ?? [])
            : [];
          const codes = uncheckedCodesOf(uncheckedByInput.get(input));
          const codings = codingsNotCheckedLines(codingsByInput.get(input));
          if (invariants.length === 0 && codes.length === 0 && codings.length === 0) return input;
          return {
            ...input,
            notChecked: [
              ...(input.notChecked ?? []),
              ...invariants,
              ...codes.map(uncheckedCodesLine),
              ...codings,
            ],
            ...(codes.length > 0 ? { uncheckedCodes: codes } : {}),
          };
        }),
        target: {
          type: 'fhir',
          // the options of the run, as the CLI's --skip / --unknown-extensions and the app's switches set them
          layers: FHIR_LAYERS.filter((l) => session.validator.layers.has(l)),
          unknownExtensions: session.validator.unknownExtensions,
          ...(session.validator.allowExampleUrls ? { allowExampleUrls: true } : {}),
        },
        summary: { ...summary },
        issues,
        profiles: [],
        crossFile: { duplicateKeys: [], orphanReferences: [] },
        timings: { startedAt: times.startedAt, totalMs: times.totalMs },
      };
    },
  };
}

/** The report format names exactly the layers of this validator (checked by the type checker). */
type SameLayers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const LAYERS_IN_FORMAT: SameLayers<FhirLayer, ReportFhirLayer> = true;
void LAYERS_IN_FORMAT;

function severityRank(severity: string): number {
  return ['fatal', 'error', 'warning', 'information'].indexOf(severity);
}

/** Codes left unchecked per code system, most first (then by system, for stable reports). */
function uncheckedCodesOf(bySystem: ReadonlyMap<string, number> | undefined): ReportUncheckedCodes[] {
  if (!bySystem) return [];
  return [...bySystem]
    .map(([system, count]) => ({ system, count }))
    .sort((a, b) => b.count - a.count || a.system.localeCompare(b.system));
}

/**
 * The report's "not checked" lines for codings whose code and display were not checked: one per
 * code system nobody holds, named by its own URL (and common name where known), most codings
 * first; one per held code system for codes its held version lacks.
 */
function codingsNotCheckedLines(bySystem: ReadonlyMap<string, CodingsNotChecked> | undefined): string[] {
  if (!bySystem) return [];
  const count = (n: number) => (n === 1 ? '1 code' : `${n} codes`);
  const entries = [...bySystem].sort(
    ([a, x], [b, y]) => y.system + y.code - (x.system + x.code) || a.localeCompare(b),
  );
  const lines: string[] = [];
  for (const [system, { system: unheld }] of entries)
    if (unheld > 0)
      lines.push(
        `${count(unheld)} of ${codeSystemWords(system)}: codes and displays not checked: ${unheldWhy(system)}`,
      );
  for (const [system, { code }] of entries)
    if (code > 0)
      lines.push(
        `${count(code)} of ${codeSystemWords(system)} not in the version of the code system held (a later version may have them): their displays not checked`,
      );
  return lines;
}

/** One line of the report's "not checked" list for the unchecked codes of one code system. */
function uncheckedCodesLine({ system, count }: ReportUncheckedCodes): string {
  const codes = count === 1 ? '1 code' : `${count} codes`;
  const of = system === '' ? 'with no system' : `of ${codeSystemWords(system)}`;
  return `${codes} ${of} not checked against the value sets bound to their elements: ${uncheckedWhy(system)}`;
}
