/**
 * The reviewer's signature on the team server, under her assigned records: "I reviewed these
 * records" (or "I adjudicated…") over exactly her own decisions there, in the server's order,
 * through the server's ceremony. What she signs is the number on the record, checked before
 * signing: refused while a decision of hers is still on its way to the server (the decision
 * queue's pending count) or a record assigned to her is undecided there — unless she states that
 * she signs for the records she decided only, and then the signature says so ("86 of 93
 * decided"). The signed scope and decision set are the core's (signatureScope.ts); the server
 * refuses a set that is not its own record of her decisions.
 */
import { useId, useState } from 'react';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import {
  isPartialScope,
  SIGNING_MEANINGS,
  type SignatureManifest,
  scopedDecisionsHash,
  scopeText,
  signatureManifest,
} from '../../core/signoff/signing/index.ts';
import { formatCount } from '../common/format.ts';
import { RESULT_SIGNING_ROLES, ROLE_LABELS, type TeamRole } from '../team/teamClient.ts';
import { type AssignedRecord, readDecisions } from './serverReviews.ts';
import { signOnServer, type TeamSession } from './serverSigning.ts';

type SigningKind = 'review' | 'adjudication';

/** The records of hers a signature of `kind` is over: her passes (not her packet's), or her rulings. */
function assignedFor(kind: SigningKind, records: readonly AssignedRecord[]): number {
  return records.filter((r) =>
    kind === 'adjudication' ? r.pass === 'adjudication' : r.pass !== 'adjudication' && !r.decidedInPacket,
  ).length;
}

const records = (n: number) => `${formatCount(n)} ${n === 1 ? 'record' : 'records'}`;

/** Why signing waits while `waiting` decisions of hers are not yet on the server. */
export function unsentRefusal(waiting: number): string {
  return `Not signed: ${formatCount(waiting)} of your ${waiting === 1 ? 'decisions is' : 'decisions are'} still on this computer, not yet on the team server (see the line above). Your signature covers the decisions on the server only: sign once ${waiting === 1 ? 'it is' : 'they are'} sent.`;
}

/** Why signing is refused while records of hers are undecided on the server, and what she can do. */
export function undecidedRefusal(scope: SignatureManifest): string {
  const open = scope.assigned - scope.decided;
  return `Not signed: the team server holds your decisions on ${formatCount(scope.decided)} of the ${records(scope.assigned)} assigned to you, so ${formatCount(open)} ${open === 1 ? 'is' : 'are'} undecided. Decide ${open === 1 ? 'it' : 'them'} (scroll your records for those not marked “decided”), then sign — or tick “Sign for the records I decided only”, and your signature says “${scopeText(scope)}”.`;
}

