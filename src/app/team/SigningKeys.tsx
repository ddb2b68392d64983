/**
 * The signing keys of a team project: a member whose role signs registers her own key on this
 * device (the browser's WebAuthn prompt) and sees its state — waiting for the lead, confirmed, or
 * revoked with who, when and why; the lead sees every member's key, confirms or revokes it (with
 * a reason) from her own session, and sets the project's signing idle time. The server decides
 * and records everything; a refusal is said in its words and the keys are read again.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { KEY_CONFIRMERS, rolesThatMay } from '../../core/teamApi/index.ts';
import { registerMyKey, type ServerSigningKey } from '../signoff/serverSigning.ts';
import { localhostAddress, WebAuthnCancelledError, webAuthnAvailable } from '../signoff/webauthnClient.ts';
import {
  ROLE_LABELS,
  TEAM_ACTIONS,
  type TeamClient,
  TeamError,
  type TeamMember,
  type TeamRole,
  type TeamSigningKeys,
} from './teamClient.ts';
import { signingKeysRead } from './teamReads.ts';
import { useTeamRead } from './useTeamRead.ts';

/** The roles whose members sign (the role table's `sign` action). */
const SIGNING_ROLES: readonly TeamRole[] = rolesThatMay('sign');

/** The signing idle time's bounds (minutes), as the server checks them. */
const IDLE_MIN = 1;
const IDLE_MAX = 480;

const UNEXPECTED = 'Something went wrong; nothing was changed. Try again.';

/** A failure's words for the person at the screen. */
function wordsOf(error: unknown): string {
  if (error instanceof TeamError) return error.message;
  // a cancelled prompt, or the browser's refusal, already in words (webauthnClient.ts)
  if (error instanceof WebAuthnCancelledError) return error.message;
  return error instanceof Error && error.message !== '' ? error.message : UNEXPECTED;
}

const when = (iso: string | null) => (iso === null ? '' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);

/**
 * A key's state in one sentence: waiting (for `confirmers`, by default the project's lead),
 * confirmed by whom, or revoked by whom and why.
 */
export function keyState(key: ServerSigningKey, confirmers = 'the project’s lead'): string {
  if (key.status === 'revoked')
    return `Revoked by ${key.revokedBy ?? 'the lead'} on ${when(key.revokedAt)}. Reason: ${key.revokedReason ?? 'none given'}.`;
  if (key.status === 'confirmed')
    return `Confirmed by ${key.confirmedBy ?? 'the lead'} on ${when(key.confirmedAt)}.`;
  return `Registered ${when(key.registeredAt)}; waiting for ${confirmers} to confirm it.`;
}

/** "a", "a or b", "a, b or c". */
const eitherOf = (names: readonly string[]) =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

/**
 * Who confirms the key of `me` when her own role confirms keys (nobody confirms their own): the
 * other leads and data leads by name, or undefined when the project has none.
 */
function confirmersOf(me: string, members: readonly TeamMember[]): string | undefined {
  const others = members.filter((m) => m.subject !== me && !m.expired && KEY_CONFIRMERS.includes(m.role));
  return others.length === 0
    ? undefined
    : eitherOf(others.map((m) => `${m.name ?? m.email ?? m.subject} (${ROLE_LABELS[m.role]})`));
}

/** What the person at the screen is told when nobody else on the project may confirm her key. */
export const NO_CONFIRMER =
  'Nobody else on this project can confirm your key: a key is confirmed by another lead or a member of the data team, never by its owner. Add one of them to the team; they confirm it once you have told them its code.';

const idleSentence = (minutes: number) =>
  `After ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} without signing, the next signature asks the signer to sign in again at your organisation’s sign-in page, then to use their key.`;

