import { useId } from 'react';
import {
  DEFAULT_READINESS_GATES,
  type FindingsGate,
  type ReadinessGates,
  SAFER_GUIDES,
  type SafetyGate,
} from '../../core/readiness/index.ts';

/** What each safety gate blocks, as the selects offer it. */
const SAFETY_GATE_LABELS: Record<SafetyGate, string> = {
  partial: 'Not implemented or not assessed',
  full: 'Anything not fully implemented',
  off: 'None (it does not block)',
};

import { PROJECT_READINESS_GATES_KEY } from '../../formats/readinessGates.ts';
import { NumberField } from '../common/NumberField.tsx';
import { ConflictBeside } from '../team/RecordConflict.tsx';

/** A share as the percentage shown in a field, without float noise: 0.99 → 99. */
const asPercent = (share: number) => Math.round(share * 1e6) / 1e4;

/** The shares the gates hold, each typed as a percentage. */
type ShareKey = 'minValidShare' | 'maxPeakUtilisation' | 'maxGoLiveUtilisation' | 'minTrainedShare';

/** The gates that are a yes or no. */
type SwitchKey =
  | 'requireSignoff'
  | 'superUserPerRole'
  | 'requireRollbackPlan'
  | 'requireDressRehearsal'
  | 'requirePartnersReady';

/** What a safety gate may block, in the order the selects offer it. */
const SAFETY_GATES = ['partial', 'full', 'off'] as const;

/** The options of a safety gate's select. */
const safetyOptions = SAFETY_GATES.map((g) => (
  <option key={g} value={g}>
    {SAFETY_GATE_LABELS[g]}
  </option>
));

/**
 * The readiness gates, editable: saved in the project (`meta.settings.readinessGates`), so they
 * travel with an export and are recorded in every result. Without `onChange` they are shown only.
 */
