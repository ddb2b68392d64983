/**
 * "Sample result" on the team project page, for the lead and the data lead: each sample sent to the
 * team, its result as the team server computes it from the decisions it holds (where the records
 * stand, the verdict against the locked plan, the plan's targets), and an "Approve this sample's
 * result" button that signs exactly that result (its fingerprint) through the server's ceremony —
 * a fresh sign-in first when the server asks, then the signer's own key. After signing, the
 * manifestation: printed name, date and time with zone, and the meaning, word for word.
 *
 * The figures are the server's, computed by the core (sampleResult.ts); this screen only words
 * them. A result that fails cannot be approved: "Confirm this sample's result as shown" signs that
 * instead, the same way. When the result changed since it was shown (a decision came in), the
 * server refuses and the screen shows the result again. No record content is shown: counts only;
 * a sample is named by when the lead sent it.
 */
import { useState } from 'react';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import type { FailureReason } from '../../core/signoff/sampling/index.ts';
import {
  approvalRefusal,
  type ResultCounts,
  type SampleResult,
  type ServedSampleResult,
  SIGNING_MEANINGS,
} from '../../core/signoff/signing/index.ts';
import { formatCount } from '../common/format.ts';
import { sampleResultsRead } from '../team/teamReads.ts';
import { useTeamRead } from '../team/useTeamRead.ts';
import { type ServerSigningOutcome, signOnServer, type TeamSession } from './serverSigning.ts';

/**
 * What the panel asks of the team server beyond its read (a test passes its own): the results
 * are read through the browser's one cache of team reads (`sampleResultsRead`), so a read that
 * was overtaken by a later one never lands last.
 */
export interface SampleResultsApi {
  sign: typeof signOnServer;
}

const SERVER_API: SampleResultsApi = { sign: signOnServer };

const REASON_WORDS: Record<FailureReason, string> = {
  'critical-defect': 'a critical defect was found (wrong patient, allergy, medication or dose)',
  'bound-above-target': 'the error rate may be above the plan’s target',
  'minor-bound-above-target': 'the rate of minor errors may be above its target',
};

const percent = (rate: number) => `${Number((rate * 100).toPrecision(6))}%`;
const count = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Where the records stand, in clinic words: only the parts that are not zero. */
function standingWords(c: ResultCounts): string {
  const parts = [`${formatCount(c.accepted)} accepted`, `${formatCount(c.rejected)} rejected`];
  if (c.undecided > 0) parts.push(`${formatCount(c.undecided)} not yet decided`);
  if (c.awaitingOtherReview > 0)
    parts.push(`${formatCount(c.awaitingOtherReview)} waiting for the second reviewer`);
  if (c.awaitingAdjudication > 0)
    parts.push(`${formatCount(c.awaitingAdjudication)} waiting for the adjudicator`);
  return `${count(c.drawn, 'record', 'records')} drawn: ${parts.join(', ')}.`;
}

function defectWords(c: ResultCounts): string {
  const parts = [
    `${formatCount(c.critical)} critical`,
    `${formatCount(c.major)} major`,
    `${formatCount(c.minor)} minor`,
  ];
  const unassessed =
    c.cannotAssess > 0 ? ` ${count(c.cannotAssess, 'record', 'records')} could not be assessed.` : '';
  return `Records with an error: ${parts.join(', ')}.${unassessed}`;
}

function planWords(plan: SampleResult['plan']): string {
  const minor =
    plan.minorTargetErrorRate === undefined
      ? ''
      : `, and at most ${percent(plan.minorTargetErrorRate)} with a minor error`;
  return `The plan’s target: at most ${percent(plan.targetErrorRate)} of records with an error${minor}, shown with ${percent(plan.confidence)} confidence${plan.dualReview ? ', every record reviewed by two people' : ''}.`;
}

function verdictWords(result: SampleResult): string {
  if (result.pass)
    return result.standing === 'passes'
      ? 'Passes the plan’s target.'
      : 'Passes the plan’s target as the decisions now stand (records still in review are counted at their worst).';
  const reasons = result.reasons.map((r) => REASON_WORDS[r]).join('; ');
  return result.standing === 'fails'
    ? `Does not pass the plan’s target: ${reasons}.`
    : `Does not pass the plan’s target as the decisions now stand, while records are still in review: ${reasons}.`;
}

/** A sample as people tell it apart: when the lead sent it to the team (its id from an older server). */
function sampleName(served: ServedSampleResult): string {
  return served.sentAt === undefined
    ? `Sample ${served.review}`
    : `Sample sent ${formatRecordedTime(served.sentAt)}`;
}

type Signable = Extract<ServedSampleResult, { result: SampleResult }>;
type ResultKind = 'approval' | 'confirmation';

