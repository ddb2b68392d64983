/**
 * Findings from what an event log showed, right after discovery: the log rules of the rule table
 * (`long-wait`, `rework-loop`, `handoff-ping-pong`) over a discovered workflow's `observed`
 * evidence, without the metrics the full analysis computes. The CLI's `workflow discover` prints
 * them and the discovery screen lists them; `analyzeWorkflow` runs the same rules among all the
 * others, so a saved discovered workflow shows the same findings in its analysis.
 *
 * Same contract as the analysis for these rules: a rule set `off` does not run, severities and
 * thresholds come from the settings, findings are sorted the same way and carry `rules`.
 */
import type { AnalysisSettingsInput } from '../../formats/analysisSettings.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { sortFindings } from './analyze.ts';
import { handoffPingPong } from './rules/handoff-ping-pong.ts';
import { longWait } from './rules/long-wait.ts';
import { reworkLoop } from './rules/rework-loop.ts';
import type { AnalysisSettings, Finding, LogRule } from './rules/types.ts';
import { resolveAnalysisSettings } from './settings.ts';

/** The rules that read a log's evidence, in rule table order. */
export const LOG_RULES: readonly LogRule[] = [longWait, reworkLoop, handoffPingPong];

/**
 * The log rules' findings on `workflow` (see the header); none for a drawn workflow. `settings`
 * as written (a settings file), or already resolved (a project's, `resolveProjectAnalysisSettings`).
 */
export function logFindings(
  workflow: Workflow,
  settingsInput?: AnalysisSettingsInput,
  resolved?: AnalysisSettings,
): Finding[] {
  const settings = resolved ?? resolveAnalysisSettings(settingsInput).settings;
  const findings: Finding[] = [];
  for (const rule of LOG_RULES) {
    const severity = settings.severities[rule.id];
    if (severity === 'off') continue;
    for (const f of rule.detect({ workflow, settings, severity })) findings.push({ ...f, rules: [f.rule] });
  }
  return sortFindings(findings);
}
