import { useId, useState } from 'react';
import {
  applyRiskStrata,
  evidenceStratumNoun,
  type RiskStratumSuggestion,
  riskLines,
  riskStrataUnavailable,
  suggestRiskStrata,
} from '../../core/signoff/sampling/index.ts';
import type { Report } from '../../formats/report.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';

/**
 * The plan's strata from the evidence: for a plan that can still be edited, "Suggest strata from
 * the evidence" lists the strata the latest checks point at, each with its reasons, for the lead
 * to keep or remove before applying them (and then locking) — or, for a plan stratified neither
 * by file nor by FHIR resource type, says why the evidence cannot point at its strata; for any
 * plan, the reasons its strata carry and its size rule, as the CLI prints them.
 */
export function RiskStrata({
  plan,
  evidence,
  onApply,
}: {
  plan: SamplePlan;
  /**
   * the latest checks of the plan's files, traced and compared (null: none yet); asked for only
   * when the lead asks for suggestions, as tracing a large report takes a moment
   */
  evidence?: () => Report | null;
  /** saves the plan with the accepted strata (absent: the plan cannot be edited) */
  onApply?: (plan: SamplePlan) => void;
}) {
  const headingId = useId();
  const [suggested, setSuggested] = useState<RiskStratumSuggestion[] | null>(null);
  const [noEvidence, setNoEvidence] = useState(false);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const lines = riskLines(plan);
  if (!onApply && lines.length === 0) return null;
  const kept = (suggested ?? []).filter((s) => !removed.has(s.stratumId));
  const unavailable = riskStrataUnavailable(plan);
  const noun = evidenceStratumNoun(plan);

  return (
    // a named group of controls inside its plan's card, not a landmark: the page shows one card
    // per plan, each with it
    <fieldset aria-labelledby={headingId} className="risk-strata">
      <h4 id={headingId}>Strata from the evidence</h4>
      {lines.length > 0 && (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {onApply && unavailable && <p className="step-detail">{unavailable}</p>}
      {onApply && !unavailable && suggested === null && (
        <p>
          <button
            type="button"
            onClick={() => {
              const report = evidence?.() ?? null;
              setNoEvidence(report === null);
              if (report) setSuggested(suggestRiskStrata(plan, report));
            }}
          >
            Suggest strata from the evidence
          </button>
          {noEvidence && (
            <span className="step-detail">
              {noun === 'file' ? "No checks of this plan's files yet." : 'No checks of FHIR records yet.'}
            </span>
          )}
        </p>
      )}
      {onApply && suggested !== null && (
        <>
          {suggested.length === 0 ? (
            <p>
              The latest checks name no {noun} of this plan that got worse or whose failing data steps use.
            </p>
          ) : (
            <ul aria-label="Suggested strata">
              {suggested.map((s) => (
                <li key={s.stratumId}>
                  <label>
                    <input
                      type="checkbox"
                      checked={!removed.has(s.stratumId)}
                      onChange={(e) => {
                        const keep = e.currentTarget.checked;
                        setRemoved((before) => {
                          const next = new Set(before);
                          if (keep) next.delete(s.stratumId);
                          else next.add(s.stratumId);
                          return next;
                        });
                      }}
                    />{' '}
                    {s.label}
                  </label>
                  <ul>
                    {s.reasons.map((r) => (
                      <li key={r.text}>{r.text}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          <p>
            <button
              type="button"
              disabled={kept.length === 0}
              onClick={() => {
                onApply(applyRiskStrata(plan, kept));
                setSuggested(null);
                setRemoved(new Set());
              }}
            >
              Use {kept.length === 1 ? '1 stratum' : `${kept.length} strata`} from the evidence
            </button>{' '}
            <button type="button" onClick={() => setSuggested(null)}>
              Cancel
            </button>
          </p>
        </>
      )}
    </fieldset>
  );
}
