/**
 * "Invite someone": how a project's lead adds a person the server cannot find by an e-mail the
 * clinic's sign-in service vouched for. The lead picks a role (and an end date, and a note of whom
 * it is for); the server makes a one-use link, shown here once to copy and send by the clinic's
 * own means; the invitations not used yet are listed, each with "Revoke".
 *
 * Constraints: the link carries the invitation's code; it is shown only until the lead makes
 * another or leaves the page (the server keeps only its hash and cannot show it again).
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { RoleGivingForm } from './RoleGivingForm.tsx';
import {
  type NewTeamInvitation,
  ROLE_LABELS,
  type TeamClient,
  TeamError,
  type TeamInvitation,
} from './teamClient.ts';
import { invitationsRead } from './teamReads.ts';
import { useRoleAndEnd } from './useRoleAndEnd.ts';
import { useTeamRead } from './useTeamRead.ts';

const wordsOf = (error: unknown) =>
  error instanceof TeamError ? error.message : 'Something went wrong; nothing was changed. Try again.';

/** When an invitation stops working, as a day and time in this browser's zone. */
/** The end of an invitation in the reader's own time, with its zone: the lead may be elsewhere. */
const untilWords = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });

const forWhom = (invitation: TeamInvitation) => invitation.label ?? `a ${ROLE_LABELS[invitation.role]}`;

export function Invitations({
  client,
  projectId,
  onJoinedOrChanged,
}: {
  client: TeamClient;
  projectId: string;
  /** after a change: the screen reads its roster again */
  onJoinedOrChanged?: () => void;
}) {
  const id = useId();
  const roleAndEnd = useRoleAndEnd('reviewer');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<NewTeamInvitation | undefined>();
  const [copied, setCopied] = useState<string | undefined>();
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | undefined>();

  // the invitations' one copy in the browser's cache of team reads; a read that fails is said where
  // the changes' refusals are
  const read = useTeamRead({ session: client.session, projectId }, invitationsRead);
  const pending: TeamInvitation[] | undefined = read.value;
  const load = () => read.readNow().catch(() => undefined);
  useEffect(() => {
    if (read.unread !== undefined) setMessage({ kind: 'error', text: read.unread });
  }, [read.unread]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setCopied(undefined);
    try {
      const invitation = await client.createInvitation(projectId, {
        ...roleAndEnd.chosen,
        label: label.trim() === '' ? null : label.trim(),
      });
      setMade(invitation);
      setMessage(undefined);
      setLabel('');
      roleAndEnd.clearEnd();
      await load();
    } catch (error) {
      setMessage({ kind: 'error', text: wordsOf(error) });
    } finally {
      setBusy(false);
    }
  };

  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('The link is copied: paste it into a message to the person.');
    } catch {
      setCopied('This browser did not let the page copy: select the link and copy it.');
    }
  };

  const revoke = async (invitation: TeamInvitation) => {
    try {
      await client.revokeInvitation(projectId, invitation.id);
      if (made?.invitation.id === invitation.id) setMade(undefined);
      setMessage({ kind: 'done', text: `The invitation for ${forWhom(invitation)} no longer works.` });
      onJoinedOrChanged?.();
    } catch (error) {
      setMessage({ kind: 'error', text: wordsOf(error) });
    }
    await load();
  };

  return (
    <div className="team-invitations">
      <RoleGivingForm
        id={id}
        title="Invite someone"
        note="You get a link to send them by the clinic’s e-mail or chat. It works once, for 7 days: they open it, sign in with their clinic account and join as the role you choose."
        person={{
          name: 'label',
          label: 'For whom (optional, for you to recognise it)',
          value: label,
          onChange: setLabel,
          maxLength: 200,
        }}
        choice={roleAndEnd.fields}
        roleLabel="Role they join as"
        endLabel="Their access ends (optional)"
        submit="Create invitation link"
        busy={busy}
        onSubmit={create}
      />
      {made && (
        <div className="team-invitation-link">
          <label htmlFor={`${id}-link`}>
            Invitation link for {forWhom(made.invitation)} (shown only now)
          </label>
          <input
            id={`${id}-link`}
            className="team-input team-input-wide"
            readOnly
            value={made.link}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" onClick={() => void copy(made.link)}>
            Copy link
          </button>
          {copied && <p role="status">{copied}</p>}
        </div>
      )}
      {message && (
        <p
          className={message.kind === 'error' ? 'team-error' : 'team-done'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <h4>Invitations not used yet</h4>
      {pending === undefined ? (
        <p role="status">Reading the invitations…</p>
      ) : pending.length === 0 ? (
        <p className="team-note">None.</p>
      ) : (
        <ul className="team-invitation-list">
          {pending.map((invitation) => (
            <li key={invitation.id}>
              {forWhom(invitation)} · {ROLE_LABELS[invitation.role]}
              {invitation.expiresOn ? `, access ends ${invitation.expiresOn}` : ''} · works until{' '}
              {untilWords(invitation.validUntil)}{' '}
              <button
                type="button"
                className="danger-outline"
                aria-label={`Revoke the invitation for ${forWhom(invitation)}`}
                onClick={() => void revoke(invitation)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
