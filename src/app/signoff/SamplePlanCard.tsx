import { useId, useMemo } from 'react';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import {
  formatPercent,
  formatProbability,
  isLocked,
  type LastStratumResult,
  lockPlan,
  newSeed,
  operatingCharacteristicCurve,
  planHash,
  planSampleSizes,
  resizedStrata,
  reviewCounts,
  supersedePlan,
} from '../../core/signoff/sampling/index.ts';
import type { Report } from '../../formats/report.ts';
import type { DrawnSample } from '../../formats/review.ts';
import { checkSamplePlan, type NotMigratedColumn, type SamplePlan } from '../../formats/samplePlan.ts';
import { formatBytes, formatCount } from '../common/format.ts';
import { NumberField } from '../common/NumberField.tsx';
import { TableScroll } from '../common/TableScroll.tsx';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { NotMigratedColumns } from './NotMigratedColumns.tsx';
import { OcCurveChart } from './OcCurveChart.tsx';
import { RiskStrata } from './RiskStrata.tsx';
import { planFingerprints, usePlanFingerprints } from './usePlanFingerprints.ts';

const PERCENT = 100;
/** Percent values are typed with at most this many decimals (0.01 % steps). */
const PERCENT_DECIMALS = 4;

/** 0.02 → 2, 0.0125 → 1.25 (no floating-point tails in the field). */
function asPercent(rate: number): number {
  return Number((rate * PERCENT).toFixed(PERCENT_DECIMALS));
}

/**
 * The plan that supersedes the locked `plan`: a new id and seed and, when the plan names a size
 * rule and its review has a result, each failed or borderline stratum sized by the rule.
 */
function nextPlan(
  plan: SamplePlan,
  actions: PlanActions,
  last: readonly LastStratumResult[] | null,
): SamplePlan {
  const next = supersedePlan(plan, {
    id: actions.newId(),
    now: actions.now(),
    seed: newSeed(actions.randomBytes),
    name: `${plan.name} (re-sample)`,
  });
  if (!plan.sizeRule || last === null) return next;
  return { ...next, population: { ...next.population, strata: resizedStrata(plan, last) } };
}

/** How the data lead changes a plan: saves an edited plan, or a new one. */
export interface PlanActions {
  /** saves `plan` (an edit of an unlocked plan, the same plan locked, or a new superseding plan) */
  save: (plan: SamplePlan) => void;
  /** a new unique document id */
  newId: () => string;
  /** now, RFC 3339 with zone */
  now: () => string;
  /** cryptographically random bytes (for new seeds) */
  randomBytes: (length: number) => Uint8Array;
}

/**
 * One sample plan as the data lead sets it up: the targets (editable until the plan is locked),
 * the sample size of every stratum and why, the operating-characteristic curve, and the lock —
 * the files' fingerprints and the plan hash that every review decision will cite. A locked plan is
 * read-only; "Make a new plan" supersedes it with a new seed (re-sample, never top up).
 */
