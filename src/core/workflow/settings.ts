/**
 * Resolving analysis settings: the thresholds of src/formats/analysisSettings.ts plus every
 * rule's severity, taken from the input where it is set and valid, else from the rule table's
 * default. Never throws: bad values are problems with JSON Pointers, and take their default.
 */
import {
  type AnalysisSettingsInput,
  type RuleSeverity,
  readAnalysisSettings,
  readProjectAnalysisSettings,
  type WorkflowRuleId,
} from '../../formats/analysisSettings.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import { WORKFLOW_RULES } from './rules/index.ts';
import type { AnalysisSettings } from './rules/types.ts';

/** Resolved settings and the problems found in the input. */
interface ResolvedAnalysisSettings {
  settings: AnalysisSettings;
  /** each at a JSON Pointer under the base path given; the value there took its default */
  problems: FormatProblem[];
}

/** Every rule's default severity, from the rule table. */
export function defaultSeverities(): Record<WorkflowRuleId, RuleSeverity> {
  return Object.fromEntries(WORKFLOW_RULES.map((rule) => [rule.id, rule.severity])) as Record<
    WorkflowRuleId,
    RuleSeverity
  >;
}

/**
 * Resolves settings as written (a settings file's content or a project's `workflowAnalysis`
 * object; `undefined` = all defaults) into full settings. Problem paths start with `basePath`.
 */
export function resolveAnalysisSettings(
  input: AnalysisSettingsInput | unknown,
  basePath = '',
): ResolvedAnalysisSettings {
  return complete(readAnalysisSettings(input, basePath));
}

/**
 * Resolves a project's analysis settings from its `meta.settings` object
 * (`meta.settings.workflowAnalysis`); problems at `/meta/settings/workflowAnalysis/…` by default.
 */
export function resolveProjectAnalysisSettings(
  settings: Readonly<Record<string, unknown>>,
  basePath = '/meta/settings',
): ResolvedAnalysisSettings {
  return complete(readProjectAnalysisSettings(settings, basePath));
}

function complete(read: ReturnType<typeof readAnalysisSettings>): ResolvedAnalysisSettings {
  return {
    settings: { thresholds: read.thresholds, severities: { ...defaultSeverities(), ...read.severities } },
    problems: read.problems,
  };
}
