/**
 * `preflight.analysissettings/v1`: the thresholds and rule severities of the workflow analysis (the
 * finding rules: src/core/workflow/rules/README.md). A settings file carries the tag (`preflight
 * check` knows it, `preflight workflow analyze --settings s.json` reads it); inside a project the
 * same object, with or without the tag, lives under `meta.settings.workflowAnalysis`.
 *
 * Public format: extend only with optional fields. The JSON Schema
 * (analysisSettings.schema.json) is the one source of the thresholds' ranges and documented
 * defaults; {@link DEFAULT_ANALYSIS_THRESHOLDS} repeats the defaults for the code and a test
 * proves the two agree. Rule ids are public too (extend, never rename): the schema lists them,
 * and a core test proves the list equals the rule table.
 *
 * Resolving settings never throws: a value that is wrong (an unknown rule id, a threshold out of
 * range) is reported as a problem at its JSON Pointer and replaced by its default, so one typo
 * does not switch the whole analysis off.
 */

import { validateAnalysisSettings, validateAnalysisSettingsObject } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  type Migration,
  pointer,
  prefixProblems,
  schemaProblems,
} from './loading.ts';

/** The format tag of a settings file. */
export const ANALYSIS_SETTINGS_FORMAT = 'preflight.analysissettings/v1';

/** `$id` of the settings JSON Schema (src/formats/analysisSettings.schema.json). */
export const ANALYSIS_SETTINGS_SCHEMA_ID = 'urn:preflight:format:analysissettings:v1';

/** Where a project keeps its analysis settings: `meta.settings[PROJECT_ANALYSIS_SETTINGS_KEY]`. */
export const PROJECT_ANALYSIS_SETTINGS_KEY = 'workflowAnalysis';

/**
 * The finding rule ids, in the order of the rule table in
 * src/core/workflow/rules/index.ts. Public: extend, never rename.
 */
export const WORKFLOW_RULE_IDS = [
  'digitized-paper-step',
  'carried-over-wait',
  'duplicate-entry',
  'manual-transcription',
  'serial-approval',
  'click-burden',
  'handoff-increase',
  'role-overload',
  'untraced-current-step',
  'structure',
  'print-scan-loop',
  'delegable-task',
  'open-loop-order',
  'no-op-decision',
  'golive-capacity',
  'long-wait',
  'rework-loop',
  'handoff-ping-pong',
  'kept-handoff-wait',
] as const;

/** One finding rule's id. */
export type WorkflowRuleId = (typeof WORKFLOW_RULE_IDS)[number];

/** A rule's configured severity, as in bpmnlint: `off` means the rule does not run. */
export type RuleSeverity = 'off' | 'info' | 'warn' | 'error';

/** The thresholds of the finding rules (every field documented in the schema). */
export interface AnalysisThresholds {
  /** click-burden: clicks one visit of a step may take */
  clickBudgetPerStep: number;
  /** click-burden: clicks per person of a role per day */
  clickBudgetPerRolePerDay: number;
  /** click-burden: share of the role budget (a step's extra clicks per person per day) from which it warns */
  clickStepWarnShare: number;
  /** role-overload, delegable-task, golive-capacity: utilisation a role should stay at or under */
  utilisationLimit: number;
  /** digitized-paper-step: share of the replaced wait that is "most of its wait" */
  mostOfWaitShare: number;
  /** carried-over-wait: share of the replaced wait kept that is flagged */
  carriedOverWaitShare: number;
  /** digitized-paper-step, carried-over-wait, kept-handoff-wait: replaced waits under this (minutes) are ignored */
  waitFloorMin: number;
  /** serial-approval: total wait of approvals in a row (minutes) above which it is raised */
  approvalWaitLimitMin: number;
  /** golive-capacity: mean queueing wait per work item (minutes) above which a role cannot keep up */
  goLiveWaitLimitMin: number;
  /** handoff-increase: extra handoffs per case from which it fires */
  handoffIncreaseWarn: number;
  /** handoff-increase: extra handoffs per case from which it is raised */
  handoffIncreaseError: number;
  /** long-wait: median wait before a step in a log (minutes) from which it is a finding */
  longWaitMin: number;
  /** rework-loop, handoff-ping-pong: share of a log's cases that must show the pattern */
  logPatternMinShare: number;
}

/**
 * The documented defaults (proposed defaults, not standards; each rule's file names its sources).
 * Equal to the schema's `default`s (tested).
 */
export const DEFAULT_ANALYSIS_THRESHOLDS: Readonly<AnalysisThresholds> = Object.freeze({
  clickBudgetPerStep: 10,
  clickBudgetPerRolePerDay: 1000,
  clickStepWarnShare: 0.25,
  utilisationLimit: 0.85,
  mostOfWaitShare: 0.5,
  carriedOverWaitShare: 0.7,
  waitFloorMin: 5,
  approvalWaitLimitMin: 1440,
  goLiveWaitLimitMin: 30,
  handoffIncreaseWarn: 1,
  handoffIncreaseError: 2,
  longWaitMin: 60,
  logPatternMinShare: 0.05,
});

