/**
 * The one place a `preflight.report/v1` is put together, whichever engine counted: the default
 * engine's results (buildReport.ts) and every SQL engine's counters, first failing rows and column
 * profiles (sqlRun.ts: PostgreSQL, sharded tables, warehouses) become the same report here. What
 * each engine found differs in shape; how the report lists issues, names each issue's column in
 * the contract's words, says a file's layout, keeps examples, redacts and validates is written
 * once.
 *
 * Constraints:
 * - Issues are listed errors first, then by count, equal ones in the order they were met (a stable
 *   sort): engines add them in the order the default engine meets them.
 * - A report this gives has passed its precompiled validator ({@link loadReport}): an engine that
 *   counted something the format refuses fails here, never in the app that opens the report.
 */
import {
  type IssueExample,
  loadReport,
  REPORT_FORMAT,
  type Report,
  type ReportInput,
  type ReportIssue,
} from '../../formats/report.ts';
import type { CsvLayout } from '../csv/index.ts';
import type { ColumnWords } from './issueWords.ts';
import { reportValue } from './reportValue.ts';

/** Examples kept per issue (the default engine's tally keeps as many). */
export const REPORT_EXAMPLES = 20;

/** Severity order for listing issues: errors first, then by count. */
const SEVERITY_ORDER = { fatal: 0, error: 1, warning: 2, information: 3 } as const;

const LINE_ENDING_NAMES = { '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR' } as const;

/** What a report says of a delimited text input's layout. */
export function layoutFields(layout: CsvLayout): Partial<ReportInput> {
  return {
    encoding: layout.encoding,
    delimiter: layout.delimiter,
    quote: layout.quote,
    lineEnding: LINE_ENDING_NAMES[layout.lineEnding],
    header: layout.header,
  };
}

/** What a run found, before the report's envelope: inputs, totals, issues, profiles, cross-file. */
export type ReportBody = Pick<Report, 'inputs' | 'summary' | 'issues' | 'profiles' | 'crossFile'>;

/** What a report says of its run besides what was found. */
export interface ReportEnvelope {
  /** RFC 3339 date-times (the caller's clock: core code reads none) */
  generatedAt: string;
  startedAt: string;
  totalMs: number;
  /** further timings (phase → ms) */
  phases?: Record<string, number>;
  toolVersion: string;
  redact: boolean;
  /** the one target, when every input was checked against the same contract (or mapped to one FHIR type) */
  target?: Report['target'];
  mapping?: Report['mapping'];
  /** the engine that counted, when not the default one */
  engine?: Report['engine'];
}

/** The report could not be made valid (a bug: the engine gave counts the format refuses). */
class ReportBuildError extends Error {
  override name = 'ReportBuildError';
}

/** The report of `body` (issues listed in report order), validated (see the file header). */
export function assembleReport(body: ReportBody, envelope: ReportEnvelope): Report {
  const report: Report = {
    format: REPORT_FORMAT,
    generatedAt: envelope.generatedAt,
    tool: { name: 'preflight', version: envelope.toolVersion },
    inputs: body.inputs,
    summary: body.summary,
    issues: [...body.issues].sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count,
    ),
    profiles: body.profiles,
    crossFile: body.crossFile,
    timings: { startedAt: envelope.startedAt, totalMs: envelope.totalMs, ...(envelope.phases ?? {}) },
  };
  if (envelope.target) report.target = envelope.target;
  if (envelope.mapping) report.mapping = envelope.mapping;
  if (envelope.engine) report.engine = envelope.engine;
  if (envelope.redact) report.redacted = true;
  const loaded = loadReport(report);
  if (!loaded.ok) {
    throw new ReportBuildError(
      `the report does not meet preflight.report/v1: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  return report;
}

/** An issue's identity within one input: its rule and where. */
type IssueFields = Omit<ReportIssue, 'count' | 'examples'>;

/**
 * The issues of a run as they are met, one per input, rule and place (the same rule on the same
 * column of two files is two issues, each with its own count and examples), each titled in its
 * contract's words; examples are kept up to {@link REPORT_EXAMPLES}, values left out when redacted.
 */
export interface IssueList {
  /** the issue of input `input` (its index), `rule` at `location`, made by `make` when first met */
  of(
    input: number,
    rule: string,
    location: string,
    make: () => IssueFields,
    words?: Record<string, ColumnWords>,
  ): ReportIssue;
  /** adds an example (its value left out when redacted, else made safe to show) unless `issue` has enough */
  example(issue: ReportIssue, example: IssueExample, value?: string): void;
  /** the issues, in the order met */
  issues(): ReportIssue[];
}

/** An {@link IssueList}. `redact`: examples carry no values. */
export function createIssueList(redact: boolean): IssueList {
  const byId = new Map<string, ReportIssue>();
  return {
    of(input, rule, location, make, words) {
      const id = `${input}\u0000${rule}\u0000${location}`;
      let issue = byId.get(id);
      if (!issue) {
        issue = { ...make(), count: 0, examples: [] };
        const said = location === '' ? undefined : words?.[location];
        if (said?.title !== undefined) issue.title = said.title;
        if (said?.description !== undefined) issue.description = said.description;
        byId.set(id, issue);
      }
      return issue;
    },
    example(issue, example, value) {
      if (issue.examples.length >= REPORT_EXAMPLES) return;
      if (!redact && value !== undefined) example.value = reportValue(value);
      issue.examples.push(example);
    },
    issues: () => [...byId.values()],
  };
}