export function SignMyReview({
  session,
  projectId,
  reviewId,
  memberId,
  waiting,
  assigned,
  myRole,
}: {
  session: TeamSession;
  projectId: string;
  reviewId: string;
  memberId: string;
  /** her decisions still waiting to be sent (the decision queue's pending count) */
  waiting: number;
  /** her records on this review, as the server assigned them */
  assigned: readonly AssignedRecord[];
  myRole?: TeamRole;
}) {
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  const [signInAgain, setSignInAgain] = useState<string | undefined>();
  // the partial scope she states, by kind: offered once a signing found records undecided
  const [offered, setOffered] = useState<Partial<Record<SigningKind, true>>>({});
  const [partial, setPartial] = useState<Partial<Record<SigningKind, boolean>>>({});
  const partialId = useId();
  const reviews = assigned.some((r) => r.pass !== 'adjudication' && !r.decidedInPacket);
  const adjudicates = assigned.some((r) => r.pass === 'adjudication');
  const packetDecided = assigned.filter((r) => r.pass !== 'adjudication' && r.decidedInPacket).length;

  const sign = async (kind: SigningKind) => {
    if (waiting > 0) {
      setStatus({ kind: 'error', text: unsentRefusal(waiting) });
      return;
    }
    setSignInAgain(undefined);
    setStatus({ kind: 'working', text: 'Reading your decisions on the team server…' });
    try {
      const mine = (await readDecisions(session, projectId, reviewId))
        .filter(
          (d) =>
            d.decision.reviewer.id === memberId &&
            d.fromPacket !== true &&
            (kind === 'adjudication') === (d.decision.stage === 'adjudication'),
        )
        .sort((a, b) => a.seq - b.seq)
        .map((d) => d.decision);
      if (mine.length === 0) {
        setStatus({
          kind: 'error',
          text: 'You have recorded no decisions of this kind here yet: there is nothing to sign.',
        });
        return;
      }
      const scope = signatureManifest(reviewId, mine, assignedFor(kind, assigned));
      if (isPartialScope(scope) && partial[kind] !== true) {
        setOffered((o) => ({ ...o, [kind]: true }));
        setStatus({ kind: 'error', text: undecidedRefusal(scope) });
        return;
      }
      setStatus({
        kind: 'working',
        text: 'Confirm it is you: follow your browser (security key, fingerprint or PIN)…',
      });
      const back = window.location.hash;
      const outcome = await signOnServer(session, projectId, {
        hash: scopedDecisionsHash(reviewId, scope.decisionsSha256, scope),
        kind,
        review: reviewId,
        scope: { ...scope, decisionIds: mine.map((d) => d.id) },
        ...(/^#\/./.test(back) ? { returnTo: back } : {}),
      });
      if ('signInAgain' in outcome) {
        setSignInAgain(outcome.signInAgain);
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      const over = `over your ${formatCount(mine.length)} ${mine.length === 1 ? 'decision' : 'decisions'}`;
      setStatus({
        kind: 'done',
        text: `Signed by ${outcome.signed.signer.name} on ${formatRecordedTime(outcome.signed.signedAt)}: “${outcome.signed.meaning}”, ${over}, ${isPartialScope(scope) ? `a partial scope: ${scopeText(scope)}` : scope.assigned === 1 ? 'the one record assigned to you decided' : `all ${records(scope.assigned)} assigned to you decided`} (entry ${outcome.signed.projectSeq} of the project’s log).`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: `Not signed: ${(e as Error).message}` });
    }
  };
  const packetNote =
    packetDecided > 0 ? (
      <p data-testid="packet-decided-note">
        {formatCount(packetDecided)} of your {packetDecided === 1 ? 'records was' : 'records were'} decided in
        your offline packet and recorded by the lead: your signature here does not cover{' '}
        {packetDecided === 1 ? 'it' : 'them'}.
      </p>
    ) : null;
  if (!reviews && !adjudicates) return packetNote;
  const offer = (kind: SigningKind, what: string) =>
    offered[kind] ? (
      <p>
        <input
          id={`${partialId}-${kind}`}
          type="checkbox"
          checked={partial[kind] === true}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setPartial((p) => ({ ...p, [kind]: on }));
          }}
        />{' '}
        <label htmlFor={`${partialId}-${kind}`}>
          Sign for the records I decided only ({what}): my signature says how many of mine are undecided
        </label>
      </p>
    ) : null;
  return (
    <section aria-label="Sign your review">
      <p>
        When you have decided your records, sign on the team server. What a signature means is fixed by what
        you did and your role on the project, and is stored with it word for word; each covers exactly your
        decisions of its kind recorded there, and says how many of the records assigned to you they decide.
      </p>
      {packetNote}
      <ul aria-label="What your signatures mean">
        {reviews && (
          <li>
            <strong>Sign my review</strong> — for your first or second review decisions:{' '}
            <q>{SIGNING_MEANINGS.review}</q>
          </li>
        )}
        {adjudicates && (
          <li>
            <strong>Sign my adjudications</strong> — for the records you decided where the two reviews
            disagreed: <q>{SIGNING_MEANINGS.adjudication}</q>
          </li>
        )}
        {myRole !== undefined && RESULT_SIGNING_ROLES.includes(myRole) && (
          <li>
            <strong>The sample’s result</strong> — as {ROLE_LABELS[myRole]}, you also sign the result, in the
            Sign-off workspace (“Sign off”, under the review), not here. It means{' '}
            <q>{SIGNING_MEANINGS.approval}</q> when every stratum passes, otherwise{' '}
            <q>{SIGNING_MEANINGS.confirmation}</q> Your review signature approves nothing; that one is the
            approval.
          </li>
        )}
      </ul>
      {reviews && offer('review', 'your review')}
      {adjudicates && offer('adjudication', 'your adjudications')}
      {reviews && (
        <button type="button" onClick={() => void sign('review')} disabled={status.kind === 'working'}>
          Sign my review
        </button>
      )}{' '}
      {adjudicates && (
        <button type="button" onClick={() => void sign('adjudication')} disabled={status.kind === 'working'}>
          Sign my adjudications
        </button>
      )}
      <p
        role="status"
        data-testid="review-sign-status"
        className={status.kind === 'error' ? 'fail' : undefined}
      >
        {status.text}
      </p>
      {signInAgain && <a href={signInAgain}>Sign in again, then sign</a>}
    </section>
  );
}
