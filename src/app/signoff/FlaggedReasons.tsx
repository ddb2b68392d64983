/**
 * On a record of the flagged stratum (a plan stratified by validation outcome): which checks of the
 * dataset's column contract fail on its row — the rule in words and the column — so the clinician
 * checks what validation flagged. Worked out from the row the screen shows (flaggedReasons.ts);
 * names columns and rules, never a value.
 */
import { useMemo } from 'react';
import { compilePlan } from '../../core/contract/index.ts';
import { flaggedReasons, type ShownRecord } from '../../core/signoff/review/index.ts';
import type { Project } from '../../formats/project.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { formatCount } from '../common/format.ts';

/** The column contract of the plan's dataset, when the record's stratum is the flagged one. */
function flaggedContract(plan: SamplePlan, project: Project, stratum: string): unknown {
  if (!plan.population.strata.some((s) => s.id === stratum && s.flagged === true)) return undefined;
  const id = project.datasets.find((d) => d.name === plan.population.dataset)?.contract;
  return project.schemas.find((s) => s.id === id)?.schema;
}

export function FlaggedReasons({
  plan,
  project,
  shown,
}: {
  plan: SamplePlan;
  project: Project;
  shown: ShownRecord;
}) {
  const contract = flaggedContract(plan, project, shown.stratum);
  const compiled = useMemo(() => (contract === undefined ? undefined : compilePlan(contract)), [contract]);
  if (!plan.population.strata.some((s) => s.id === shown.stratum && s.flagged === true)) return null;
  if (!compiled) {
    return (
      <p className="flagged-reasons" data-testid="flagged-reasons">
        Validation flagged this record. The column contract it was checked against is not in this project on
        this computer, so its errors cannot be shown here.
      </p>
    );
  }
  const found = flaggedReasons(compiled, shown.source.header, shown.source.cells);
  const errors = found.reasons.length + (found.cellCount ? 1 : 0);
  return (
    <section
      className="flagged-reasons"
      aria-label="Why validation flagged this record"
      data-testid="flagged-reasons"
    >
      <h6>Why validation flagged this record</h6>
      {errors === 0 ? (
        <p>
          {found.incomplete
            ? 'The checks the screen can run find no error on this row; the full validation runs more of the contract, which flagged it. '
            : 'Each cell passes the column contract: validation flagged this record because its record key appears more than once in the file, or for how the row is written in the CSV (for example its quotes). '}
          Check the record key and the whole row.
        </p>
      ) : (
        <>
          <p>
            {formatCount(errors)} {errors === 1 ? 'error' : 'errors'} on this row. Check these fields first:
          </p>
          <ul>
            {found.cellCount && (
              <li>
                The row has {formatCount(found.cellCount.row)} cells where the header has{' '}
                {formatCount(found.cellCount.header)}.
              </li>
            )}
            {found.reasons.map((r) => (
              <li key={`${r.rule} ${r.column}`}>
                <strong>{r.column}</strong>: {r.describe} <span className="rule-id">({r.rule})</span>
              </li>
            ))}
          </ul>
          {found.incomplete && (
            <p>The full validation runs more checks of the contract; there may be others.</p>
          )}
        </>
      )}
    </section>
  );
}