export function SigningKeys({
  client,
  projectId,
  me,
  myRole,
  can,
  members,
}: {
  client: TeamClient;
  projectId: string;
  /** the signed-in person's subject */
  me: string;
  /** the signed-in person's role on the project */
  myRole: TeamRole;
  can: readonly string[];
  members: readonly TeamMember[];
}) {
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | undefined>();
  // the control pressed often goes away (Confirm, the revoke form, Register): keyboard focus moves
  // to what happened, so it is not lost at the top of the page
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  const mayManage = can.includes(TEAM_ACTIONS.manageSigning);
  const maySign = can.includes(TEAM_ACTIONS.sign);
  // a lead or the data lead confirms the others' keys; her own is another's to confirm
  const mayConfirm = KEY_CONFIRMERS.includes(myRole);
  const myConfirmers = mayConfirm ? (confirmersOf(me, members) ?? null) : undefined;
  // a role that neither signs nor manages keys has nothing to read here
  const involved = mayManage || maySign;
  // the keys' one copy in the browser's cache of team reads, read again when keys or the roster change
  const keysRead = useTeamRead(
    involved ? { session: client.session, projectId } : undefined,
    signingKeysRead,
  );
  const data: TeamSigningKeys | undefined = keysRead.value;
  const loadError = keysRead.unread;
  const load = () => keysRead.readNow().catch(() => undefined);

  /** Runs a change; a refusal is said and the keys read again (not after an ended sign-in). */
  const act = async (work: () => Promise<string>): Promise<boolean> => {
    try {
      setMessage({ kind: 'done', text: await work() });
      await load();
      return true;
    } catch (error) {
      setMessage({ kind: 'error', text: wordsOf(error) });
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status !== 401 && status !== 0) await load();
      return false;
    }
  };

  if (!involved)
    return (
      <section className="team-keys" aria-labelledby="team-keys-h">
        <h3 id="team-keys-h">Signing keys</h3>
        <p className="team-note">
          Your role ({ROLE_LABELS[myRole]}) does not sign in this project, so you have no signing key here.
          The lead, the data team, clinician reviewers and the steering committee sign.
        </p>
      </section>
    );
  return (
    <section className="team-keys" aria-labelledby="team-keys-h">
      <h3 id="team-keys-h">Signing keys</h3>
      {message && (
        <p
          ref={messageRef}
          tabIndex={-1}
          className={message.kind === 'error' ? 'team-error' : 'team-done'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      {loadError && (
        <p className="team-error" role="alert">
          {loadError}
        </p>
      )}
      {data === undefined ? (
        !loadError && <p role="status">Reading the project’s signing keys…</p>
      ) : (
        <>
          <MyKey
            keys={data.keys.filter((k) => k.subject === me)}
            confirmers={myConfirmers}
            mayRegister={maySign}
            // the lead reads it with the setting, below
            idleMinutes={mayManage ? undefined : data.idleMinutes}
            onRegister={() =>
              act(async () => {
                await registerMyKey(client.session, projectId);
                return 'Your key was registered on this device. It waits for the project’s lead to confirm it; you can sign once it is confirmed.';
              })
            }
          />
          {(mayManage || mayConfirm) && (
            <TeamKeys
              data={data}
              me={me}
              mayManage={mayManage}
              members={members}
              onConfirm={(key) =>
                act(async () => {
                  await client.confirmKey(projectId, key.id);
                  return `${ownerOf(key)}’s key was confirmed: they can sign now.`;
                })
              }
              onRevoke={(key, reason) =>
                act(async () => {
                  await client.revokeKey(projectId, key.id, reason);
                  return `${ownerOf(key)}’s key was revoked: it signs nothing from now on.`;
                })
              }
              onIdle={(minutes) =>
                act(async () => {
                  const set = await client.setSigningIdle(projectId, minutes);
                  return `The signing idle time is now ${set} ${set === 1 ? 'minute' : 'minutes'}.`;
                })
              }
            />
          )}
        </>
      )}
    </section>
  );
}

const ownerOf = (key: ServerSigningKey) => key.name ?? key.subject;

function MyKey({
  keys,
  confirmers,
  mayRegister,
  idleMinutes,
  onRegister,
}: {
  keys: ServerSigningKey[];
  /**
   * who confirms her key when her own role confirms keys (null: nobody else on the project can);
   * undefined: the project's lead, as for every other role
   */
  confirmers: string | null | undefined;
  mayRegister: boolean;
  /** the project's signing idle time, said here unless the page shows it with its setting */
  idleMinutes: number | undefined;
  onRegister(): Promise<boolean>;
}) {
  const [busy, setBusy] = useState(false);
  if (!mayRegister) return null;
  const current = keys.filter((k) => k.status !== 'revoked');
  const revoked = keys.filter((k) => k.status === 'revoked');
  const available = webAuthnAvailable();
  const elsewhere = localhostAddress();
  return (
    <div className="team-my-key">
      <h4>My signing key</h4>
      {current.length === 0 && (
        <p>
          {revoked.length === 0
            ? 'You have no signing key on this project yet.'
            : 'Your key was revoked, so it signs nothing.'}{' '}
          Register one on this device: a security key, or this computer’s fingerprint or PIN.{' '}
          {confirmers === null
            ? NO_CONFIRMER
            : `${confirmers ?? 'The project’s lead'} then confirms it, and you can sign.`}
        </p>
      )}
      <ul className="team-roster">
        {[...current, ...revoked].map((key) => (
          <li key={key.id} className="team-member">
            <p className="team-member-name">
              Key code <code>{key.fingerprint.slice(0, 12)}</code>
              {key.status === 'awaiting confirmation' && (
                <span className="team-note">
                  {' '}
                  · tell {confirmers ? 'them' : 'the lead'} this code, so they confirm the right key
                </span>
              )}
            </p>
            <p className="team-key-state">{keyState(key, confirmers ?? undefined)}</p>
            {key.status === 'awaiting confirmation' && confirmers === null && (
              <p className="team-note">{NO_CONFIRMER}</p>
            )}
          </li>
        ))}
      </ul>
      {current.length === 0 &&
        (available ? (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await onRegister();
              setBusy(false);
            }}
          >
            Register a key on this device
          </button>
        ) : (
          <p className="team-note">
            This browser or device cannot make a signing key here: it needs a security key, a fingerprint
            reader or a device PIN, and a page opened by name over a secure connection.
            {elsewhere && (
              <>
                {' '}
                Open <a href={elsewhere}>this page at localhost</a> instead.
              </>
            )}
          </p>
        ))}
      {idleMinutes !== undefined && <p className="team-note">{idleSentence(idleMinutes)}</p>}
    </div>
  );
}

