/**
 * The failing data a step uses, where the analyst works: in the step's panel, each column or FHIR
 * element of an extract's latest check that fails, through the project's data dictionary, with a
 * link to the check on the Migration screen; on the canvas, a mark on the step (its words here, the
 * node draws it). The same latest checks, waivers and trace as the readiness board's failing data
 * (`failingDataOfSteps`, src/core/readiness). Names columns, checks and counts, never values.
 */
import { useDeferredValue, useMemo } from 'react';
import { failingDataOfSteps, type StepFailingData, stepKey } from '../../../core/readiness/index.ts';
import { localDay } from '../../../core/validation/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';

/** A share of records as a percentage rounded up to a tenth, so one failing record never reads 0 %. */
export function shareWords(share: number): string {
  const tenths = Math.ceil(share * 1000 - 1e-9);
  return `${tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)} %`;
}

/** One failing place in words: `last_name in patients.csv: 3 problems (0.3 % of records)`. */
export function failingDataWords(data: StepFailingData): string {
  return `${data.location} in ${data.dataset}: ${plural(data.count, 'problem')} (${shareWords(data.share)} of records)`;
}

/** What the canvas mark of a step says to a screen reader and in its tooltip. */
export function spokenFailingData(list: readonly StepFailingData[]): string {
  return `uses failing data: ${list.map((d) => `${d.location} in ${d.dataset}`).join(', ')}`;
}

/**
 * The failing data of each step of `workflow`, by step id, worked out from `project` after edits
 * settle (the trace reads every workflow: it waits behind typing, as the analysis does).
 */
export function useFailingDataOfSteps(
  project: Project,
  workflow: Pick<Workflow, 'id'>,
): ReadonlyMap<string, readonly StepFailingData[]> {
  const settled = useDeferredValue(project);
  return useMemo(() => {
    const all = failingDataOfSteps(settled, localDay(new Date()));
    const prefix = stepKey(workflow.id, '');
    const mine = new Map<string, StepFailingData[]>();
    for (const [key, list] of all) if (key.startsWith(prefix)) mine.set(key.slice(prefix.length), list);
    return mine;
  }, [settled, workflow.id]);
}

/**
 * The step panel's section: each failing place the step uses, with the data item the step names it
 * by and a link to its check on the Migration screen. Nothing when the step uses no failing data.
 */
export function StepFailingDataList({
  list,
  checkHref,
}: {
  list: readonly StepFailingData[] | undefined;
  /** the address of the check a failing place comes from (its report, when the project keeps it) */
  checkHref: (data: StepFailingData) => string;
}) {
  if (!list || list.length === 0) return null;
  return (
    <section className="wf-failing-data" aria-labelledby="wf-failing-data-title">
      <h4 id="wf-failing-data-title">Failing data this step uses</h4>
      <p className="field-hint">
        From the latest check of each extract, through the project's data dictionary: fix these before
        go-live, or staff here will work with wrong data.
      </p>
      <ul>
        {list.map((d) => (
          <li key={`${d.dataset}|${d.location}`} data-testid="step-failing-data">
            <strong>{d.location}</strong> in {d.dataset}: {plural(d.count, 'problem')} ({shareWords(d.share)}{' '}
            of records) · this step's “{d.item}” ·{' '}
            <a href={checkHref(d)}>
              Open the check of {d.dataset}{' '}
              <span className="visually-hidden">
                ({plural(d.count, 'problem')} at {d.location})
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