type Status = { kind: 'idle' | 'working' | 'done' | 'error'; text: string };

/** One sample's result and its approval, or, for a result that fails, its confirmation as shown. */
function OneResult({
  served,
  onSign,
}: {
  served: Signable;
  onSign: (served: Signable, kind: ResultKind) => Promise<void>;
}) {
  const { result, fingerprint } = served;
  const refused = approvalRefusal(result);
  return (
    <li>
      <h4>{sampleName(served)}</h4>
      <p>
        <strong>{verdictWords(result)}</strong>
      </p>
      <p>{standingWords(result.total)}</p>
      <p>{defectWords(result.total)}</p>
      <p>{planWords(result.plan)}</p>
      <p className="team-note">
        What a signature here signs: this result exactly (fingerprint {fingerprint.slice(0, 12)}…). If a
        decision comes in after you looked, the team server refuses the signature and shows the result again.
      </p>
      {refused === undefined ? (
        <>
          <p>
            Your signature means, word for word: <q>{SIGNING_MEANINGS.approval}</q>
          </p>
          <button type="button" className="primary" onClick={() => void onSign(served, 'approval')}>
            Approve this sample’s result
          </button>
        </>
      ) : result.standing === 'fails' ? (
        <>
          <p>
            It cannot be approved: it does not pass the plan’s target. You can sign that you confirm the
            result as shown; your signature means, word for word: <q>{SIGNING_MEANINGS.confirmation}</q>
          </p>
          <button type="button" onClick={() => void onSign(served, 'confirmation')}>
            Confirm this sample’s result as shown
          </button>
        </>
      ) : (
        <p>It cannot be approved yet: {refused}.</p>
      )}
    </li>
  );
}

export function SampleResults({
  session,
  projectId,
  api = SERVER_API,
}: {
  session: TeamSession;
  projectId: string;
  api?: SampleResultsApi;
}) {
  // read again when a decision, a review or a signature changes (the cache follows the project)
  const read = useTeamRead({ session, projectId }, sampleResultsRead);
  const results: ServedSampleResult[] | undefined = read.value ?? read.kept;
  const loadError =
    read.unread === undefined
      ? undefined
      : `The samples’ results could not be read from the team server: ${read.unread}`;
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [signInAgain, setSignInAgain] = useState<{ href: string; kind: ResultKind } | undefined>();
  // a read asked while another runs replaces it: the one overtaken never lands
  const load = read.reread;

  const sign = async (served: Signable, kind: ResultKind) => {
    if (status.kind === 'working') return;
    setSignInAgain(undefined);
    setStatus({
      kind: 'working',
      text: 'Confirm it is you: follow your browser (security key, fingerprint or PIN)…',
    });
    try {
      const back = window.location.hash;
      const outcome: ServerSigningOutcome = await api.sign(session, projectId, {
        hash: served.fingerprint,
        kind,
        review: served.review,
        ...(/^#\/./.test(back) ? { returnTo: back } : {}),
      });
      if ('signInAgain' in outcome) {
        setSignInAgain({ href: outcome.signInAgain, kind });
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      const { signed } = outcome;
      setStatus({
        kind: 'done',
        text: `Signed by ${signed.signer.name} on ${formatRecordedTime(signed.signedAt)}: “${signed.meaning}” (${sampleName(served).replace(/^S/, 's')}, entry ${signed.projectSeq} of the project’s log). The lead’s sign-off report carries this signature: her Sign-off follows the team server’s record.`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: `Not signed: ${(e as Error).message}` });
      // the result may have changed under her: show it as it is now
      load();
    }
  };

  return (
    <section aria-labelledby="sample-results-title" className="team-sample-results">
      <h3 id="sample-results-title">Sample result</h3>
      {loadError && (
        <p className="team-error" role="alert">
          {loadError}
        </p>
      )}
      {results?.length === 0 && (
        <p className="team-note">
          No sample has been sent to this team yet: the lead sends one from its review.
        </p>
      )}
      <ul>
        {results?.map((served) =>
          'planMissing' in served ? (
            <li key={served.review}>
              <h4>{sampleName(served)}</h4>
              <p>No result yet: {served.planMissing}.</p>
            </li>
          ) : (
            <OneResult key={served.review} served={served} onSign={sign} />
          ),
        )}
      </ul>
      {status.text !== '' && (
        <p
          role="status"
          data-testid="sample-result-status"
          className={status.kind === 'error' ? 'fail' : undefined}
        >
          {status.text}
        </p>
      )}
      {signInAgain && (
        <a href={signInAgain.href}>
          Sign in again, then {signInAgain.kind === 'approval' ? 'approve' : 'confirm'}
        </a>
      )}
      <button type="button" onClick={() => void load()}>
        Show the results again
      </button>
    </section>
  );
}