function TeamKeys({
  data,
  me,
  mayManage,
  members,
  onConfirm,
  onRevoke,
  onIdle,
}: {
  data: TeamSigningKeys;
  me: string;
  /** the lead: revokes keys and sets the idle time; otherwise (the data lead) she confirms only */
  mayManage: boolean;
  members: readonly TeamMember[];
  onConfirm(key: ServerSigningKey): Promise<boolean>;
  onRevoke(key: ServerSigningKey, reason: string): Promise<boolean>;
  onIdle(minutes: number): Promise<boolean>;
}) {
  // members who sign but hold no key that can sign or wait to be confirmed
  const withKey = new Set(data.keys.filter((k) => k.status !== 'revoked').map((k) => k.subject));
  const without = members.filter((m) => SIGNING_ROLES.includes(m.role) && !withKey.has(m.subject));
  return (
    <div className="team-team-keys">
      <h4>The team’s keys</h4>
      <p className="team-note">
        Confirm a key only when its owner has told you, in person or by phone, the code shown beside it.
      </p>
      {data.keys.length === 0 ? (
        <p className="empty">Nobody has registered a signing key on this project yet.</p>
      ) : (
        <ul className="team-roster" aria-label="Signing keys of the team">
          {data.keys.map((key) => (
            <KeyRow
              key={`${key.id}:${key.status}`}
              signingKey={key}
              isMe={key.subject === me}
              mayRevoke={mayManage}
              onConfirm={() => onConfirm(key)}
              onRevoke={(reason) => onRevoke(key, reason)}
            />
          ))}
        </ul>
      )}
      {without.length > 0 && (
        <p className="team-note">
          No signing key yet:{' '}
          {without.map((m) => `${m.name ?? m.email ?? m.subject} (${ROLE_LABELS[m.role]})`).join(', ')}.
        </p>
      )}
      {mayManage && <IdleTime key={data.idleMinutes} idleMinutes={data.idleMinutes} onSave={onIdle} />}
    </div>
  );
}