export function SamplePlanCard({
  plan,
  supersededBy,
  actions,
  drawn,
  keyName,
  by,
  evidence,
  lastResult,
}: {
  plan: SamplePlan;
  /** the latest checks of the plan's files, traced and compared: strata are suggested from it */
  evidence?: () => Report | null;
  /** the result of this plan's review, per stratum (null: none yet): the size rule reads it */
  lastResult?: () => LastStratumResult[] | null;
  /** the plan that supersedes this one, if any */
  supersededBy?: SamplePlan;
  actions?: PlanActions;
  /** the sample drawn for this plan's review, if drawn: the card then counts what was drawn */
  drawn?: DrawnSample;
  /** the record key's column (e.g. "mrn"), for saying why rows and records differ */
  keyName?: string;
  /** the staff id of who is working here, recorded with the lock (actingStaffId) */
  by?: string;
}) {
  const headingId = useId();
  const locked = isLocked(plan);
  const editable = actions !== undefined && !locked;
  const sizes = useMemo(() => planSampleSizes(plan), [plan]);
  const counts = useMemo(() => reviewCounts(sizes, drawn, keyName), [sizes, drawn, keyName]);
  const problems = checkSamplePlan(plan);
  const sampled = sizes.strata.filter((s) => s.result.method !== 'census' && s.n > 0);
  const curves = useMemo(
    () =>
      sampled.map((s) => ({
        name: `${s.label} (n = ${formatCount(s.n)} of ${formatCount(s.population)})`,
        points: operatingCharacteristicCurve({
          n: s.n,
          acceptanceNumber: plan.acceptanceNumber,
          population: s.population,
        }),
      })),
    [sampled, plan.acceptanceNumber],
  );
  const hash = locked ? planHash(plan) : null;
  const update = (patch: Partial<SamplePlan>) => actions?.save({ ...plan, ...patch });

  return (
    <article className="card plan-card" aria-labelledby={headingId}>
      <header className="card-header">
        <h3 id={headingId}>{plan.name}</h3>
        <span className={`badge ${locked ? 'badge-locked' : 'badge-draft'}`}>
          {locked ? 'Locked' : 'Draft'}
        </span>
      </header>
      <ConflictBeside kind="sample-plan" id={plan.id} what={`sample plan “${plan.name}”`} />
      {plan.supersedes && (
        <p>
          Replaces the locked plan <code>{plan.supersedes.slice(0, 12)}…</code> with a new sample (new seed).
        </p>
      )}
      {supersededBy && (
        <p className="notice">
          Superseded by “{supersededBy.name}”: no new reviews are drawn from this plan.
        </p>
      )}
      <dl className="facts">
        <dt>Records from</dt>
        <dd>{plan.population.dataset}</dd>
        <dt>Strata by</dt>
        <dd>
          {plan.population.stratifyBy === 'validation'
            ? 'the outcome of validation'
            : plan.population.stratifyBy}
        </dd>
        <dt>Seed</dt>
        <dd>
          <code>{plan.seed}</code>
        </dd>
      </dl>
      <fieldset className="scenario" disabled={!editable}>
        <legend>{locked ? 'Targets (locked)' : 'Targets'}</legend>
        <div className="field-grid">
          <NumberField
            label="Highest error rate accepted (%)"
            value={asPercent(plan.targetErrorRate)}
            rule={{ what: 'error rate', min: 0, minExclusive: true, max: 99.99 }}
            onValue={(v) => update({ targetErrorRate: v / PERCENT })}
            hint="Major defects; 2 % is the usual starting point"
          />
          <NumberField
            label="Confidence (%)"
            value={asPercent(plan.confidence)}
            rule={{ what: 'confidence', min: 50, max: 99.99 }}
            onValue={(v) => update({ confidence: v / PERCENT })}
          />
          <NumberField
            label="Errors allowed in a stratum's sample"
            value={plan.acceptanceNumber}
            step="1"
            rule={{ what: 'number of errors allowed', min: 0, max: 100, integer: true }}
            onValue={(acceptanceNumber) => update({ acceptanceNumber })}
            hint="0 is the usual choice: any error fails the stratum"
          />
          <NumberField
            label="Highest minor-defect rate accepted (%)"
            value={
              plan.minorTargetErrorRate === undefined
                ? asPercent(plan.targetErrorRate)
                : asPercent(plan.minorTargetErrorRate)
            }
            rule={{ what: 'minor-defect rate', min: 0, minExclusive: true, max: 99.99 }}
            check={(v) =>
              v / PERCENT < plan.targetErrorRate
                ? 'The minor-defect rate must be at least the error rate above.'
                : null
            }
            onValue={(v) => update({ minorTargetErrorRate: v / PERCENT })}
            hint="Formatting problems; looser than the error rate"
          />
        </div>
        {/* each choice on its own line, the box beside its words */}
        <p className="plan-choice">
          <label>
            <input
              type="checkbox"
              checked={plan.dualReview === true}
              onChange={(e) => update({ dualReview: e.currentTarget.checked })}
            />
            <span>
              Dual review: two clinicians review every record independently; records they disagree on go to an
              adjudicator
            </span>
          </label>
        </p>
        <p className="plan-choice">
          <label>
            <input
              type="checkbox"
              checked={plan.reviewerMayApprove === true}
              onChange={(e) => update({ reviewerMayApprove: e.currentTarget.checked })}
            />
            <span>
              The approver may also review records of this sample (for a small clinic). Otherwise Preflight
              refuses an approval signed by anyone on the roster who decided a record of it
            </span>
          </label>
        </p>
      </fieldset>
      <NotMigratedColumns
        columns={plan.notMigrated ?? []}
        {...(editable ? { onChange: (notMigrated: NotMigratedColumn[]) => update({ notMigrated }) } : {})}
      />
      <RiskStrata plan={plan} evidence={evidence} {...(editable ? { onApply: actions.save } : {})} />
      {problems.length > 0 && (
        <ul className="error" role="alert">
          {problems.map((p) => (
            <li key={`${p.path}:${p.code}`}>{p.message}</li>
          ))}
        </ul>
      )}
      <p className="lede">
        One critical defect — the wrong patient, a missing or wrong allergy, a wrong medication or dose —
        fails the sign-off whatever the numbers.
      </p>
      <TableScroll label={`Sample sizes of ${plan.name}`}>
        <table className="wide stacked-table">
          <caption>
            Records to review: {counts.atMost ? 'at most ' : ''}
            {formatCount(counts.total)} of {formatCount(counts.rows)} rows
            {counts.drawn &&
              counts.total < counts.planned &&
              `; rows with the same key${keyName ? ` (${keyName})` : ''} are one record`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Stratum</th>
              <th scope="col">Rows</th>
              <th scope="col">To review</th>
              <th scope="col">Why this many</th>
            </tr>
          </thead>
          <tbody>
            {sizes.strata.map((s, i) => {
              const count = counts.strata[i];
              return (
                <tr key={s.stratumId}>
                  <th scope="row">
                    {s.label}
                    {s.flagged && <span className="step-detail">flagged by validation: its own stratum</span>}
                    {s.flagged && editable && (
                      <label className="step-detail">
                        <input
                          type="checkbox"
                          checked={plan.population.strata.some(
                            (x) => x.id === s.stratumId && x.census === true,
                          )}
                          onChange={(e) => {
                            const census = e.currentTarget.checked;
                            update({
                              population: {
                                ...plan.population,
                                strata: plan.population.strata.map((x) =>
                                  x.id === s.stratumId ? { ...x, census } : x,
                                ),
                              },
                            });
                          }}
                        />{' '}
                        Review every flagged record (otherwise a sample of its own)
                      </label>
                    )}
                  </th>
                  <td data-label="Rows">{formatCount(count?.rows ?? s.population)}</td>
                  <td data-label="To review">
                    {/* one block beside its label on a phone (signoff.css) */}
                    <div>
                      {formatCount(count?.drawn ?? s.n)}
                      {s.result.method === 'census' ? ' (all)' : ''}
                      {count?.note && <span className="step-detail">{count.note}</span>}
                    </div>
                  </td>
                  <td data-label="Why this many">
                    <details>
                      <summary>
                        <code>{s.result.formula}</code>
                      </summary>
                      <ol className="why-steps">
                        {s.result.steps.map((step) => (
                          <li key={step}>{step}</li>
                        ))}
                      </ol>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {curves.length > 0 && (
        <>
          <OcCurveChart series={curves} targetErrorRate={plan.targetErrorRate} risk={1 - plan.confidence} />
          <ul className="oc-words">
            {sampled.map((s) => (
              <li key={s.stratumId}>
                {s.label}: if the true error rate were {formatPercent(plan.targetErrorRate)}, this stratum
                would pass with probability {formatProbability(s.result.acceptProbability)} (at most{' '}
                {formatPercent(1 - plan.confidence)}
                ); with no errors at all it always passes.
              </li>
            ))}
          </ul>
        </>
      )}
      {locked && plan.lock && hash ? (
        <section className="plan-lock" aria-label={`Lock of ${plan.name}`}>
          <h4>Locked {formatRecordedTime(plan.lock.lockedAt)}</h4>
          <p>
            Plan hash (every review decision and the signature cite it):{' '}
            <code data-testid="plan-hash">{hash}</code>
          </p>
          <TableScroll label="Files this plan samples">
            <table>
              <caption>Files this plan samples</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {plan.lock.datasets.map((d) => (
                  <tr key={`${d.name}:${d.sha256}`}>
                    <th scope="row">{d.name}</th>
                    <td>{formatBytes(d.bytes)}</td>
                    <td>
                      <code>{d.sha256}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {actions && !supersededBy && (
            <button
              type="button"
              onClick={() => actions.save(nextPlan(plan, actions, lastResult?.() ?? null))}
            >
              Make a new plan from this one
            </button>
          )}
        </section>
      ) : (
        actions && (
          <LockPanel plan={plan} actions={actions} disabled={problems.length > 0} {...(by ? { by } : {})} />
        )
      )}
    </article>
  );
}

function LockPanel({
  plan,
  actions,
  disabled,
  by,
}: {
  plan: SamplePlan;
  actions: PlanActions;
  disabled: boolean;
  /** the staff id recorded as who locked it */
  by?: string;
}) {
  const inputId = useId();
  const { ready, job, start, cancel } = usePlanFingerprints(plan.id);
  const datasets = planFingerprints(job);
  const running = job?.status === 'running';
  const percent = job?.progress?.total ? Math.floor((job.progress.done / job.progress.total) * PERCENT) : 0;
  return (
    <section className="plan-lock" aria-label={`Lock of ${plan.name}`}>
      <h4>Lock the plan before any record is drawn</h4>
      <p>
        Choose the data files the sample will be drawn from. Preflight records each file's SHA-256 fingerprint
        in the plan (the files are read on this computer and never stored), then locks it: from then on the
        plan cannot change, and a changed file no longer matches.
      </p>
      <div className="row">
        <label htmlFor={inputId}>Data files</label>
        <input
          id={inputId}
          type="file"
          multiple
          disabled={!ready || running}
          onChange={(event) => {
            const input = event.currentTarget;
            const files = [...(input.files ?? [])];
            input.value = '';
            if (files.length > 0) start(files);
          }}
        />
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {running && (
        <div className="progress-block">
          <progress max={PERCENT} value={percent} aria-label={`Fingerprinting ${job.subject}`} />
          <p aria-live="polite">
            {job.subject}: {percent} %
          </p>
        </div>
      )}
      {job?.status === 'failed' && (
        <p className="error" role="alert">
          {job.message}
        </p>
      )}
      {job?.status === 'cancelled' && <p role="status">{job.message}</p>}
      {datasets && (
        <>
          <ul>
            {datasets.map((d) => (
              <li key={`${d.name}:${d.sha256}`}>
                {d.name} ({formatBytes(d.bytes)}): <code>{d.sha256}</code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            disabled={disabled}
            onClick={() => actions.save(lockPlan(plan, datasets, actions.now(), by))}
          >
            Lock the plan
          </button>
          {disabled && <p className="field-error">Fix the targets above before locking.</p>}
        </>
      )}
    </section>
  );
}
