/**
 * The failing data a step uses, where the analyst works: in the step's panel, each column or FHIR
 * element of an extract's latest check that fails, through the project's data dictionary, with a
 * link to the check on the Migration screen; on the canvas, a mark on the step (its words here, the
 * node draws it). The same latest checks, waivers and trace as the readiness board's failing data
 * (`failingDataOfSteps`, src/core/readiness). Names columns, checks and counts, never values.
 *
 * On a project shared with a team server the checks are the team's, as its board reads them: the
 * summaries members' runs shared (`failingDataOfSharedSteps`), so a member who never ran a check
 * sees the same marks, told who ran it and when. Until they are read, and when they cannot be (nobody
 * signed in, the server unreachable or refusing, a summary not in a summary's form), the marks are
 * from the checks this browser keeps, and the screen says so and why ({@link FailingDataSource}):
 * never this browser's marks shown as the team's.
 */
import { useDeferredValue, useMemo } from 'react';
import {
  failingDataOfSharedSteps,
  failingDataOfSteps,
  type StepFailingData,
  stepKey,
} from '../../../core/readiness/index.ts';
import { sharedRunSummaries, unreadableRunSummaries } from '../../../core/teamRecords/index.ts';
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
 * Where the failing-data marks come from: this browser's checks on a project of its own (`own`);
 * the team's summaries on the server (`team`); or, on a shared project, this browser's checks
 * while the team's are being read (`reading`) or because they could not be (`unread`, why).
 */
export type FailingDataFrom =
  | { kind: 'own' }
  | { kind: 'team' }
  | { kind: 'reading' }
  | { kind: 'unread'; reason: string; todo: string };

/** The failing data of each step by step id, and where it comes from. */
export interface StepsFailingData {
  marks: ReadonlyMap<string, readonly StepFailingData[]>;
  from: FailingDataFrom;
}

/** What to do when the team server could not be asked or refused. */
const ASK_AGAIN =
  'Check the connection to the team server and open this workflow again; if it goes on, tell the project lead.';

/** Why the team's summaries in `records` cannot be read, and what to do; undefined when they all can. */
function unreadableWords(
  records: Parameters<typeof sharedRunSummaries>[0],
): { unread: string; todo: string } | undefined {
  const [first, ...more] = unreadableRunSummaries(records);
  if (first === undefined) return undefined;
  const others = more.length === 0 ? '' : ` (and ${plural(more.length, 'other run')})`;
  return {
    unread: `the summary of a run ${first.by} shared ${checkedWhen(first.at)}${others} is not in a form this version of Preflight reads (at ${first.where})`,
    todo: `Ask ${first.by} to run that check again and share it, or ask the project lead whether Preflight needs updating.`,
  };
}

/**
 * The failing data of each step of `workflow`, by step id, worked out from `project` after edits
 * settle (the trace reads every workflow: it waits behind typing, as the analysis does); on a
 * shared project from the team's summaries once read, and where they came from (see the header).
 */
export function useFailingDataOfSteps(project: Project, workflow: Pick<Workflow, 'id'>): StepsFailingData {
  const settled = useDeferredValue(project);
  const sharing = useProjectSharing(project.meta.id);
  const server = useSignedInTeamProject(sharing);
  // the project's one copy of its shared records in the browser's cache of team reads (the
  // Readiness board and the Migration's rehearsals read the same)
  const records = useTeamRead(server, sharedRecordsRead);
  const team = useMemo(():
    | { summaries: ReturnType<typeof sharedRunSummaries> }
    | { unread: string; todo: string }
    | undefined => {
    if (server === undefined) return undefined;
    if (records.unread !== undefined) return { unread: records.unread, todo: ASK_AGAIN };
    if (records.value === undefined) return undefined;
    return unreadableWords(records.value) ?? { summaries: sharedRunSummaries(records.value) };
  }, [server, records.value, records.unread]);
  const summaries = team !== undefined && 'summaries' in team ? team.summaries : undefined;
  const marks = useMemo(() => {
    const today = localDay(new Date());
    const all =
      summaries === undefined
        ? failingDataOfSteps(settled, today)
        : failingDataOfSharedSteps(settled, summaries, today);
    const prefix = stepKey(workflow.id, '');
    const mine = new Map<string, StepFailingData[]>();
    for (const [key, list] of all) if (key.startsWith(prefix)) mine.set(key.slice(prefix.length), list);
    return mine;
  }, [settled, workflow.id, summaries]);
  const from = useMemo((): FailingDataFrom => {
    if (sharing.kind !== 'shared') return { kind: 'own' };
    if (sharing.signer === undefined)
      return {
        kind: 'unread',
        reason:
          sharing.absent === 'ended'
            ? 'your session on the team server ended'
            : 'nobody is signed in to the team server here',
        todo: "Sign in to the team server to see the team's marks.",
      };
    if (team === undefined) return { kind: 'reading' };
    return 'unread' in team ? { kind: 'unread', reason: team.unread, todo: team.todo } : { kind: 'team' };
  }, [sharing, team]);
  return useMemo(() => ({ marks, from }), [marks, from]);
}

/**
 * Where the marks of failing data come from, said above the diagram on a shared project while they
 * are not the team's: being read, or why the team's checks could not be read and what to do.
 * Nothing on a project of this browser's own, nor once the team's are read.
 */
export function FailingDataSource({ from }: { from: FailingDataFrom }) {
  if (from.kind === 'own' || from.kind === 'team') return null;
  return (
    <p className="field-hint" role="status" data-testid="failing-data-source">
      {from.kind === 'reading'
        ? "Loading the team's checks from the team server… Until they are read, the failing-data marks (⛁) on the steps are from checks run in this browser only."
        : `The team's checks could not be read (${from.reason}); the failing-data marks (⛁) on the steps are from checks run in this browser only. ${from.todo}`}
    </p>
  );
}

/**
 * The step panel's section: each failing place the step uses, with the data item the step names it
 * by and a link to its check on the Migration screen. Nothing when the step uses no failing data.
 */
export function StepFailingDataList({
  list,
  checkHref,
  from = { kind: 'own' },
}: {
  list: readonly StepFailingData[] | undefined;
  /** where the marks come from: on a shared project not read from the team, said here too */
  from?: FailingDataFrom;
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
        {(from.kind === 'reading' || from.kind === 'unread') &&
          " These are from checks run in this browser only: the team's checks are not read (see above the diagram)."}
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