/** The names of the thresholds, in documentation order. */
export const ANALYSIS_THRESHOLD_NAMES = Object.keys(
  DEFAULT_ANALYSIS_THRESHOLDS,
) as (keyof AnalysisThresholds)[];

/** Analysis settings as written: everything optional (a project's `meta.settings.workflowAnalysis`). */
export interface AnalysisSettingsInput {
  /** the tag; required in a settings file, optional inside a project */
  format?: typeof ANALYSIS_SETTINGS_FORMAT;
  description?: string;
  thresholds?: Partial<AnalysisThresholds>;
  severities?: Partial<Record<WorkflowRuleId, RuleSeverity>>;
}

/** A settings file: {@link AnalysisSettingsInput} with its tag. */
export interface AnalysisSettingsFile extends AnalysisSettingsInput {
  format: typeof ANALYSIS_SETTINGS_FORMAT;
}

/** Settings read from input: every threshold filled in, the severities that were set, and what was wrong. */
export interface ReadAnalysisSettings {
  thresholds: AnalysisThresholds;
  /** only the severities the input sets (validly); the rule table supplies the rest */
  severities: Partial<Record<WorkflowRuleId, RuleSeverity>>;
  /** problems at JSON Pointers under the given base path; their values were replaced by defaults */
  problems: FormatProblem[];
}

/**
 * Reads analysis settings as written (a project's `workflowAnalysis` object or a settings file's
 * content): fills in every threshold left out with its default, keeps each value the schema
 * accepts, and reports each one it does not (unknown rule id or threshold, out-of-range number,
 * unknown severity) as a problem under `basePath` — that value then takes its default. Absent
 * input (`undefined`) means "all defaults". Never throws.
 */
export function readAnalysisSettings(input: unknown, basePath = ''): ReadAnalysisSettings {
  const thresholds: AnalysisThresholds = { ...DEFAULT_ANALYSIS_THRESHOLDS };
  const severities: Partial<Record<WorkflowRuleId, RuleSeverity>> = {};
  if (input === undefined) return { thresholds, severities, problems: [] };
  const problems = validateAnalysisSettingsObject(input)
    ? []
    : prefixProblems(basePath, schemaProblems(validateAnalysisSettingsObject.errors ?? []));
  if (!isPlainObject(input)) return { thresholds, severities, problems };
  // each value alone through the same schema: a bad one falls back to its default, the rest count
  const given = (section: 'thresholds' | 'severities', key: string, value: unknown): boolean =>
    validateAnalysisSettingsObject({ [section]: { [key]: value } });
  if (isPlainObject(input.thresholds)) {
    for (const [key, value] of Object.entries(input.thresholds)) {
      if (Object.hasOwn(DEFAULT_ANALYSIS_THRESHOLDS, key) && given('thresholds', key, value)) {
        thresholds[key as keyof AnalysisThresholds] = value as number;
      }
    }
  }
  if (isPlainObject(input.severities)) {
    for (const [key, value] of Object.entries(input.severities)) {
      if ((WORKFLOW_RULE_IDS as readonly string[]).includes(key) && given('severities', key, value)) {
        severities[key as WorkflowRuleId] = value as RuleSeverity;
      }
    }
  }
  return { thresholds, severities, problems };
}

/**
 * Reads a project's analysis settings from its `meta.settings` (the open settings object):
 * `settings.workflowAnalysis`, with problem paths under `basePath` (default `/meta/settings`, so
 * e.g. `/meta/settings/workflowAnalysis/thresholds/utilisationLimit`).
 */
export function readProjectAnalysisSettings(
  settings: Readonly<Record<string, unknown>>,
  basePath = '/meta/settings',
): ReadAnalysisSettings {
  return readAnalysisSettings(
    settings[PROJECT_ANALYSIS_SETTINGS_KEY],
    `${basePath}${pointer(PROJECT_ANALYSIS_SETTINGS_KEY)}`,
  );
}

/** Migrations from older settings tags (none yet: v1 is the first public version). */
export const analysisSettingsMigrations: readonly Migration[] = [];

/** How `preflight.analysissettings/v1` is loaded (used by the format registry). */
export const analysisSettingsFormat: FormatDefinition<AnalysisSettingsFile> = {
  tag: ANALYSIS_SETTINGS_FORMAT,
  title: FORMAT_FAMILIES.analysissettings,
  schemaId: ANALYSIS_SETTINGS_SCHEMA_ID,
  validate: validateAnalysisSettings,
  migrations: analysisSettingsMigrations,
};

/**
 * Loads a settings file from parsed JSON: tag, migrations, schema. Strict, like every file loader:
 * a settings file with a problem is refused (a project's settings are read leniently instead, by
 * {@link readProjectAnalysisSettings}). Never throws; problems name paths, not values.
 */
export function loadAnalysisSettings(json: unknown): LoadResult<AnalysisSettingsFile> {
  return loadDocument(analysisSettingsFormat, json);
}
