/**
 * `preflight.project/v1`: a whole project in one file, for export and import.
 * Source extracts are never embedded: datasets carry metadata only (DESIGN.md 6).
 */
import type { Mapping } from './mapping.ts';
import type { Report } from './report.ts';
import type { SamplePlan } from './samplePlan.ts';
import type { Workflow } from './workflow.ts';

export const PROJECT_FORMAT = 'preflight.project/v1';

/** A legacy extract or FHIR export known to the project — its description, never its content. */
export interface Dataset {
  id: string;
  name: string;
  kind: 'csv' | 'fhir-json' | 'ndjson' | 'fhir-server';
  bytes: number;
  /** CSV: header columns in order */
  columns?: string[];
  /** where it came from: a bundled sample path, or a file the user picked (re-picked on each run) */
  origin: { type: 'sample'; path: string } | { type: 'file'; lastModified?: number };
  /** id of the column contract (a JSON Schema in `schemas`) it is checked against */
  contract?: string;
}

/** A user- or sample-supplied JSON Schema (column contract or target schema). */
export interface SchemaDoc {
  id: string;
  name: string;
  schema: Record<string, unknown>;
}

export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** project settings (finding thresholds, rule severities, …); fields are added by later issues */
  settings: Record<string, unknown>;
}

export interface Project {
  meta: ProjectMeta;
  workflows: Workflow[];
  mappings: Mapping[];
  samplePlans: SamplePlan[];
  reports: Report[];
  datasets: Dataset[];
  schemas: SchemaDoc[];
}

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  exportedAt: string;
  app: { name: 'preflight'; version: string };
  project: Project;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `project`: detects a damaged or edited file */
  integrity: { sha256: string };
}
