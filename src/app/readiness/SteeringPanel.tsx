/**
 * The steering committee's decision record (docs/product.md#readiness): the latest decision, who
 * signed it and whether it is still current — it binds the readiness result's hash, so any change
 * of evidence after it marks it stale — and the form an approver signs with. Signing is the
 * sign-off's: the same manifestation (full name, job title, staff number, date-time with zone,
 * the meaning shown word for word) and, where the browser offers WebAuthn, the same
 * re-authentication with the signing key registered on this project (made on first use). An
 * approver signing the current decision's wording adds their signature to it; another wording,
 * or a stale decision, starts a new decision. "Signed" shows only once the decision is stored.
 *
 * That form is for a project this browser holds alone. A project shared with the team server is
 * signed there (ServerSteering.tsx), each member signed in as herself; a person not signed in is
 * told to sign in, and a decision typed in a browser that reached the project by sync is said to
 * be typed names, never "signature verifies".
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  credentialFor,
  readSignoffSettings,
  rememberReviewer,
  type SigningCredential,
} from '../../core/project/signoffSettings.ts';
import {
  addSteeringSignature,
  auditChainWords,
  type PackAuditChain,
  prepareSteeringSignature,
  type ReadinessResult,
  type SteeringSignatureCheck,
  steeringMeaning,
  steeringReauthenticationText,
  steeringSignerRefusal,
  verifySteeringSignature,
} from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import {
  activeKeyOf,
  noSigningKeyText,
  rosterInUse,
  rosterState,
  storedAssertion,
  verifyAssertion,
} from '../../core/signoff/signing/index.ts';
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { Reviewer } from '../../formats/review.ts';
import type { Roster } from '../../formats/roster.ts';
import {
  readSteeringDecisions,
  readSteeringDraft,
  type SteeringDraft,
  type SteeringSignature,
  withSteeringDecision,
  withSteeringDraft,
} from '../../formats/steering.ts';
import { MAKING_KEY_TEXT, makeDeviceKey } from '../signoff/deviceKey.ts';
import { PersonFields } from '../signoff/PersonFields.tsx';
import { localDateTimeWithZone, NO_WEBAUTHN_REASON } from '../signoff/SignPanel.tsx';
import { assertAsSigner, localhostAddress, webAuthnAvailable } from '../signoff/webauthnClient.ts';
import type { ProjectSharing } from '../team/projectSharing.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { SignInToSign } from '../team/SignInToSign.tsx';
import { DecisionChoice, DecisionSummary, SignDecision } from './DecisionChoice.tsx';
import { ServerSteering, type SteeringServer } from './ServerSteering.tsx';

const LOCAL: ProjectSharing = { kind: 'local' };

/**
 * What a signature of a decision recorded in a browser is, on a shared project: a typed name,
 * never the signature of the person it names (the team's signatures are the server's).
 */
export const TYPED_NAME_ON_SHARED =
  'a name typed in a browser, not a signature on the team server: it does not show who signed';

/** What signing needs from the open project. */
export interface SteeringActions {
  /** applies a change and resolves once it is durably stored */
  commit: (change: ProjectChange) => Promise<void>;
  newId: () => string;
  /** now, RFC 3339 with zone */
  now: () => string;
  /** the project's audit chain as storage holds it, oldest first */
  auditLog?: () => Promise<ChainEntry[]>;
}

