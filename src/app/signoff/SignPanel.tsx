/**
 * The sign-off step after review (docs/product.md#sign-off): the signer's printed name, role and
 * staff id (the reviewer remembered on this project fills them in), the meaning of the signature
 * shown as it will be stored, what it binds, and one Sign button. The date-time with zone is taken
 * at signing. Where the browser offers WebAuthn the signer re-authenticates (a signing key is
 * registered on first use); where it does not, the screen says so and the signature is recorded as
 * made without. "Signed" shows only once the signature and its audit entry are durably stored; a
 * cancelled or failed prompt stores nothing and keeps what was typed.
 *
 * A project shared with the team server (or a review sent to it) is signed there only, by the
 * signed-in person through the server's ceremony: no typed-name form is offered, a person not
 * signed in is told to sign in, and a signature kept in the review that the server did not make
 * is said to be a typed name, never "verifies".
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  credentialFor,
  readSignoffSettings,
  rememberReviewer,
  type SigningCredential,
} from '../../core/project/signoffSettings.ts';
import { IDENTITY_NOTE, NO_ROSTER_NOTE } from '../../core/signoff/exports/index.ts';
import { formatRecordedTime, recordCounts } from '../../core/signoff/review/index.ts';
import { awaitingOnePassText } from '../../core/signoff/sampling/index.ts';
import {
  type AssertionVerification,
  activeKeyOf,
  type CheckedServerSignature,
  chainHeadOf,
  checkReviewSignatures,
  firstDecisionAfterText,
  keyStanding,
  LOST_KEY_ADVICE,
  noSigningKeyText,
  type PreparedSignature,
  prepareSignature,
  publicKeyFingerprint,
  type RosterKey,
  resultsHash,
  rosterInUse,
  rosterState,
  SIGNING_MEANINGS,
  type SignatureCoverage,
  type SignatureVerification,
  type SignerMeaning,
  type SigningStanding,
  type StoredAssertion,
  serverCoverageText,
  signatureSignedOnServer,
  signerMeaning,
  signingRefusal,
  signingStanding,
  storedAssertion,
  verifyAssertion,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Review, Reviewer, Signature } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { formatCount } from '../common/format.ts';
import { type ProjectSharing, useProjectSharing } from '../team/projectSharing.ts';
import { SignInToSign } from '../team/SignInToSign.tsx';
import { ROLE_LABELS, type TeamRole } from '../team/teamClient.ts';
import { useTeamServerState } from '../team/teamContext.ts';
import { signingKeysRead, teamProjectRead } from '../team/teamReads.ts';
import { useTeamRead } from '../team/useTeamRead.ts';
import { MAKING_KEY_TEXT, makeDeviceKey } from './deviceKey.ts';
import { PersonFields } from './PersonFields.tsx';
import type { ReviewActions } from './reviewActions.ts';
import { savedReview, savedSignoff } from './savedSignoff.ts';
import { teamProjectOfReview } from './serverReviews.ts';
import { type ServerSigningKey, signOnServer } from './serverSigning.ts';
import { assertAsSigner, assertSignoff, localhostAddress, webAuthnAvailable } from './webauthnClient.ts';
import './signoffSign.css';

/** `iso` (any zone) as the local date-time with its zone offset: what a person signing reads. */
export function localDateTimeWithZone(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/**
 * What a signature now can mean, in the panel's words: records still in review (awaiting an
 * adjudicator, or decided by one of the two reviewers only) are named before a failing verdict.
 */
function standingSentence(standing: SigningStanding, chosen: SignerMeaning): string {
  if (standing.approval)
    return chosen.approval
      ? 'Every stratum passes: you can approve the migrated records for go-live.'
      : 'Every stratum passes. This signature records what its signer did, not an approval: go-live is approved by an approver who did not review these records (or whom the plan lets approve).';
  if (standing.reason === 'fails')
    return 'At least one stratum fails: signing records your review, not an approval.';
  const n = standing.awaitingAdjudication;
  const one = standing.awaitingFirstReview + standing.awaitingSecondReview;
  const parts: string[] = [];
  if (n > 0)
    parts.push(
      `${formatCount(n)} ${n === 1 ? 'record awaits' : 'records await'} an adjudicator (the two reviewers disagree, or “cannot assess”): go-live cannot be approved until ${n === 1 ? 'it is' : 'they are'} decided (see Adjudication above).`,
    );
  if (one > 0)
    parts.push(
      `${awaitingOnePassText(standing, n > 0)}: go-live cannot be approved until both reviewers have decided ${one === 1 ? 'it' : 'them'}.`,
    );
  return `${parts.join(' ')} Signing now records your review, not an approval.`;
}

/**
 * Whether a signature still covers the results: its results hash against the results now, and the
 * decisions logged after it (src/core/signoff/signing/signatureCoverage.ts). A superseded signature is
 * "replaced by a later signature" (its signer's, else the next: currentSignatures.ts); a co-signature
 * over the same results replaces nothing. Only the latest one is marked as not covering (and the
 * warning below the list asks to sign again only for it).
 */
function SignatureCoverageLine({ coverage }: { coverage: SignatureCoverage | undefined }) {
  if (!coverage) return null;
  const after = coverage.decisionsAfter;
  const first = firstDecisionAfterText(coverage);
  const replaced = coverage.replacedBy
    ? `Replaced by a later signature, signed ${formatRecordedTime(coverage.replacedBy.signedAt)}`
    : undefined;
  const covers = coverage.coversCurrentResults
    ? 'Covers every decision recorded so far'
    : after.length > 0 && first
      ? `${replaced ? 'does not' : 'Does not'} cover ${formatCount(after.length)} ${after.length === 1 ? 'decision' : 'decisions'} logged after it (${first})`
      : `${replaced ? 'does not' : 'Does not'} cover the results now: the decisions differ from those it signed`;
  return (
    <p
      className={`signature-coverage ${coverage.coversCurrentResults ? 'pass' : replaced ? 'replaced' : 'fail'}`}
      data-testid="signature-coverage"
    >
      {replaced && !coverage.coversCurrentResults ? `${replaced}; ${covers}` : covers}
      {replaced && coverage.coversCurrentResults ? ` · ${replaced.toLowerCase()}` : ''} · signed results{' '}
      <code>{coverage.signedResultsSha256.slice(0, 12)}…</code>, results now{' '}
      <code>{coverage.currentResultsSha256.slice(0, 12)}…</code>
    </p>
  );
}

/** The signed-in person's role on the team project, or why the server could not say. */
async function roleOnProject(
  readProject: () => Promise<{ role: TeamRole }>,
): Promise<{ role: TeamRole } | { failed: string }> {
  try {
    return { role: (await readProject()).role };
  } catch (error) {
    return { failed: error instanceof Error ? error.message : 'no answer' };
  }
}

/**
 * What a signature kept in a shared project's review is when it was not made on the team server:
 * a name typed in one browser, which shows nothing about who signed.
 */
export const TYPED_IN_A_BROWSER =
  'typed in a browser, not signed on the team server: it does not show who signed';

/**
 * Where a shared project's sign-off is signed, for a person who cannot sign it here: signed in
 * to the team server (`signedIn`) on a sample not yet sent to the team (`sent` false), send it
 * first; not signed in (or the session `ended`), sign in.
 */
function SignOnServerFirst({
  sharing,
  sent,
  signedIn,
  ended,
  probing,
}: {
  sharing: ProjectSharing;
  /** the app is still asking the team server who is signed in */
  probing: boolean;
  sent: boolean;
  signedIn: boolean;
  ended: boolean;
}) {
  // who is signed in, or (for a sample not sent) whether it is shared, is still being read
  if (probing || (sharing.kind === 'reading' && !sent)) return null;
  if (signedIn && !sent)
    return (
      <p className="sign-in-to-sign" data-testid="sign-in-to-sign">
        This project is shared with your clinic’s Preflight server, so its sign-off is signed there, on the
        sample sent to the team: nobody signs here with a typed name. Send this sample to the reviewers (Send
        to reviewers above), then sign.
      </p>
    );
  return (
    <SignInToSign
      teamProjectName={sharing.kind === 'shared' ? sharing.teamProjectName : 'your team project'}
      ended={ended}
      what="the sign-off"
    />
  );
}

/** The prepared signature with the key's assertion over it, and whether that assertion verifies. */
async function assertedSignature(
  prepared: PreparedSignature,
  credential: Pick<StoredAssertion, 'algorithm' | 'publicKeyJwk'>,
  assertion: Omit<StoredAssertion, 'algorithm' | 'publicKeyJwk'>,
): Promise<AssertionVerification & { signature: Signature }> {
  const stored = storedAssertion(credential, assertion);
  const signature: Signature = { ...prepared, reauthentication: { method: 'webauthn', ...stored } };
  return { ...(await verifyAssertion(stored, prepared.signoffSha256)), signature };
}

/** Why a browser without WebAuthn signs without re-authentication (stored with the signature). */
export const NO_WEBAUTHN_REASON =
  'This browser offers no WebAuthn (security key, fingerprint or device PIN), so the signer was not re-authenticated.';

export function SignPanel({
  review,
  plan,
  project,
  actions,
}: {
  review: Review;
  plan: SamplePlan;
  project: Project;
  actions: ReviewActions;
}) {
  const settings = project.meta.settings;
  const remembered = useMemo(() => readSignoffSettings(settings).reviewer, [settings]);
  const [signer, setSigner] = useState<Reviewer>(() => remembered ?? { name: '', role: '', id: '' });
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  // each signature as `preflight signoff verify` finds it (reviewSignatureChecks.ts), by id
  const [checked, setChecked] = useState<{
    results: Map<string, SignatureVerification>;
    coverage: Map<string, SignatureCoverage>;
    server: CheckedServerSignature[];
    identity?: { signature?: string; message: string };
  }>();
  const [checkProblem, setCheckProblem] = useState<string | undefined>();
  const checkRun = useRef(0);
  const ids = { name: useId(), role: useId(), staff: useId(), meaning: useId(), title: useId() };
  const webauthn = useMemo(() => webAuthnAvailable(), []);
  // one rule for what a signature may mean (signingMeaning.ts): the FHIR Task and the report follow it too
  const standing = useMemo(() => signingStanding(review, plan), [review, plan]);
  // the same counts as the verdict, the report and the progress (recordCounts)
  const { reviewed: decided, drawn } = useMemo(() => recordCounts(review).total, [review]);
  const signatures = useMemo(() => review.signatures ?? [], [review.signatures]);
  // a signature's key is trusted as far as it is one this project registered (id and public key)
  const registeredKeys = useMemo(
    () =>
      new Set(
        (readSignoffSettings(settings).credentials ?? []).map(
          (c) => `${c.id}\u001f${publicKeyFingerprint(c.publicKeyJwk)}`,
        ),
      ),
    [settings],
  );

  // what the status says ("Signed … Saved.", "you signed these results") is about the results as
  // they were: once a decision is recorded, the coverage line and the warning say what holds now
  const decisionCount = review.decisions.length;
  const seenDecisions = useRef(decisionCount);
  useEffect(() => {
    if (seenDecisions.current === decisionCount) return;
    seenDecisions.current = decisionCount;
    setStatus((s) => (s.kind === 'working' ? s : { kind: 'idle', text: '' }));
  }, [decisionCount]);

  // a remembered reviewer that arrives after the first render (project loaded) fills empty fields
  useEffect(() => {
    if (remembered) setSigner((s) => (s.name || s.role || s.id ? s : { ...remembered }));
  }, [remembered]);

  // what the screen says of each signature is what the CLI says of the sign-off as stored: a
  // signature shows here before its audit entry is written, so the check waits for the save and
  // reads the review and its chain together (savedSignoff.ts), with the server's record replayed in
  const check = useCallback(async () => {
    const run = ++checkRun.current;
    try {
      const saved = await savedSignoff(actions, project);
      const stored = savedReview(saved, review.id);
      const found = await checkReviewSignatures(stored, saved.entries, {
        plans: [plan],
        identities: true,
        ...(saved.project.meta.roster ? { roster: saved.project.meta.roster } : {}),
      });
      if (run !== checkRun.current) return;
      setCheckProblem(undefined);
      setChecked({
        results: new Map(found.signatures.map((c) => [c.signature.id, c.result])),
        // a co-signature over the same results replaces nothing (currentSignatures.ts)
        coverage: new Map(
          found.signatures.flatMap((c) => (c.coverage ? [[c.signature.id, c.coverage]] : [])),
        ),
        server: found.serverSignatures,
        ...(found.identity ? { identity: found.identity } : {}),
      });
    } catch (error) {
      if (run === checkRun.current) setCheckProblem((error as Error).message);
    }
  }, [actions, project, review, plan]);
  // the latest signature, when decisions were recorded after it (read from the chain by `check`)
  const latestSignature = signatures.at(-1);
  const latest = latestSignature ? checked?.coverage.get(latestSignature.id) : undefined;
  const stale = latest && !latest.coversCurrentResults ? latest : undefined;
  useEffect(() => {
    void check();
  }, [check]);

  // with a roster, the signer is a person on it, signing with the key the data lead bound to them
  const roster = project.meta.roster;
  const rosterOn = useMemo(() => rosterInUse(roster), [roster]);
  const rosterNow = useMemo(() => rosterState(roster), [roster]);
  // what this signer's signature means: what they did in the sample and their role (signingMeaning.ts)
  const chosen = useMemo(
    () =>
      signerMeaning(
        review,
        plan,
        signer.id.trim(),
        rosterOn ? (rosterNow.members.get(signer.id)?.roles ?? []) : undefined,
      ),
    [review, plan, signer.id, rosterOn, rosterNow],
  );
  // sent to a team project and signed in to its server: the signature is made there (the server's
  // ceremony: a fresh sign-in first, then the signer's own key) and kept in the project's log
  const team = useTeamServerState();
  const teamProject = teamProjectOfReview(settings, review.id);
  const onServer =
    team.phase === 'signed-in' && !team.ended && teamProject !== undefined
      ? { client: team.client, user: team.user, projectId: teamProject }
      : undefined;
  // a project shared with the team server (or a review sent to it) is signed there only: nobody
  // signs it here with a typed name, and a name typed elsewhere is not shown as a signature
  const sharing = useProjectSharing(project.meta.id);
  const shared = sharing.kind === 'shared' || teamProject !== undefined;
  const signsHere = !shared && sharing.kind === 'local';
  const serverKind = standing.approval ? 'approval' : 'confirmation';
  // the signer's role is her role on the team project, as the server knows it: never typed, never guessed
  const serverClient = onServer?.client;
  const readFrom =
    serverClient !== undefined && teamProject !== undefined
      ? { session: serverClient.session, projectId: teamProject }
      : undefined;
  const projectRead = useTeamRead(readFrom, teamProjectRead);
  const shownRole: { role: TeamRole } | { failed: string } | undefined =
    projectRead.value !== undefined
      ? { role: projectRead.value.role }
      : projectRead.unread !== undefined
        ? { failed: projectRead.unread }
        : undefined;
  // the project's signing keys as the server holds them: who confirmed each, named (never "the lead");
  // a read that fails leaves the key line saying the server checked it was confirmed, without a name
  const keysRead = useTeamRead(readFrom, signingKeysRead);
  const keysNow = keysRead.value?.keys;
  const readKeys = (): Promise<ServerSigningKey[] | undefined> =>
    keysRead.readNow().then(
      (answer) => answer.keys,
      () => undefined,
    );
  /** Who confirmed the server key `credentialId`, when the server said. */
  const confirmerOf = (credentialId: string) =>
    keysNow?.find((k) => k.credentialId === credentialId)?.confirmedBy ?? undefined;
  const [signInAgain, setSignInAgain] = useState<string | undefined>();
  const meaning = onServer ? SIGNING_MEANINGS[serverKind] : chosen.meaning;
  const localhost = useMemo(() => localhostAddress(), []);

  const signThere = async (there: NonNullable<typeof onServer>) => {
    setSignInAgain(undefined);
    setStatus({ kind: 'working', text: 'Preparing the signature…' });
    try {
      const known = shownRole && 'role' in shownRole ? shownRole : await roleOnProject(projectRead.readNow);
      if ('failed' in known) {
        setStatus({
          kind: 'error',
          text: `Not signed: Preflight could not read your role on the team project from the server (${known.failed}). A signature names its signer's role, so try again when the server answers.`,
        });
        return;
      }
      const entries = await actions.auditLog();
      const prepared = prepareSignature({
        id: actions.newId(),
        review,
        signer: { name: there.user.name, role: ROLE_LABELS[known.role], id: there.user.subject },
        signedAt: localDateTimeWithZone(actions.now()),
        meaning,
        chain: chainHeadOf(entries),
      });
      setStatus({
        kind: 'working',
        text: `Confirm it is you, ${there.user.name}: follow your browser (security key, fingerprint or PIN)…`,
      });
      const back = window.location.hash;
      const outcome = await signOnServer(there.client.session, there.projectId, {
        hash: prepared.signoffSha256,
        kind: serverKind,
        ...(/^#\/./.test(back) ? { returnTo: back } : {}),
      });
      if ('signInAgain' in outcome) {
        setSignInAgain(outcome.signInAgain);
        setStatus({ kind: 'error', text: outcome.message });
        return;
      }
      const { signed } = outcome;
      // who confirmed the key she signed with, as the server records it now
      const confirmer = (await readKeys())?.find(
        (k) => k.credentialId === signed.assertion?.credentialId,
      )?.confirmedBy;
      // kept with the review too, naming its entry on the server: the report and the FHIR Bundle
      // carry it as they carry a signature made here
      await actions.commit({
        type: 'review/sign',
        reviewId: review.id,
        signature: signatureSignedOnServer(prepared, signed, there.projectId),
      });
      setStatus({
        kind: 'done',
        text: `Signed on the team server by ${signed.signer.name} on ${formatRecordedTime(signed.signedAt)}: “${signed.meaning}” (entry ${signed.projectSeq} of the project’s log, signing ${signed.hash.slice(0, 12)}…). The server keeps the signature with your own key${confirmer ? `, which ${confirmer} confirmed` : ''}; the sign-off report and the FHIR Bundle carry it.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: `Not signed: ${(error as Error).message}` });
    }
  };

  /** Why the roster does not let `staffId` sign now, or the key they sign with. */
  const rosterSigning = (staffId: string): { refused: string } | { key: RosterKey; signer: Reviewer } => {
    const member = rosterNow.members.get(staffId);
    if (!member) return { refused: 'Choose who is signing from the roster.' };
    const refused = signingRefusal({
      roster,
      signerId: staffId,
      approval: chosen.approval,
      reviewers: new Set(review.decisions.map((d) => d.reviewer.id)),
      ...(plan.reviewerMayApprove ? { reviewerMayApprove: true } : {}),
    });
    if (refused) return { refused };
    if (!webauthn)
      return {
        refused: localhost
          ? `Open ${localhost} to sign: people on the roster sign with their key, and keys work only when Preflight is opened by name, not at an IP address.`
          : 'This browser offers no WebAuthn (security key, fingerprint or device PIN): people on the roster sign with their key, in a browser that offers it.',
      };
    const key = activeKeyOf(rosterNow, staffId);
    if (!key) {
      const registered = credentialFor(readSignoffSettings(settings), staffId)?.id;
      return {
        refused:
          noSigningKeyText(roster, staffId, registered) ??
          `${member.name} has no confirmed signing key: ask the data lead to register one in the roster.`,
      };
    }
    return { key, signer: { name: member.name, role: member.title, id: member.staffId } };
  };

  const sign = async () => {
    if (status.kind === 'working') return;
    if (onServer) {
      await signThere(onServer);
      return;
    }
    if (!signsHere) return;
    const onRoster = rosterOn ? rosterSigning(signer.id) : undefined;
    if (onRoster && 'refused' in onRoster) {
      setStatus({ kind: 'error', text: `Not signed: ${onRoster.refused}` });
      return;
    }
    const trimmed = onRoster
      ? onRoster.signer
      : { name: signer.name.trim(), role: signer.role.trim(), id: signer.id.trim() };
    if (!trimmed.name || !trimmed.role || !trimmed.id) {
      setStatus({ kind: 'error', text: 'Enter your full name, job title and staff number to sign.' });
      return;
    }
    // the same person, in the same role, signing the same results again adds a second, identical
    // signature to every export (a click to be sure it saved): said instead; another signer or
    // role, or new decisions, sign
    const now = resultsHash(review);
    const already = signatures.findLast(
      (s) =>
        s.signer.id === trimmed.id &&
        s.signer.name === trimmed.name &&
        s.signer.role === trimmed.role &&
        s.resultsSha256 === now &&
        s.meaning === meaning,
    );
    if (already) {
      setStatus({
        kind: 'idle',
        text: `You signed these results on ${formatRecordedTime(already.signedAt)}, and nothing was decided since: your signature stands, there is nothing new to sign.`,
      });
      return;
    }
    setStatus({ kind: 'working', text: 'Preparing the signature…' });
    try {
      let current = settings;
      const remember = rememberReviewer(current, trimmed);
      if (remember?.type === 'project/settings') {
        await actions.commit(remember);
        current = remember.settings;
      }
      const entries = await actions.auditLog();
      const logged = new Set(entries.flatMap((e) => (e.event === 'decision' ? [e.decisionId] : [])));
      if (review.decisions.some((d) => !logged.has(d.id))) {
        setStatus({
          kind: 'error',
          text: 'The last decisions are still being saved. Sign again in a moment.',
        });
        return;
      }
      const prepared = prepareSignature({
        id: actions.newId(),
        review,
        signer: trimmed,
        signedAt: localDateTimeWithZone(actions.now()),
        meaning,
        chain: chainHeadOf(entries),
      });
      let signature: Signature;
      if (onRoster) {
        setStatus({
          kind: 'working',
          text: `Confirm it is you, ${trimmed.name}: follow your browser (security key, fingerprint or PIN)…`,
        });
        const credential = onRoster.key.boundBy.credential;
        const assertion = await assertSignoff(credential.id, prepared.signoffSha256, LOST_KEY_ADVICE);
        const checked = await assertedSignature(prepared, credential, assertion);
        signature = checked.signature;
        if (assertion.credentialId !== credential.id || !checked.ok) {
          setStatus({
            kind: 'error',
            text: `Not signed: the browser did not confirm it with the key the data lead bound to ${trimmed.name}. ${LOST_KEY_ADVICE}`,
          });
          return;
        }
      } else if (webauthn) {
        const register = async (): Promise<SigningCredential> => {
          setStatus({ kind: 'working', text: MAKING_KEY_TEXT });
          return (await makeDeviceKey(trimmed, current, actions.commit, actions.now)).credential;
        };
        const credential = credentialFor(readSignoffSettings(current), trimmed.id) ?? (await register());
        const assertion = await assertAsSigner(credential.id, prepared.signoffSha256, setStatus);
        if (!assertion) return;
        const checked = await assertedSignature(prepared, credential, assertion);
        signature = checked.signature;
        if (!checked.ok) {
          setStatus({
            kind: 'error',
            text: `Not signed: the identity check could not be verified (${checked.message}).`,
          });
          return;
        }
      } else {
        signature = { ...prepared, reauthentication: { method: 'none', reason: NO_WEBAUTHN_REASON } };
      }
      setStatus({ kind: 'working', text: 'Saving the signature…' });
      await actions.commit({ type: 'review/sign', reviewId: review.id, signature });
      setStatus({
        kind: 'done',
        text: `Signed by ${signature.signer.name} on ${formatRecordedTime(signature.signedAt)}${
          onRoster
            ? ', with the key the data lead bound to them on the roster'
            : webauthn
              ? ', with a key this device registered (no data lead confirmed who holds it: keep a roster)'
              : ''
        }. Saved.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: `Not signed: ${(error as Error).message}` });
    }
  };

  return (
    <section className="sign-panel" aria-labelledby={ids.title}>
      <h4 id={ids.title}>Sign off</h4>
      <p>
        {formatCount(decided)} of {formatCount(drawn)} records decided.{' '}
        <strong className={standing.approval ? 'pass' : 'fail'} data-testid="sign-standing">
          {standingSentence(standing, chosen)}
        </strong>
      </p>
      {signatures.length > 0 && (
        <ul className="signatures" aria-label="Signatures">
          {signatures.map((s) => {
            const c = checked?.results.get(s.id);
            const identity = checked?.identity;
            const reauth = s.reauthentication;
            const confirmer =
              reauth.method === 'webauthn' && reauth.server ? confirmerOf(reauth.credentialId) : undefined;
            return (
              <li key={s.id}>
                <strong>{s.signer.name}</strong>, {s.signer.role} ({s.signer.id}) signed on{' '}
                {formatRecordedTime(s.signedAt)}: “{s.meaning}” ·{' '}
                {reauth.method === 'webauthn'
                  ? `re-authenticated with WebAuthn (key ${publicKeyFingerprint(reauth.publicKeyJwk).slice(0, 12)}…, ${
                      reauth.server
                        ? // made through the team server's ceremony: the key is on the server's roster, not this project's
                          `their own key on the team server${confirmer ? `, confirmed by ${confirmer}` : ', which the server checked was confirmed'}`
                        : keyStanding(rosterNow, s.signer.id, reauth.credentialId).kind === 'bound'
                          ? 'the key the data lead bound to them'
                          : registeredKeys.has(
                                `${reauth.credentialId}\u001f${publicKeyFingerprint(reauth.publicKeyJwk)}`,
                              )
                            ? 'registered on this project, but no data lead confirmed who holds it'
                            : 'not a key registered in this project'
                    })`
                  : 'without re-authentication (no WebAuthn in that browser)'}{' '}
                ·{' '}
                <span data-testid="signature-check">
                  {shared && reauth.method === 'webauthn' && reauth.server === undefined
                    ? `${TYPED_IN_A_BROWSER}, with a key registered in that browser`
                    : shared && reauth.method !== 'webauthn'
                      ? TYPED_IN_A_BROWSER
                      : c === undefined
                        ? checkProblem
                          ? `not checked yet: ${checkProblem}`
                          : 'checking…'
                        : !c.ok
                          ? `does not verify: ${c.message}`
                          : identity && (identity.signature === undefined || identity.signature === s.id)
                            ? `does not verify: ${identity.message}`
                            : 'verifies'}
                </span>
                <SignatureCoverageLine coverage={checked?.coverage.get(s.id)} />
              </li>
            );
          })}
        </ul>
      )}
      {(review.serverSignatures ?? []).length > 0 && (
        <ul className="signatures" aria-label="Reviewers’ sign-offs made on the team server">
          {(review.serverSignatures ?? []).map((s) => {
            const found = checked?.server.find((c) => c.signature.id === s.id)?.result;
            return (
              <li key={s.id} data-testid="server-review-signature">
                <strong>{s.signer.name}</strong>, {s.signer.role} signed on {formatRecordedTime(s.signedAt)}:
                “{s.meaning}” ·{' '}
                {found === undefined
                  ? 'checking…'
                  : found.ok
                    ? `${serverCoverageText(found, s.kind)} · verifies`
                    : `does not verify: ${found.message}`}
              </li>
            );
          })}
        </ul>
      )}
      {stale && (
        <p className="signature-stale" role="note" data-testid="signature-stale">
          <strong>
            The latest signature does not cover {formatCount(stale.decisionsAfter.length)}{' '}
            {stale.decisionsAfter.length === 1 ? 'decision' : 'decisions'} logged after it.
          </strong>{' '}
          The verdict above is the results now, not the ones signed. Sign again to cover every decision.
        </p>
      )}
      {!onServer && !signsHere && (
        <SignOnServerFirst
          sharing={sharing}
          sent={teamProject !== undefined}
          signedIn={team.phase === 'signed-in' && !team.ended}
          ended={team.phase === 'signed-in' && team.ended}
          probing={team.phase === 'probing'}
        />
      )}
      {(onServer || signsHere) && (
        <>
          {onServer ? (
            <fieldset className="reviewer">
              <legend>Signer</legend>
              <p data-testid="server-signer">
                You sign as <strong>{onServer.user.name}</strong>,{' '}
                {shownRole === undefined
                  ? 'in your role on the team project (being read from the team server…)'
                  : 'role' in shownRole
                    ? `${ROLE_LABELS[shownRole.role]} on the team project`
                    : `in your role on the team project, which could not be read from the team server (${shownRole.failed})`}
                , as the team server knows you. The lead sets each member's role on the Team screen.
              </p>
            </fieldset>
          ) : rosterOn ? (
            <fieldset className="reviewer">
              <legend>Signer</legend>
              <label htmlFor={ids.staff}>Who is signing (from the roster)</label>
              <select
                id={ids.staff}
                value={rosterNow.members.has(signer.id) ? signer.id : ''}
                onChange={(e) => {
                  const member = rosterNow.members.get(e.currentTarget.value);
                  setSigner(
                    member
                      ? { name: member.name, role: member.title, id: member.staffId }
                      : { name: '', role: '', id: '' },
                  );
                }}
              >
                <option value="">Choose…</option>
                {[...rosterNow.members.values()].map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}, {m.title} ({m.staffId})
                  </option>
                ))}
              </select>
              <p className="hint">
                Only people on the project roster sign, each with the key the data lead confirmed for them.
              </p>
            </fieldset>
          ) : (
            <fieldset className="reviewer">
              <legend>Signer</legend>
              <PersonFields part="Signer" person={signer} onChange={setSigner} ids={ids} />
            </fieldset>
          )}
          <p id={ids.meaning}>
            Meaning of your signature, stored with it word for word:
            <q className="signature-meaning" data-testid="signature-meaning">
              {meaning}
            </q>
          </p>
          <p className="binds">
            Signing records the date and time with your time zone and binds the locked plan (
            <code>{review.plan.hash.slice(0, 12)}…</code>), these results (
            <code>{resultsHash(review).slice(0, 12)}…</code>) and the audit log as it stands, so any later
            change is detected.
          </p>
          <p data-testid="webauthn-availability">
            {onServer
              ? `You sign on your clinic’s team server as ${onServer.user.name}, with the signing key you registered there, once the lead or the data lead confirmed it. The first signature of a session asks you to sign in again at your organisation’s sign-in page.`
              : rosterOn
                ? webauthn
                  ? `When you sign, your browser asks you to confirm it is you with the key the data lead bound to you. ${IDENTITY_NOTE}`
                  : localhost
                    ? `To sign, open ${localhost}: keys work only when Preflight is opened by name, not at an IP address.`
                    : 'This browser offers no WebAuthn (security key, fingerprint or device PIN): people on the roster sign with their key, in a browser that offers it.'
                : webauthn
                  ? `When you sign, your browser will ask you to confirm it is you (security key, fingerprint or device PIN). The first time, it makes a signing key for you on this device. ${NO_ROSTER_NOTE}`
                  : localhost
                    ? `Preflight is open at an IP address, where browsers refuse WebAuthn: open ${localhost} to sign with a security key, fingerprint or device PIN. Here, your signature is recorded as made without re-authentication.`
                    : 'This browser offers no WebAuthn (security key, fingerprint or device PIN), so Preflight cannot confirm who signs here. Your signature will be recorded as made without re-authentication.'}
          </p>
          <button
            type="button"
            onClick={() => void sign()}
            disabled={status.kind === 'working'}
            aria-describedby={ids.meaning}
          >
            Sign
          </button>
          <p role="status" data-testid="sign-status" className={status.kind === 'error' ? 'fail' : undefined}>
            {status.text}
          </p>
        </>
      )}
      {signInAgain && <a href={signInAgain}>Sign in again, then sign</a>}
    </section>
  );
}
