/**
 * The steering committee's go/no-go signed on the team server, for a project shared there: each
 * member signs from her own machine, as herself (a fresh sign-in at the organisation's sign-in
 * page first in a session, then her own key the lead confirmed), and the server verifies the
 * signature over the decision — the choice, the rationale and the readiness result it was taken
 * on. The latest decision is current while the readiness shown here hashes as it did, stale once
 * any evidence changed; a member signing the current decision's wording co-signs it, another
 * wording or a stale decision starts a new one. "Signed" shows only once the server recorded it.
 */
import { useId, useState } from 'react';
import type { ReadinessResult } from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import {
  SERVER_SIGNER_CONFIRMED,
  type ServerSteeringDecision,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  type SteeringDecisionContent,
  serverSteeringState,
} from '../../core/signoff/signing/index.ts';
import { localDateTimeWithZone } from '../signoff/SignPanel.tsx';
import { signSteeringOnServer, type TeamSession } from '../signoff/serverSigning.ts';
import { steeringDecisionsRead } from '../team/teamReads.ts';
import { useTeamRead } from '../team/useTeamRead.ts';
import { DecisionChoice, DecisionSummary, SignDecision } from './DecisionChoice.tsx';

/** Where the committee signs: the team project and the signed-in member. */
export interface SteeringServer {
  session: TeamSession;
  /** the team server's id of the project */
  projectId: string;
  user: { name: string; subject: string };
}

export function ServerSteering({
  result,
  server,
  newId,
  now,
  onSigned,
}: {
  result: ReadinessResult;
  server: SteeringServer;
  newId: () => string;
  /** now, RFC 3339 */
  now: () => string;
  /** told once the server recorded a signature */
  onSigned?: () => void;
}) {
  const ids = { title: useId(), rationale: useId(), meaning: useId() };
  // the decisions' one copy in the browser's cache of team reads (the decision's line reads it too),
  // read again when a member signs
  const read = useTeamRead(server, steeringDecisionsRead);
  const decisions: ServerSteeringDecision[] | undefined = read.value;
  const loadError = read.unread;
  const load = () => read.readNow().catch(() => undefined);

  const state = serverSteeringState(decisions ?? [], result.steering.resultSha256);
  const latest = state.latest;
  const current = latest?.state === 'current' ? latest : undefined;
  const [choice, setChoice] = useState<'go' | 'no-go' | undefined>();
  const [rationale, setRationale] = useState<string | undefined>();
  const chosen = choice ?? current?.decision ?? result.decision;
  const written = rationale ?? current?.rationale ?? '';
  const joins = current !== undefined && current.decision === chosen && current.rationale === written.trim();
  const mine = current?.signatures.some((s) => s.signer.subject === server.user.subject) ?? false;
  const meaning = chosen === 'go' ? STEERING_GO_MEANING : STEERING_NO_GO_MEANING;
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  const [signInAgain, setSignInAgain] = useState<string | undefined>();

  const sign = async () => {
    if (status.kind === 'working' || decisions === undefined) return;
    setSignInAgain(undefined);
    if (!written.trim()) {
      setStatus({
        kind: 'error',
        text: 'Say why the committee decides this: the rationale is signed with the decision.',
      });
      return;
    }
    if (joins && mine) {
      setStatus({ kind: 'idle', text: 'You have signed this decision already: your signature stands.' });
      return;
    }
    const decision: SteeringDecisionContent =
      joins && current
        ? {
            id: current.id,
            decision: current.decision,
            readiness: current.readiness,
            resultSha256: current.resultSha256,
            rationale: current.rationale,
            recordedAt: current.recordedAt,
          }
        : {
            id: newId(),
            decision: chosen,
            readiness: result.decision,
            resultSha256: result.steering.resultSha256,
            rationale: written.trim(),
            recordedAt: localDateTimeWithZone(now()),
          };
    setStatus({
      kind: 'working',
      text: `Confirm it is you, ${server.user.name}: follow your browser (security key, fingerprint or PIN)…`,
    });
    try {
      const back = window.location.hash;
      const outcome = await signSteeringOnServer(
        server.session,
        server.projectId,
        decision,
        /^#\/./.test(back) ? back : undefined,
      );
      if ('signInAgain' in outcome) {
        setSignInAgain(outcome.signInAgain);
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      const { signed } = outcome;
      setChoice(undefined);
      setRationale(undefined);
      await load();
      onSigned?.();
      setStatus({
        kind: 'done',
        text: `Signed on the team server by ${signed.signer.name} on ${formatRecordedTime(signed.signedAt)}: “${signed.meaning}” (entry ${signed.projectSeq} of the project’s log).`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: `Not signed: ${(error as Error).message}` });
    }
  };

  return (
    <div className="steering-server" data-testid="steering-server">
      <h4 id={ids.title}>Signed on the team server</h4>
      {loadError && <p role="alert">The team server’s decisions could not be read: {loadError}</p>}
      {decisions === undefined && !loadError && <p>Reading the decisions signed on the team server…</p>}
      {decisions !== undefined &&
        (latest ? (
          <DecisionSummary
            latest={latest}
            nowSha256={result.steering.resultSha256}
            stateTestId="steering-server-state"
          >
            <ul className="signatures" aria-label="Decision signatures on the team server">
              {latest.signatures.map((s) => (
                <li key={s.projectSeq}>
                  <strong>{s.signer.name}</strong> (steering committee) signed on{' '}
                  {formatRecordedTime(s.signedAt)}: <q>{s.meaning}</q> · {SERVER_SIGNER_CONFIRMED}
                </li>
              ))}
            </ul>
            {state.earlier > 0 && (
              <p>
                {state.earlier} earlier {state.earlier === 1 ? 'decision is' : 'decisions are'} kept on the
                team server.
              </p>
            )}
          </DecisionSummary>
        ) : (
          <p data-testid="steering-server-state">No decision signed on the team server yet.</p>
        ))}
      <DecisionChoice
        name={`${ids.title}-choice`}
        choice={chosen}
        computed={result.decision}
        onChoose={setChoice}
        rationaleId={ids.rationale}
        rationale={written}
        onRationale={setRationale}
      />
      <p id={ids.meaning}>
        Signing as <strong>{server.user.name}</strong>. Meaning of your signature, stored with it word for
        word:
        <q className="signature-meaning">{meaning}</q>
      </p>
      <p className="binds">
        {joins
          ? 'Your signature is added to the current decision. '
          : current
            ? 'This wording differs from the current decision, so it is recorded as a new decision. '
            : ''}
        Your signature covers the decision, its rationale and the readiness as shown on this page (
        <code>{result.steering.resultSha256.slice(0, 12)}…</code>): any later change of evidence marks the
        decision stale. The first signature of a session starts at your organisation’s sign-in page; then your
        browser asks you to confirm it is you (security key, fingerprint or device PIN).
      </p>
      <SignDecision
        onSign={() => void sign()}
        disabled={status.kind === 'working' || decisions === undefined}
        describedBy={ids.meaning}
        status={status}
        statusTestId="steering-server-status"
      />
      {signInAgain && <a href={signInAgain}>Sign in again, then sign</a>}
    </div>
  );
}