export function SteeringPanel({
  result,
  settings,
  roster,
  actions,
  chain,
  onSigned,
  onDraft,
  sharing = LOCAL,
  server,
}: {
  result: ReadinessResult;
  settings: Record<string, unknown>;
  /** the sign-off roster: once the data lead keeps one, only its approvers sign */
  roster?: Roster | undefined;
  actions?: SteeringActions;
  /** the audit chain that records every steering signature, as last checked */
  chain?: PackAuditChain | undefined;
  /** told once a signature is durably stored (its audit entry with it) */
  onSigned?: () => void;
  /** keeps the decision being written in the project, so a reload does not lose it */
  onDraft?: (draft: SteeringDraft) => void;
  /**
   * whether the project is shared with a team server (default: this browser's alone): a shared
   * project's committee signs there only, and a decision typed here is not its signature
   */
  sharing?: ProjectSharing;
  /** the project is shared on a team server and someone is signed in: the committee signs there */
  server?: SteeringServer | undefined;
}) {
  const shared = sharing?.kind === 'shared' ? sharing : undefined;
  const ids = {
    title: useId(),
    rationale: useId(),
    name: useId(),
    role: useId(),
    staff: useId(),
    meaning: useId(),
  };
  const decisions = useMemo(() => readSteeringDecisions(settings), [settings]);
  const state = result.steering;
  const latest = state.latest;
  const latestDecision = decisions[decisions.length - 1];
  const current = latest?.state === 'current' ? latestDecision : undefined;
  const remembered = useMemo(() => readSignoffSettings(settings).reviewer, [settings]);
  const [draft] = useState(() => readSteeringDraft(settings));
  const [choice, setChoiceState] = useState<'go' | 'no-go'>(
    draft?.decision ?? current?.decision ?? result.decision,
  );
  const [rationale, setRationaleState] = useState(draft?.rationale ?? current?.rationale ?? '');
  const setChoice = (decision: 'go' | 'no-go') => {
    setChoiceState(decision);
    onDraft?.({ decision, rationale });
  };
  const setRationale = (text: string) => {
    setRationaleState(text);
    onDraft?.({ decision: choice, rationale: text });
  };
  // with a roster, the signer is one of its approvers, signing with the key the data lead confirmed
  const rosterOn = useMemo(() => rosterInUse(roster), [roster]);
  const rosterNow = useMemo(() => rosterState(roster), [roster]);
  const approvers = useMemo(
    () => [...rosterNow.members.values()].filter((m) => m.roles.includes('approver')),
    [rosterNow],
  );
  const localhost = useMemo(() => localhostAddress(), []);
  const [signer, setSigner] = useState<Reviewer>(() => remembered ?? { name: '', role: '', id: '' });
  const [status, setStatus] = useState<{ kind: 'idle' | 'working' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  });
  const webauthn = useMemo(() => webAuthnAvailable(), []);
  // every signature of the latest decision is checked: its hash over the decision, its WebAuthn assertion
  const [checks, setChecks] = useState<SteeringSignatureCheck[]>([]);
  useEffect(() => {
    let live = true;
    setChecks([]);
    if (latestDecision)
      void Promise.all(
        latestDecision.signatures.map((s) => verifySteeringSignature(latestDecision, s, roster)),
      ).then((found) => {
        if (live) setChecks(found);
      });
    return () => {
      live = false;
    };
  }, [latestDecision, roster]);
  const meaning = steeringMeaning(choice);
  const joins =
    current !== undefined && current.decision === choice && current.rationale === rationale.trim();

  const sign = async () => {
    if (!actions || status.kind === 'working') return;
    const member = rosterOn ? approvers.find((m) => m.staffId === signer.id) : undefined;
    if (rosterOn && !member) {
      setStatus({ kind: 'error', text: "Not signed: choose who is signing from the roster's approvers." });
      return;
    }
    const trimmed = member
      ? { name: member.name, role: member.title, id: member.staffId }
      : { name: signer.name.trim(), role: signer.role.trim(), id: signer.id.trim() };
    if (!trimmed.name || !trimmed.role || !trimmed.id) {
      setStatus({ kind: 'error', text: 'Enter your full name, job title and staff number to sign.' });
      return;
    }
    if (!rationale.trim()) {
      setStatus({
        kind: 'error',
        text: 'Say why the committee decides this: the rationale is stored with the decision.',
      });
      return;
    }
    // with a roster, only its approvers sign: said before any identity check is asked for
    const refused = steeringSignerRefusal(roster, trimmed);
    if (refused) {
      setStatus({ kind: 'error', text: `Not signed: ${refused}` });
      return;
    }
    // an approver on the roster signs only with the key the data lead confirmed for them
    const rosterKey = member ? activeKeyOf(rosterNow, member.staffId) : undefined;
    if (member && !webauthn) {
      setStatus({
        kind: 'error',
        text: localhost
          ? `Not signed: open ${localhost} to sign. Approvers on the roster sign with their key, and keys work only when Preflight is opened by name, not at an IP address.`
          : 'Not signed: this browser offers no WebAuthn (security key, fingerprint or device PIN). Approvers on the roster sign with their key, in a browser that offers it.',
      });
      return;
    }
    if (member && !rosterKey) {
      const registered = credentialFor(readSignoffSettings(settings), member.staffId)?.id;
      const why =
        noSigningKeyText(roster, member.staffId, registered) ??
        `${member.name} has no confirmed signing key: ask the data lead to register one in the roster.`;
      setStatus({ kind: 'error', text: `Not signed: ${why} (The roster is on the Sign-off screen.)` });
      return;
    }
    if (joins && current.signatures.some((s) => s.signer.id === trimmed.id)) {
      setStatus({
        kind: 'idle',
        text: `${trimmed.name} has already signed this decision: the signature stands.`,
      });
      return;
    }
    setStatus({ kind: 'working', text: 'Preparing the signature…' });
    try {
      let latestSettings = settings;
      const remember = rememberReviewer(latestSettings, trimmed);
      if (remember?.type === 'project/settings') {
        await actions.commit(remember);
        latestSettings = remember.settings;
      }
      const signedAt = localDateTimeWithZone(actions.now());
      const content = joins
        ? (({ signatures: _s, ...rest }) => rest)(current)
        : {
            id: actions.newId(),
            decision: choice,
            readiness: result.decision,
            resultSha256: state.resultSha256,
            rationale: rationale.trim(),
            recordedAt: signedAt,
          };
      const prepared = prepareSteeringSignature({
        id: actions.newId(),
        decision: content,
        signer: trimmed,
        signedAt,
      });
      let signature: SteeringSignature;
      if (webauthn) {
        const register = async (): Promise<SigningCredential> => {
          setStatus({ kind: 'working', text: MAKING_KEY_TEXT });
          const made = await makeDeviceKey(trimmed, latestSettings, actions.commit, actions.now);
          latestSettings = made.settings;
          return made.credential;
        };
        const bound = rosterKey?.boundBy.credential;
        const credential = bound
          ? { id: bound.id, algorithm: bound.algorithm, publicKeyJwk: bound.publicKeyJwk }
          : (credentialFor(readSignoffSettings(latestSettings), trimmed.id) ?? (await register()));
        const assertion = await assertAsSigner(credential.id, prepared.signatureSha256, setStatus);
        if (!assertion) return;
        const stored = storedAssertion(credential, assertion);
        const reauthentication = { method: 'webauthn' as const, ...stored };
        const checked = await verifyAssertion(stored, prepared.signatureSha256);
        if (!checked.ok) {
          setStatus({
            kind: 'error',
            text: `Not signed: the identity check could not be verified (${checked.message}).`,
          });
          return;
        }
        signature = { ...prepared, reauthentication };
      } else {
        signature = { ...prepared, reauthentication: { method: 'none', reason: NO_WEBAUTHN_REASON } };
      }
      const decision = addSteeringSignature(joins ? current : content, signature, state.resultSha256, roster);
      setStatus({ kind: 'working', text: 'Saving the decision…' });
      // the draft is signed now: it is kept no longer
      await actions.commit({
        type: 'project/settings',
        settings: withSteeringDraft(withSteeringDecision(latestSettings, decision), undefined),
      });
      onSigned?.();
      setStatus({
        kind: 'done',
        text: `Signed by ${trimmed.name} on ${formatRecordedTime(signedAt)}${
          rosterKey
            ? ', with the key the data lead bound to them (the lead’s attestation: no identity provider confirmed it)'
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
    <section
      id="steering-decision"
      tabIndex={-1}
      className="card steering"
      aria-labelledby={ids.title}
      data-testid="steering-decision"
    >
      <h3 id={ids.title}>Steering committee decision</h3>
      {shared && latest && (
        <p className="steering-typed" data-testid="steering-typed">
          The decision below was recorded in a browser with typed names, not signed on the team server: it is
          not the committee’s signed decision. The committee signs on the team server, each member signed in
          as herself.
        </p>
      )}
      {latestDecision && (
        <ConflictBeside kind="steering-decision" id={latestDecision.id} what="steering committee decision" />
      )}
      {shared && !latest ? null : latest ? (
        <DecisionSummary latest={latest} nowSha256={state.resultSha256} stateTestId="steering-state">
          <ul className="signatures" aria-label="Decision signatures">
            {latest.signers.map((s, i) => (
              <li key={s.id + s.signedAt}>
                <strong>{s.name}</strong>, {s.role} ({s.id}) signed on {formatRecordedTime(s.signedAt)} ·{' '}
                {s.reauthentication === 'webauthn'
                  ? steeringReauthenticationText('webauthn')
                  : 'without re-authentication (no WebAuthn in that browser)'}{' '}
                ·{' '}
                <span data-testid="steering-signature-check">
                  {shared
                    ? TYPED_NAME_ON_SHARED
                    : checks[i] === undefined
                      ? 'checking…'
                      : checks[i]?.ok
                        ? 'signature verifies'
                        : `signature does not verify: ${checks[i]?.message}`}
                </span>
              </li>
            ))}
          </ul>
          {state.earlier > 0 && (
            <p>
              {state.earlier} earlier {state.earlier === 1 ? 'decision is' : 'decisions are'} kept in the
              project.
            </p>
          )}
        </DecisionSummary>
      ) : (
        <p data-testid="steering-state">No decision recorded yet.</p>
      )}
      {/* this browser's audit chain holds the decisions signed here: a shared project's are the server's */}
      {chain && !shared && (
        <p className="steering-chain" data-testid="steering-chain">
          {auditChainWords(chain)}
        </p>
      )}
      {actions && server && (
        <ServerSteering
          result={result}
          server={server}
          newId={actions.newId}
          now={actions.now}
          {...(onSigned ? { onSigned } : {})}
        />
      )}
      {actions && shared && !server && (
        <SignInToSign
          teamProjectName={shared.teamProjectName}
          ended={shared.absent === 'ended'}
          what="the go/no-go"
        />
      )}
      {actions && sharing.kind === 'local' && (
        <div className="steering-form">
          <h4>{current ? 'Sign this decision, or record another' : 'Record the decision'}</h4>
          <DecisionChoice
            name={`${ids.title}-choice`}
            choice={choice}
            computed={result.decision}
            onChoose={setChoice}
            rationaleId={ids.rationale}
            rationale={rationale}
            onRationale={setRationale}
          />
          {rosterOn ? (
            <fieldset className="reviewer">
              <legend>Approver</legend>
              <label htmlFor={ids.staff}>Who is signing (the roster's approvers)</label>
              <select
                id={ids.staff}
                value={approvers.some((m) => m.staffId === signer.id) ? signer.id : ''}
                onChange={(e) => {
                  const chosen = approvers.find((m) => m.staffId === e.currentTarget.value);
                  setSigner(
                    chosen
                      ? { name: chosen.name, role: chosen.title, id: chosen.staffId }
                      : { name: '', role: '', id: '' },
                  );
                }}
              >
                <option value="">Choose…</option>
                {approvers.map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}, {m.title} ({m.staffId})
                  </option>
                ))}
              </select>
              <p className="hint" data-testid="steering-roster-note">
                {approvers.length === 0
                  ? 'The roster has no approver yet: the data lead gives someone the approver role on the Sign-off screen.'
                  : 'Only approvers on the project roster sign, each with the key the data lead confirmed for them.'}
              </p>
            </fieldset>
          ) : (
            <fieldset className="reviewer">
              <legend>Approver</legend>
              <PersonFields part="Approver" person={signer} onChange={setSigner} ids={ids} />
              <p className="hint" data-testid="steering-roster-note">
                This project keeps no sign-off roster, so an approver is who they say they are here. Once the
                data lead keeps a roster on the Sign-off screen, only its approvers sign.
              </p>
            </fieldset>
          )}
          <p id={ids.meaning}>
            Meaning of your signature, stored with it word for word:
            <q className="signature-meaning">{meaning}</q>
          </p>
          <p className="binds">
            {joins
              ? 'Your signature is added to the current decision. '
              : current
                ? 'This wording differs from the current decision, so it is recorded as a new decision. '
                : ''}
            Signing binds the readiness as shown on this page (<code>{state.resultSha256.slice(0, 12)}…</code>
            ): any later change of evidence marks the decision stale.{' '}
            {webauthn
              ? 'Your browser will ask you to confirm it is you (security key, fingerprint or device PIN).'
              : 'This browser offers no WebAuthn, so your signature will be recorded as made without re-authentication.'}
          </p>
          <SignDecision
            onSign={() => void sign()}
            disabled={status.kind === 'working'}
            describedBy={ids.meaning}
            status={status}
            statusTestId="steering-status"
          />
        </div>
      )}
    </section>
  );
}
