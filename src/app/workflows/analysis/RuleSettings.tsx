import { useId } from 'react';
import { resolveProjectAnalysisSettings } from '../../../core/workflow/index.ts';
import { WORKFLOW_RULES } from '../../../core/workflow/rules/index.ts';
import {
  ANALYSIS_THRESHOLD_NAMES,
  type AnalysisSettingsInput,
  type AnalysisThresholds,
  DEFAULT_ANALYSIS_THRESHOLDS,
  PROJECT_ANALYSIS_SETTINGS_KEY,
  type RuleSeverity,
  readAnalysisSettings,
} from '../../../formats/analysisSettings.ts';
import { NumberField } from '../../common/NumberField.tsx';

/** What each threshold means, for the people who tune it. */
const THRESHOLD_LABELS: Readonly<Record<keyof AnalysisThresholds, string>> = {
  clickBudgetPerStep: 'Clicks one step may take',
  clickBudgetPerRolePerDay: 'Clicks per person of a role per day',
  clickStepWarnShare: 'Share of that daily budget one step may use (0–1)',
  utilisationLimit: 'How busy a role may be, at peak or in go-live week (0–1)',
  mostOfWaitShare: '"Most of its wait": share of the old wait a rebuilt paper step keeps (0–1)',
  carriedOverWaitShare: 'Share of the old wait a new step may keep before it is flagged (0–1)',
  waitFloorMin: 'Old waits shorter than this are ignored (minutes)',
  approvalWaitLimitMin: 'Total wait of approvals in a row that is too long (minutes)',
  goLiveWaitLimitMin: 'Average wait for a free staff member in go-live week that is too long (minutes)',
  handoffIncreaseWarn: 'Extra handoffs per patient that warn',
  handoffIncreaseError: 'Extra handoffs per patient that are a problem',
  longWaitMin: 'Typical wait before a step, in an event log, worth reporting (minutes)',
  logPatternMinShare: 'Share of logged cases that must redo a step or bounce between roles (0–1)',
};

const SEVERITY_CHOICES: readonly { value: RuleSeverity; label: string }[] = [
  { value: 'error', label: 'Problem' },
  { value: 'warn', label: 'Warning' },
  { value: 'info', label: 'Note' },
  { value: 'off', label: 'Off' },
];

/**
 * The project's analysis settings: each check's severity and every threshold, with their
 * documented defaults. A value is checked against the settings format (one source of truth:
 * src/formats/analysisSettings.schema.json) where it is typed, and saved only when valid.
 */
export function RuleSettings({
  projectSettings,
  onSettingsChange,
}: {
  projectSettings: Readonly<Record<string, unknown>>;
  /** saves the project's whole settings object; absent: read-only */
  onSettingsChange?: (settings: Record<string, unknown>) => void;
}) {
  const headingId = useId();
  const { settings, problems } = resolveProjectAnalysisSettings(projectSettings);
  const input = (projectSettings[PROJECT_ANALYSIS_SETTINGS_KEY] ?? {}) as AnalysisSettingsInput;
  const save = (next: AnalysisSettingsInput) =>
    onSettingsChange?.({ ...projectSettings, [PROJECT_ANALYSIS_SETTINGS_KEY]: next });
  const thresholdProblem = (name: keyof AnalysisThresholds, value: number) => {
    const read = readAnalysisSettings({ thresholds: { [name]: value } });
    return read.problems.length > 0
      ? `Not allowed here: ${read.problems[0]?.message ?? 'out of range'}.`
      : null;
  };
  return (
    <section aria-labelledby={headingId} className="rule-settings">
      <h4 id={headingId}>How the checks are tuned for this project</h4>
      <p>
        These apply to every workflow of the project. The defaults are proposals drawn from published studies,
        not standards: adjust them to the clinic.
      </p>
      {problems.length > 0 && (
        <div className="error" role="alert">
          <p>Some saved settings were not valid and their defaults are used instead:</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                <code>{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="scenario" disabled={!onSettingsChange}>
        <legend>How seriously each check counts</legend>
        <div className="field-grid">
          {WORKFLOW_RULES.map((rule) => (
            <div key={rule.id} className="number-field">
              <label htmlFor={`${headingId}-${rule.id}`}>{rule.title}</label>
              <select
                id={`${headingId}-${rule.id}`}
                value={settings.severities[rule.id]}
                onChange={(event) =>
                  save({
                    ...input,
                    severities: { ...input.severities, [rule.id]: event.currentTarget.value as RuleSeverity },
                  })
                }
              >
                {SEVERITY_CHOICES.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                    {choice.value === rule.severity ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="scenario" disabled={!onSettingsChange}>
        <legend>Thresholds</legend>
        <div className="field-grid">
          {ANALYSIS_THRESHOLD_NAMES.map((name) => (
            <NumberField
              key={name}
              label={THRESHOLD_LABELS[name]}
              value={settings.thresholds[name]}
              rule={{ what: THRESHOLD_LABELS[name].toLowerCase() }}
              check={(value) => thresholdProblem(name, value)}
              hint={`Default ${DEFAULT_ANALYSIS_THRESHOLDS[name].toLocaleString('en-US')}`}
              onValue={(value) => save({ ...input, thresholds: { ...input.thresholds, [name]: value } })}
            />
          ))}
        </div>
      </fieldset>
      <button
        type="button"
        disabled={!onSettingsChange || Object.keys(input).length === 0}
        onClick={() => save({})}
      >
        Restore every default
      </button>
    </section>
  );
}
