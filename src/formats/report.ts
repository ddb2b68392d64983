/**
 * `preflight.report/v1`: the result of a validation run, identical from the UI and the CLI.
 * Holds counts, grouped issues and a few examples — never a whole dataset.
 */

export const REPORT_FORMAT = 'preflight.report/v1';

/** OperationOutcome-compatible severities */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface ReportInput {
  name: string;
  kind: 'csv' | 'fhir-json' | 'ndjson' | 'fhir-server';
  bytes?: number;
  sha256?: string;
  encoding?: string;
  delimiter?: string;
  records: number;
}

export interface IssueExample {
  /** input name when the report covers several inputs */
  input?: string;
  /** 1-based data row (CSV) or resource index (NDJSON line / Bundle entry) */
  row?: number;
  column?: string;
  /** the offending value; omitted when the report was exported redacted */
  value?: string;
}

export interface ReportIssue {
  /** check id from the validation rule table */
  rule: string;
  severity: IssueSeverity;
  /** OperationOutcome issue type code, e.g. "required", "value", "invariant" */
  code?: string;
  /** FHIRPath-style location ("Patient.name[0].family") or a column name */
  location: string;
  message?: string;
  count: number;
  examples: IssueExample[];
}

export interface ColumnProfile {
  input: string;
  column: string;
  count: number;
  empty: number;
  distinct?: number;
  /** detected value kinds and their counts, e.g. { "date:YYYY-MM-DD": 900, "date:MM/DD/YYYY": 80 } */
  kinds?: Record<string, number>;
  /** most frequent values (absent when redacted) */
  top?: { value: string; count: number }[];
  min?: string | number;
  max?: string | number;
}

export interface DuplicateKey {
  input: string;
  key: string;
  count: number;
  rows: number[];
}

export interface OrphanReference {
  input: string;
  column: string;
  /** the input that should hold the referenced record */
  target: string;
  count: number;
  examples: IssueExample[];
}

export interface Report {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  tool: { name: 'preflight'; version: string };
  inputs: ReportInput[];
  /** what the inputs were validated against */
  target?: { type: 'fhir'; resourceType?: string } | { type: 'schema'; schema: string };
  mapping?: { id: string; version: number };
  summary: { records: number; valid: number; invalid: number; errors: number; warnings: number };
  issues: ReportIssue[];
  profiles: ColumnProfile[];
  crossFile: { duplicateKeys: DuplicateKey[]; orphanReferences: OrphanReference[] };
  timings: { startedAt: string; totalMs: number; [phase: string]: number | string };
  /** true when example values were removed for export */
  redacted?: boolean;
}
