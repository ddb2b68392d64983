/**
 * The table of every Preflight file format, and loading a file whose format is not known in
 * advance (`preflight check`, drag-and-drop import). The docs, the CLI and the tests iterate
 * this table: a new format is one more row.
 *
 * Migrations are keyed by the older tag and live with their format's file; this module
 * only asks each format whether it can read a tag.
 */

import { type AnalysisSettingsFile, analysisSettingsFormat } from './analysisSettings.ts';
import { type AuditLogFile, auditLogFormat } from './auditLog.ts';
import { type EncryptedPacket, encryptedPacketFormat } from './encryptedPacket.ts';
import { type EvidencePackFile, evidencePackFormat } from './evidencePack.ts';
import {
  classifyTag,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  type Migration,
  NEWER_VERSION_MESSAGE,
  NOT_PREFLIGHT_MESSAGE,
  PROBLEM_CODES,
  problem,
} from './loading.ts';
import { type Mapping, mappingFormat } from './mapping.ts';
import { type ProjectFile, projectFileFormat } from './project.ts';
import { type ProjectAuditFile, projectAuditFormat } from './projectAudit.ts';
import { type ReconcileExport, reconcileListFormat } from './reconcileList.ts';
import { type ReconcileResultFile, reconcileResultFormat } from './reconcileResult.ts';
import { type Report, reportFormat } from './report.ts';
import { type Review, reviewFormat } from './review.ts';
import { type ReviewPacket, reviewPacketFormat } from './reviewPacket.ts';
import { type ReviewResults, reviewResultsFormat } from './reviewResults.ts';
import { type SamplePlan, samplePlanFormat } from './samplePlan.ts';
import { type SignoffReportFile, signoffReportFormat } from './signoffReport.ts';
import { type WaiversFile, waiversFormat } from './waivers.ts';
import { type Workflow, workflowFormat } from './workflow.ts';

export type { FormatProblem, LoadResult, Migration } from './loading.ts';

/** Any document a Preflight file holds. */
export type PreflightDocument =
  | Workflow
  | Mapping
  | Report
  | SamplePlan
  | ProjectFile
  | AnalysisSettingsFile
  | Review
  | AuditLogFile
  | ReviewPacket
  | EncryptedPacket
  | ReviewResults
  | WaiversFile
  | ReconcileExport
  | ReconcileResultFile
  | SignoffReportFile
  | EvidencePackFile
  | ProjectAuditFile;

/** One row of the format table. */
export interface FormatEntry {
  /** current tag, e.g. "preflight.workflow/v1" */
  tag: string;
  /** what people call it, e.g. "workflow" */
  title: string;
  /** `$id` of its JSON Schema */
  schemaId: string;
  /** older tags it migrates from */
  migrations: readonly Migration[];
  load(json: unknown): LoadResult<PreflightDocument>;
}

/** A table row for a format definition; `load` defaults to the generic loader of that definition. */
export function formatEntry<T extends PreflightDocument>(
  definition: FormatDefinition<T>,
  load: (json: unknown) => LoadResult<T> = (json) => loadDocument(definition, json),
): FormatEntry {
  return {
    tag: definition.tag,
    title: definition.title,
    schemaId: definition.schemaId,
    migrations: definition.migrations,
    load,
  };
}

/** Every format Preflight reads and writes. */
export const FORMATS: readonly FormatEntry[] = [
  formatEntry(workflowFormat),
  formatEntry(mappingFormat),
  formatEntry(reportFormat),
  formatEntry(samplePlanFormat),
  formatEntry(projectFileFormat),
  formatEntry(analysisSettingsFormat),
  formatEntry(reviewFormat),
  formatEntry(auditLogFormat),
  formatEntry(reviewPacketFormat),
  formatEntry(encryptedPacketFormat),
  formatEntry(reviewResultsFormat),
  formatEntry(waiversFormat),
  formatEntry(reconcileListFormat),
  formatEntry(reconcileResultFormat),
  formatEntry(signoffReportFormat),
  formatEntry(evidencePackFormat),
  formatEntry(projectAuditFormat),
];

/** What a JSON value is, judged by its `format` tag alone. */
export type FormatIdentity =
  /** `current`: the current tag; `older`: an older tag with a migration */
  | { status: 'current' | 'older'; format: FormatEntry; tag: string }
  /** `newer`: made by a newer Preflight; `unsupported`: older, with no migration */
  | { status: 'newer' | 'unsupported'; format: FormatEntry; tag: string }
  /** not a Preflight file: not an object, no tag, or a tag no format knows */
  | { status: 'unknown' };

/** Identifies a parsed JSON value by its `format` tag. Never throws. */
export function identifyFormat(json: unknown, formats: readonly FormatEntry[] = FORMATS): FormatIdentity {
  if (!isPlainObject(json) || typeof json.format !== 'string') return { status: 'unknown' };
  const tag = json.format;
  for (const format of formats) {
    const status = classifyTag(format, tag);
    if (status !== 'other') return { status, format, tag };
  }
  return { status: 'unknown' };
}

/** {@link loadAny}'s result: the load result plus the format it was loaded as (null when none). */
export type AnyLoadResult = LoadResult<PreflightDocument> & { format: FormatEntry | null };

/**
 * Loads any Preflight file: identifies its tag, then runs that format's loader (migrations,
 * schema, semantic checks). Refuses newer versions ("made by a newer Preflight; update Preflight
 * to open it") and anything without a known tag ("not a Preflight file"). Never throws.
 */
export function loadAny(json: unknown, formats: readonly FormatEntry[] = FORMATS): AnyLoadResult {
  const identity = identifyFormat(json, formats);
  switch (identity.status) {
    case 'unknown':
      return { ok: false, format: null, problems: [notPreflightProblem(json)] };
    case 'newer':
      return {
        ok: false,
        format: identity.format,
        problems: [
          problem('/format', PROBLEM_CODES.newerVersion, `${identity.format.title} ${NEWER_VERSION_MESSAGE}`),
        ],
      };
    default:
      return { ...identity.format.load(json), format: identity.format };
  }
}

function notPreflightProblem(json: unknown): FormatProblem {
  if (!isPlainObject(json))
    return problem('', PROBLEM_CODES.notPreflight, 'not a Preflight file: expected a JSON object');
  if (json.format === undefined) return problem('', PROBLEM_CODES.notPreflight, NOT_PREFLIGHT_MESSAGE);
  return problem(
    '/format',
    PROBLEM_CODES.notPreflight,
    'not a Preflight file: its "format" tag is not one Preflight knows',
  );
}
