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
  return (
    <details id="readiness-gates" tabIndex={-1} className="card gates" open={onChange !== undefined}>
      <summary>
        <h3>Gates in effect</h3>
      </summary>
      <ConflictBeside kind="readiness-record" id={PROJECT_READINESS_GATES_KEY} what="readiness gates" />
      {onChange ? (
        <div className="gates-fields">
          <NumberField
            label="Valid records in every extract, at least (%)"
            value={asPercent(gates.minValidShare)}
            rule={{ min: 0, max: 100, what: 'share of valid records' }}
            hint={`Default ${asPercent(defaults.minValidShare)} %.`}
            onValue={(v) => set('minValidShare', v / 100)}
          />
          <NumberField
            label="Busiest role at the peak hour, at most (% busy)"
            value={asPercent(gates.maxPeakUtilisation)}
            rule={{ min: 0, minExclusive: true, max: 100, what: 'peak-hour limit' }}
            hint={`Default ${asPercent(defaults.maxPeakUtilisation)} %.`}
            onValue={(v) => set('maxPeakUtilisation', v / 100)}
          />
          <NumberField
            label="Busiest role in go-live week, at most (% busy)"
            value={asPercent(gates.maxGoLiveUtilisation)}
            rule={{ min: 0, minExclusive: true, max: 100, what: 'go-live limit' }}
            hint={`Default ${asPercent(defaults.maxGoLiveUtilisation)} %.`}
            onValue={(v) => set('maxGoLiveUtilisation', v / 100)}
          />
          <NumberField
            label="Staff trained in every role whose work changes, at least (%)"
            value={asPercent(gates.minTrainedShare)}
            rule={{ min: 0, max: 100, what: 'share of staff trained' }}
            hint={`Default ${asPercent(defaults.minTrainedShare)} %. Judged once training is recorded (Training and support).`}
            onValue={(v) => set('minTrainedShare', v / 100)}
          />
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
              {(['partial', 'full', 'off'] as const).map((g) => (
                <option key={g} value={g}>
                  {SAFETY_GATE_LABELS[g]}
                </option>
              ))}
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
                  {(['partial', 'full', 'off'] as const).map((g) => (
                    <option key={g} value={g}>
                      {SAFETY_GATE_LABELS[g]}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
          <div className="checkbox-field">
            <input
              id={`${id}-signoff`}
              type="checkbox"
              checked={gates.requireSignoff}
              onChange={(e) => set('requireSignoff', e.currentTarget.checked)}
            />
            <label htmlFor={`${id}-signoff`}>
              Every sample plan passed and approved for go-live by a clinician
            </label>
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-superusers`}
              type="checkbox"
              checked={gates.superUserPerRole}
              onChange={(e) => set('superUserPerRole', e.currentTarget.checked)}
            />
            <label htmlFor={`${id}-superusers`}>A named super-user in every role whose work changes</label>
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-rollback`}
              type="checkbox"
              checked={gates.requireRollbackPlan}
              onChange={(e) => set('requireRollbackPlan', e.currentTarget.checked)}
            />
            <label htmlFor={`${id}-rollback`}>
              A complete rollback/downtime plan, drilled in time (otherwise a gap is a risk only)
            </label>
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-rehearsal`}
              type="checkbox"
              checked={gates.requireDressRehearsal}
              onChange={(e) => set('requireDressRehearsal', e.currentTarget.checked)}
            />
            <label htmlFor={`${id}-rehearsal`}>
              A complete dress rehearsal: every changed role's mock go-live passed, no issue open, the peak
              load held (otherwise a gap is a risk only)
            </label>
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-partners`}
              type="checkbox"
              checked={gates.requirePartnersReady}
              onChange={(e) => set('requirePartnersReady', e.currentTarget.checked)}
            />
            <label htmlFor={`${id}-partners`}>
              Every vendor and interface partner ready and owned (otherwise a gap is a risk only)
            </label>
          </div>
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