export function GatesForm({
  gates,
  onChange,
}: {
  gates: ReadinessGates;
  onChange?: (gates: ReadinessGates) => void;
}) {
  const id = useId();
  const set = <K extends keyof ReadinessGates>(key: K, value: ReadinessGates[K]) =>
    onChange?.({ ...gates, [key]: value });
  const defaults = DEFAULT_READINESS_GATES;
  const share = (key: ShareKey, label: string, rule: { minExclusive?: true; what: string }, judged = '') => (
    <NumberField
      label={label}
      value={asPercent(gates[key])}
      rule={{ min: 0, ...rule, max: 100 }}
      hint={`Default ${asPercent(defaults[key])} %.${judged}`}
      onValue={(v) => set(key, v / 100)}
    />
  );
  const yesNo = (key: SwitchKey, suffix: string, label: string) => (
    <div className="checkbox-field">
      <input
        id={`${id}-${suffix}`}
        type="checkbox"
        checked={gates[key]}
        onChange={(e) => set(key, e.currentTarget.checked)}
      />
      <label htmlFor={`${id}-${suffix}`}>{label}</label>
    </div>
  );
  return (
    <details id="readiness-gates" tabIndex={-1} className="card gates" open={onChange !== undefined}>
      <summary>
        <h3>Gates in effect</h3>
      </summary>
      <ConflictBeside kind="readiness-record" id={PROJECT_READINESS_GATES_KEY} what="readiness gates" />
      {onChange ? (
        <div className="gates-fields">
          {share('minValidShare', 'Valid records in every extract, at least (%)', {
            what: 'share of valid records',
          })}
          {share('maxPeakUtilisation', 'Busiest role at the peak hour, at most (% busy)', {
            minExclusive: true,
            what: 'peak-hour limit',
          })}
          {share('maxGoLiveUtilisation', 'Busiest role in go-live week, at most (% busy)', {
            minExclusive: true,
            what: 'go-live limit',
          })}
          {share(
            'minTrainedShare',
            'Staff trained in every role whose work changes, at least (%)',
            { what: 'share of staff trained' },
            ' Judged once training is recorded (Training and support).',
          )}
          <NumberField
            label="At-the-elbow supporters per area and shift, at least"
            value={gates.minSupportPerShift}
            rule={{ min: 0, integer: true, what: 'number of supporters' }}
            hint={`Default ${defaults.minSupportPerShift}. Judged once go-live support is recorded (Training and support).`}
            onValue={(v) => set('minSupportPerShift', v)}
          />
          <NumberField
            label="Last downtime drill before go-live, at most (days)"
            value={gates.maxDrillAgeDays}
            rule={{ min: 0, integer: true, what: 'number of days' }}
            hint={`Default ${defaults.maxDrillAgeDays}. Judged against the go-live day of the rollback/downtime plan.`}
            onValue={(v) => set('maxDrillAgeDays', v)}
          />
          <div className="number-field">
            <label htmlFor={`${id}-findings`}>Open workflow findings that block go-live</label>
            <select
              id={`${id}-findings`}
              value={gates.findingsBlockAt}
              onChange={(e) => set('findingsBlockAt', e.currentTarget.value as FindingsGate)}
            >
              <option value="error">Problems</option>
              <option value="warn">Problems and warnings</option>
            </select>
          </div>
          <div className="number-field">
            <label htmlFor={`${id}-safety`}>Safety practices that block go-live (every SAFER guide)</label>
            <select
              id={`${id}-safety`}
              value={gates.safetyItemsAtLeast}
              onChange={(e) => set('safetyItemsAtLeast', e.currentTarget.value as SafetyGate)}
            >
              {safetyOptions}
            </select>
          </div>
          <fieldset className="safety-gates">
            <legend>A gate per SAFER guide (optional)</legend>
            {SAFER_GUIDES.map((guide) => (
              <div className="number-field" key={guide.id}>
                <label htmlFor={`${id}-safer-${guide.id}`}>{guide.title}: practices that block</label>
                <select
                  id={`${id}-safer-${guide.id}`}
                  value={gates.safetyGuides[guide.id] ?? ''}
                  onChange={(e) => {
                    const { [guide.id]: _old, ...rest } = gates.safetyGuides;
                    const value = e.currentTarget.value as SafetyGate | '';
                    set('safetyGuides', value === '' ? rest : { ...rest, [guide.id]: value });
                  }}
                >
                  <option value="">As for every guide</option>
                  {safetyOptions}
                </select>
              </div>
            ))}
          </fieldset>
          {yesNo(
            'requireSignoff',
            'signoff',
            'Every sample plan passed and approved for go-live by a clinician',
          )}
          {yesNo('superUserPerRole', 'superusers', 'A named super-user in every role whose work changes')}
          {yesNo(
            'requireRollbackPlan',
            'rollback',
            'A complete rollback/downtime plan, drilled in time (otherwise a gap is a risk only)',
          )}
          {yesNo(
            'requireDressRehearsal',
            'rehearsal',
            "A complete dress rehearsal: every changed role's mock go-live passed, no issue open, the peak load held (otherwise a gap is a risk only)",
          )}
          {yesNo(
            'requirePartnersReady',
            'partners',
            'Every vendor and interface partner ready and owned (otherwise a gap is a risk only)',
          )}
        </div>
      ) : (
        <ul>
          <li>Valid records in every extract: at least {asPercent(gates.minValidShare)} %</li>
          <li>Busiest role at the peak hour: at most {asPercent(gates.maxPeakUtilisation)} % busy</li>
          <li>Busiest role in go-live week: at most {asPercent(gates.maxGoLiveUtilisation)} % busy</li>
          <li>
            Open findings that block:{' '}
            {gates.findingsBlockAt === 'error' ? 'problems' : 'problems and warnings'}
          </li>
          <li>Clinician sign-off: {gates.requireSignoff ? 'required' : 'not required'}</li>
          <li>Staff trained in every changed role: at least {asPercent(gates.minTrainedShare)} %</li>
          <li>Super-user in every changed role: {gates.superUserPerRole ? 'required' : 'not required'}</li>
          <li>At-the-elbow supporters per area and shift: at least {gates.minSupportPerShift}</li>
          <li>
            Rollback/downtime plan: {gates.requireRollbackPlan ? 'required' : 'not required'}, drilled at most{' '}
            {gates.maxDrillAgeDays} days before go-live
          </li>
          <li>
            Dress rehearsal: {gates.requireDressRehearsal ? 'required complete' : 'a gap is a risk only'}
          </li>
          <li>
            Vendors and interface partners:{' '}
            {gates.requirePartnersReady ? 'all ready required' : 'a gap is a risk only'}
          </li>
          <li>Safety practices that block: {SAFETY_GATE_LABELS[gates.safetyItemsAtLeast].toLowerCase()}</li>
          {SAFER_GUIDES.flatMap((guide) => {
            const own = gates.safetyGuides[guide.id];
            return own === undefined
              ? []
              : [
                  <li key={guide.id}>
                    {guide.title}: {SAFETY_GATE_LABELS[own].toLowerCase()}
                  </li>,
                ];
          })}
        </ul>
      )}
    </details>
  );
}