function KeyRow({
  signingKey: key,
  isMe,
  mayRevoke,
  onConfirm,
  onRevoke,
}: {
  signingKey: ServerSigningKey;
  isMe: boolean;
  mayRevoke: boolean;
  onConfirm(): Promise<boolean>;
  onRevoke(reason: string): Promise<boolean>;
}) {
  const id = useId();
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // keyboard focus follows the question: onto the reason when asked, back to "Revoke" after Keep
  useEffect(() => {
    if (revoking) reasonRef.current?.focus();
    else if (asked.current) revokeRef.current?.focus();
    asked.current = revoking;
  }, [revoking]);
  const owner = ownerOf(key);
  const run = async (work: () => Promise<boolean>) => {
    setBusy(true);
    const done = await work();
    setBusy(false);
    if (done) setRevoking(false);
  };
  const revoke = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    void run(() => onRevoke(reason.trim()));
  };
  return (
    <li className="team-member">
      <p className="team-member-name">
        <strong>{owner}</strong>
        {isMe && ' (you)'} · key code <code>{key.fingerprint.slice(0, 12)}</code>
      </p>
      <p className="team-key-state">{keyState(key)}</p>
      {key.status === 'awaiting confirmation' && isMe && (
        <p className="team-note">Your own key: another lead or the data team confirms it, never you.</p>
      )}
      {key.status !== 'revoked' && ((key.status === 'awaiting confirmation' && !isMe) || mayRevoke) && (
        <div className="team-member-form">
          {key.status === 'awaiting confirmation' && !isMe && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void run(onConfirm)}
              aria-label={`Confirm ${owner}’s key`}
            >
              Confirm
            </button>
          )}
          {!revoking && mayRevoke && (
            <button
              ref={revokeRef}
              type="button"
              className="danger-outline"
              onClick={() => setRevoking(true)}
              aria-label={`Revoke ${owner}’s key`}
            >
              Revoke
            </button>
          )}
        </div>
      )}
      {revoking && (
        <form className="team-member-form" onSubmit={revoke} aria-label={`Revoke ${owner}’s key`} noValidate>
          <label htmlFor={`${id}-reason`}>Reason for revoking (kept in the audit log)</label>
          <input
            ref={reasonRef}
            id={`${id}-reason`}
            autoComplete="off"
            className="team-input team-input-wide"
            value={reason}
            maxLength={500}
            required
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? `${id}-missing` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
          />
          <button type="submit" className="danger" disabled={busy}>
            Revoke key
          </button>
          <button type="button" onClick={() => setRevoking(false)}>
            Keep key
          </button>
          {missing && (
            <p id={`${id}-missing`} className="team-error" role="alert">
              Give the reason for revoking this key (for example: security key lost, left the team).
            </p>
          )}
        </form>
      )}
    </li>
  );
}

function IdleTime({
  idleMinutes,
  onSave,
}: {
  idleMinutes: number;
  onSave(minutes: number): Promise<boolean>;
}) {
  const id = useId();
  const [value, setValue] = useState(String(idleMinutes));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const minutes = Number(value);
    if (!/^\d+$/.test(value.trim()) || minutes < IDLE_MIN || minutes > IDLE_MAX) {
      setError(`Give a whole number of minutes from ${IDLE_MIN} to ${IDLE_MAX}.`);
      return;
    }
    setError(undefined);
    setBusy(true);
    await onSave(minutes);
    setBusy(false);
  };
  return (
    <form className="team-form" onSubmit={save} aria-labelledby={`${id}-h`} noValidate>
      <h4 id={`${id}-h`} className="team-form-title">
        Signing idle time
      </h4>
      <p id={`${id}-note`} className="team-note team-form-note">
        {idleSentence(idleMinutes)}
      </p>
      <label htmlFor={`${id}-min`}>Minutes (1 to 480)</label>
      <input
        id={`${id}-min`}
        className="team-input"
        type="number"
        inputMode="numeric"
        min={IDLE_MIN}
        max={IDLE_MAX}
        step={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-note ${id}-err` : `${id}-note`}
      />
      <button type="submit" disabled={busy || value === String(idleMinutes)}>
        Save idle time
      </button>
      {error && (
        <p id={`${id}-err`} className="team-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
