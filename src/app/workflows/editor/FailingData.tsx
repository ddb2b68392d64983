/**
 * The failing data a step uses, where the analyst works: in the step's panel, each column or FHIR
 * element of an extract's latest check that fails, through the project's data dictionary, with a
 * link to the check on the Migration screen; on the canvas, a mark on the step (its words here, the
 * node draws it). The same latest checks, waivers and trace as the readiness board's failing data
 * (`failingDataOfSteps`, src/core/readiness). Names columns, checks and counts, never values.
 *
 * On a project shared with a team server the checks are the team's, as its board reads them: the
 * summaries members' runs shared (`failingDataOfSharedSteps`), so a member who never ran a check
 * sees the same marks, told who ran it and when; until they are read (or when they cannot be), the
 * checks this browser keeps.
 */
import { useDeferredValue, useMemo } from 'react';
import {
  failingDataOfSharedSteps,
  failingDataOfSteps,
  type StepFailingData,
  stepKey,
} from '../../../core/readiness/index.ts';
import { sharedRunSummaries } from '../../../core/teamRecords/index.ts';
import { localDay } from '../../../core/validation/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { checkedWhen, plural } from '../../common/format.ts';
import { useProjectSharing, useSignedInTeamProject } from '../../team/projectSharing.ts';
import { sharedRecordsRead } from '../../team/teamReads.ts';
import { useTeamRead } from '../../team/useTeamRead.ts';

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
 * settle (the trace reads every workflow: it waits behind typing, as the analysis does); on a
 * shared project from the team's summaries once read (see the header).
 */
export function useFailingDataOfSteps(
  project: Project,
  workflow: Pick<Workflow, 'id'>,
): ReadonlyMap<string, readonly StepFailingData[]> {
  const settled = useDeferredValue(project);
  const sharing = useProjectSharing(project.meta.id);
  const server = useSignedInTeamProject(sharing);
  // the project's one copy of its shared records in the browser's cache of team reads (the
  // Readiness board and the Migration's rehearsals read the same)
  const records = useTeamRead(server, sharedRecordsRead);
  const team = useMemo(
    () =>
      server === undefined || records.value === undefined ? undefined : sharedRunSummaries(records.value),
    [server, records.value],
  );
  return useMemo(() => {
    const today = localDay(new Date());
    const all =
      team === undefined
        ? failingDataOfSteps(settled, today)
        : failingDataOfSharedSteps(settled, team, today);
    const prefix = stepKey(workflow.id, '');
    const mine = new Map<string, StepFailingData[]>();
    for (const [key, list] of all) if (key.startsWith(prefix)) mine.set(key.slice(prefix.length), list);
    return mine;
  }, [settled, workflow.id, team]);
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
            {d.report === undefined && d.shared ? (
              <>
                checked by {d.shared.by}, shared {checkedWhen(d.shared.at)}; its whole report stays in the
                browser that ran it ·{' '}
                <a href={checkHref(d)}>
                  See the team's runs on the Migration screen{' '}
                  <span className="visually-hidden">
                    ({d.dataset}: {plural(d.count, 'problem')} at {d.location})
                  </span>
                </a>
              </>
            ) : (
              <a href={checkHref(d)}>
                Open the check of {d.dataset}{' '}
                <span className="visually-hidden">
                  ({plural(d.count, 'problem')} at {d.location})
                </span>
              </a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
