/**
 * "Send to reviewers": the lead, signed in to the clinic's team server, sends this locked sample's
 * record pairs to a team project she leads and says who reviews each pass — the first reviewer,
 * and under dual review a second one and an adjudicator, three different people. The server
 * refuses anything else, in words shown here. The record pairs are read from the data file open
 * above, else the one chosen for this sample earlier in this page session (said either way), and
 * go to the team server only; the review on this computer remembers which team project it was
 * sent to, and from then on follows the server's record there (useServerRecord.ts).
 *
 * Shown only while someone is signed in to a team server; review packets stay for clinics without.
 * The projects offered and the people each pass may go to are the role × action table's
 * (`assign-reviews`, `review-records`), the same table the server refuses by.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ShownRecord } from '../../core/signoff/review/index.ts';
import { mayDo } from '../../core/teamRoles/index.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { formatCount } from '../common/format.ts';
import type { TeamMember, TeamProjectSummary } from '../team/teamClient.ts';
import { useTeamServerState } from '../team/teamContext.ts';
import { teamProjectRead, teamProjectsRead } from '../team/teamReads.ts';
import { useTeamRead, useTeamServerRead } from '../team/useTeamRead.ts';
import type { ReviewActions } from './reviewActions.ts';
import {
  closeAdjudication,
  type RecordAssignment,
  sendToReviewers,
  teamProjectOfReview,
  withTeamProjectOfReview,
} from './serverReviews.ts';

type Pass = 'first' | 'second' | 'adjudicator';
const PASS_LABELS: Record<Pass, string> = {
  first: 'First reviewer',
  second: 'Second reviewer (does not see the first’s decisions)',
  adjudicator: 'Adjudicator (decides where the two disagree)',
};

export function SendToReviewers({
  review,
  plan,
  shownRecords,
  shownFrom,
  settings,
  actions,
}: {
  review: Review;
  /** the review's locked plan: the server judges the sample's result against it */
  plan: SamplePlan;
  /**
   * what the screen shows for every drawn record, with the files read: the file open above, else
   * the one chosen for this sample earlier in this page session; null when there is none
   */
  shownRecords: () => Promise<{ shown: ShownRecord[]; files: string[] } | null>;
  /** the names of the data files a send reads (absent while there is none) */
  shownFrom?: readonly string[];
  /** the open project's settings (where the link to the team project is kept) */
  settings: Record<string, unknown>;
  actions: ReviewActions;
}) {
  const team = useTeamServerState();
  const client = team.phase === 'signed-in' ? team.client : undefined;
  const titleId = useId();
  const projectId = useId();
  const passIds = { first: useId(), second: useId(), adjudicator: useId() };
  const [chosen, setChosen] = useState(() => teamProjectOfReview(settings, review.id) ?? '');
  const [who, setWho] = useState<Record<Pass, string>>({ first: '', second: '', adjudicator: '' });
  const [closing, setClosing] = useState(false);
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  const sentTo = teamProjectOfReview(settings, review.id);
  const dual = review.dualReview === true;
  const passes: Pass[] = dual ? ['first', 'second', 'adjudicator'] : ['first'];

  // the person's projects, their one copy in the browser's cache of team reads; offered where she
  // may assign reviews
  const list = useTeamServerRead(
    client?.session,
    team.phase === 'signed-in' ? team.user.subject : '',
    teamProjectsRead,
  );
  const projects: TeamProjectSummary[] | undefined = useMemo(
    () => list.value?.filter((p) => mayDo(p.role, 'assign-reviews')),
    [list.value],
  );
  useEffect(() => {
    if (list.unread !== undefined) setStatus({ kind: 'error', text: list.unread });
  }, [list.unread]);
  // the chosen project's roster, its one copy in the browser's cache of team reads
  const roster = useTeamRead(
    client && chosen !== '' ? { session: client.session, projectId: chosen } : undefined,
    teamProjectRead,
  );
  const members: TeamMember[] = useMemo(
    () => (roster.value?.members ?? []).filter((m) => !m.expired && mayDo(m.role, 'review-records')),
    [roster.value],
  );
  useEffect(() => {
    if (roster.unread !== undefined) setStatus({ kind: 'error', text: roster.unread });
  }, [roster.unread]);

  if (!client) return null;

  const send = async () => {
    if (chosen === '' || passes.some((p) => who[p] === '')) {
      setStatus({
        kind: 'error',
        text: `Choose the team project and ${dual ? 'a person for each pass' : 'the reviewer'}.`,
      });
      return;
    }
    setStatus({ kind: 'working', text: 'Reading the sampled records from the data file…' });
    const read = await shownRecords();
    if (!read) {
      setStatus({
        kind: 'error',
        text: 'Open the data file above first: the records are read from it to be sent.',
      });
      return;
    }
    const { shown, files } = read;
    const assignments: RecordAssignment[] = review.sample.strata.flatMap((s) =>
      s.records.map((r) => ({
        stratum: s.id,
        recordKey: r.key,
        first: who.first,
        ...(dual ? { second: who.second, adjudicator: who.adjudicator } : {}),
      })),
    );
    setStatus({ kind: 'working', text: 'Sending the records to the team server…' });
    try {
      const sent = await sendToReviewers(client.session, chosen, review, plan, assignments, shown, (n) =>
        setStatus({
          kind: 'working',
          text: `Sent ${formatCount(n)} of ${formatCount(shown.length)} records…`,
        }),
      );
      await actions.commit({
        type: 'project/settings',
        settings: withTeamProjectOfReview(settings, review.id, chosen),
      });
      const names = passes.map(
        (p) =>
          `${members.find((m) => m.id === who[p])?.name ?? 'someone'} (${p === 'adjudicator' ? 'adjudicator' : `${p} review`})`,
      );
      setStatus({
        kind: 'done',
        text: `Sent ${formatCount(sent)} records read from ${files.join(', ')} to the team project “${projects?.find((p) => p.id === chosen)?.name ?? chosen}”, for ${names.join(', ')}. They see them under My assigned records; every opening of a record is logged on the server.`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: `Not sent: ${(e as Error).message}` });
    }
  };

  /** Closes adjudication on the server, once the lead has said yes to what it does. */
  const close = async () => {
    if (!sentTo) return;
    setClosing(false);
    setStatus({ kind: 'working', text: 'Closing adjudication on the team server…' });
    try {
      const closed = await closeAdjudication(client.session, sentTo, review.id);
      const waiting = closed.awaitingAdjudication;
      setStatus({
        kind: 'done',
        text: `Adjudication is closed on the team server: both reviewers now see each other’s decisions and comments, and the review takes no more decisions.${waiting > 0 ? ` ${formatCount(waiting)} ${waiting === 1 ? 'record was' : 'records were'} still waiting for the adjudicator.` : ''}`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: `Adjudication was not closed: ${(e as Error).message}` });
    }
  };

  return (
    <section className="card send-to-reviewers" aria-labelledby={titleId}>
      <h4 id={titleId}>Send to reviewers</h4>
      <p>
        Send the sampled records to your reviewers on your clinic’s team server: each signs in there and
        reviews on their own computer, and each decision comes back to the server in order. The records are
        kept on your clinic’s server only, and each time someone opens one it is logged.
      </p>
      <p data-testid="send-source">
        {shownFrom?.length
          ? `The records are read from ${shownFrom.join(', ')}, the data file chosen for this sample.`
          : 'Open the data file above first: the records are read from it to be sent.'}
      </p>
      {sentTo && (
        <p>
          This sample was sent to a team project already: its decisions and signatures are read from the team
          server.
          {dual && !closing && (
            <>
              {' '}
              <button type="button" onClick={() => setClosing(true)} disabled={status.kind === 'working'}>
                Close adjudication…
              </button>
            </>
          )}
        </p>
      )}
      {sentTo && dual && closing && (
        <fieldset>
          <legend>Close adjudication</legend>
          <p>
            Until you close adjudication, each reviewer sees the other’s decision and comment on a record only
            once the adjudicator has ruled on it. Closing shows both reviewers every decision and comment, and
            the team server takes no more decisions on this sample. Close it once every disagreement is ruled
            on.
          </p>
          <button type="button" className="danger" onClick={() => void close()}>
            Close adjudication now
          </button>{' '}
          <button type="button" onClick={() => setClosing(false)}>
            Keep it open
          </button>
        </fieldset>
      )}
      <label htmlFor={projectId}>Team project</label>
      <select id={projectId} value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {(projects ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      {passes.map((pass) => (
        <div key={pass}>
          <label htmlFor={passIds[pass]}>{PASS_LABELS[pass]}</label>
          <select
            id={passIds[pass]}
            value={who[pass]}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setWho((w) => ({ ...w, [pass]: value }));
            }}
          >
            <option value="">Choose…</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.email ?? m.subject}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button type="button" onClick={() => void send()} disabled={status.kind === 'working'}>
        Send to reviewers
      </button>
      <p role="status" data-testid="send-status" className={status.kind === 'error' ? 'fail' : undefined}>
        {status.text}
      </p>
    </section>
  );
}
