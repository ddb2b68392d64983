/**
 * The sign-off roster, kept by the data lead (docs/product.md#sign-off): who reviews, adjudicates,
 * approves and leads, and which signing key each holds. A key is made by its holder ("Register a
 * key", on their security key, fingerprint or PIN) and counts only once a lead confirms it with the
 * lead's own key ("Confirm as lead") — until then it is a registration nobody confirmed, and it
 * cannot sign. Every change is a `roster/change`, durably stored with its audit-chain entry; the
 * screen says what this proves and what it does not.
 */
import { useId, useMemo, useState } from 'react';
import {
  addSigningCredential,
  readSignoffSettings,
  type SigningCredential,
} from '../../core/project/signoffSettings.ts';
import { IDENTITY_NOTE } from '../../core/signoff/exports/index.ts';
import {
  activeKeyOf,
  changeHash,
  LOST_KEY_ADVICE,
  publicKeyFingerprint,
  registrationHash,
  roleWords,
  rosterState,
  verifyKeyBinding,
  verifyLeadConfirmation,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import {
  type KeyBound,
  ROSTER_ROLES,
  type RosterChange,
  type RosterMember,
  type RosterRole,
} from '../../formats/roster.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { useRecordConflict } from '../team/recordConflicts.ts';
import type { ReviewActions } from './reviewActions.ts';
import {
  assertSignoff,
  localhostAddress,
  registerSigningCredential,
  webAuthnAvailable,
} from './webauthnClient.ts';

type Status = { kind: 'idle' | 'working' | 'done' | 'error'; text: string };
/** A roster change before its id, time and maker are given. */
type ChangeBody = RosterChange extends infer C
  ? C extends RosterChange
    ? Omit<C, 'id' | 'at' | 'by'>
    : never
  : never;

const EMPTY_FORM = { staffId: '', name: '', title: '', roles: [] as RosterRole[] };

/** The registrations made on this project that no lead has confirmed yet, latest per person. */
function unconfirmedKeys(project: Project, bound: ReadonlySet<string>): Map<string, SigningCredential> {
  const out = new Map<string, SigningCredential>();
  for (const c of readSignoffSettings(project.meta.settings).credentials ?? [])
    if (!bound.has(c.id)) out.set(c.signerId, c);
  return out;
}

export function RosterPanel({ project, actions }: { project: Project; actions?: ReviewActions }) {
  const roster = project.meta.roster;
  const state = useMemo(() => rosterState(roster), [roster]);
  const members = [...state.members.values()];
  const leads = members.filter((m) => m.roles.includes('lead'));
  const unconfirmed = useMemo(() => unconfirmedKeys(project, new Set(state.keys.keys())), [project, state]);
  const [actingLead, setActingLead] = useState('');
  const lead = leads.find((m) => m.staffId === actingLead) ?? leads[0];
  const [form, setForm] = useState(EMPTY_FORM);
  const [revoking, setRevoking] = useState<{ staffId: string; reason: string } | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const ids = {
    title: useId(),
    name: useId(),
    jobTitle: useId(),
    staff: useId(),
    lead: useId(),
    reason: useId(),
    roles: useId(),
  };
  const webauthn = useMemo(() => webAuthnAvailable(), []);
  const localhost = useMemo(() => localhostAddress(), []);
  const starting = members.length === 0;
  // closed until someone opens it (clinicians reviewing need not scroll past it); then as left
  const [open, setOpen] = useState(false);
  const conflicted = useRecordConflict('roster', 'roster') !== undefined;
  const bound = members.filter((m) => activeKeyOf(state, m.staffId)).length;

  const run = async (working: string, task: () => Promise<string>) => {
    if (!actions || status.kind === 'working') return;
    setStatus({ kind: 'working', text: working });
    try {
      setStatus({ kind: 'done', text: await task() });
    } catch (error) {
      setStatus({ kind: 'error', text: `Not saved: ${(error as Error).message}` });
    }
  };
  /** Commits a change by lead `by`, confirmed with the lead's key once they hold one. */
  const change = async (made: ChangeBody, by: string) => {
    if (!actions) return;
    const body = { ...made, id: actions.newId(), at: actions.now(), by } as RosterChange;
    const leadKey = activeKeyOf(state, by);
    if (!leadKey) {
      await actions.commit({ type: 'roster/change', change: body });
      return;
    }
    setStatus({ kind: 'working', text: 'Data lead: confirm this change with your key…' });
    const assertion = await assertSignoff(leadKey.credentialId, changeHash(body), LOST_KEY_ADVICE);
    const { algorithm, publicKeyJwk } = leadKey.boundBy.credential;
    const confirmed = {
      ...body,
      confirmation: { leadId: by, assertion: { method: 'webauthn', ...assertion, algorithm, publicKeyJwk } },
    } as RosterChange;
    const checked = await verifyLeadConfirmation(state, confirmed);
    if (!checked.ok) throw new Error(`the confirmation could not be verified (${checked.message}).`);
    await actions.commit({ type: 'roster/change', change: confirmed });
  };

  const saveMember = () =>
    run('Saving to the roster…', async () => {
      const member: RosterMember = {
        staffId: form.staffId.trim(),
        name: form.name.trim(),
        title: form.title.trim(),
        roles: starting ? [...new Set<RosterRole>(['lead', ...form.roles])] : form.roles,
      };
      if (!member.staffId || !member.name || !member.title)
        throw new Error('Enter the full name, job title and staff number.');
      const by = starting ? member.staffId : lead?.staffId;
      if (!by) throw new Error('The roster has no data lead.');
      const known = state.members.has(member.staffId);
      await change({ kind: 'member', member }, by);
      setForm(EMPTY_FORM);
      return `${known ? 'Updated' : 'Added'} ${member.name} (${member.staffId}). Saved.`;
    });

  const remove = (member: RosterMember) =>
    run(`Removing ${member.name}…`, async () => {
      if (!lead) throw new Error('The roster has no data lead.');
      await change({ kind: 'member-removed', staffId: member.staffId }, lead.staffId);
      return `Removed ${member.name} from the roster; their key no longer signs. Saved.`;
    });

  const registerKey = (member: RosterMember) =>
    run(
      `${member.name}: follow your browser to make your signing key (security key, fingerprint or PIN)…`,
      async () => {
        if (!actions) return '';
        const registered = await registerSigningCredential({
          name: member.name,
          role: member.title,
          id: member.staffId,
        });
        await actions.commit(
          addSigningCredential(project.meta.settings, {
            id: registered.credentialId,
            algorithm: registered.algorithm,
            publicKeyJwk: registered.publicKeyJwk,
            signerId: member.staffId,
            registeredAt: actions.now(),
          }),
        );
        return `Key made for ${member.name}. It cannot sign until a data lead confirms it: the lead presses “Confirm ${member.name}'s key as lead”.`;
      },
    );

  const confirmKey = (member: RosterMember, credential: SigningCredential) =>
    run(
      `${lead?.name ?? 'Data lead'}: confirm with your own key that ${member.name} holds this key…`,
      async () => {
        if (!actions || !lead) throw new Error('The roster has no data lead.');
        const leadKey = activeKeyOf(state, lead.staffId);
        const own = lead.staffId === member.staffId && !leadKey;
        const confirming = own
          ? credential
          : leadKey && {
              id: leadKey.credentialId,
              algorithm: leadKey.boundBy.credential.algorithm,
              publicKeyJwk: leadKey.boundBy.credential.publicKeyJwk,
            };
        if (!confirming)
          throw new Error(
            `${lead.name} has no confirmed key yet: register and confirm the lead's own key first, then confirm others.`,
          );
        const replaces = activeKeyOf(state, member.staffId)?.credentialId;
        const body: Omit<KeyBound, 'confirmation'> = {
          id: actions.newId(),
          at: actions.now(),
          by: lead.staffId,
          kind: 'key-bound',
          staffId: member.staffId,
          credential: {
            id: credential.id,
            algorithm: credential.algorithm,
            publicKeyJwk: credential.publicKeyJwk,
          },
          ...(replaces ? { replaces } : {}),
        };
        const assertion = await assertSignoff(confirming.id, registrationHash(body));
        const bound: KeyBound = {
          ...body,
          confirmation: {
            leadId: lead.staffId,
            assertion: {
              method: 'webauthn',
              ...assertion,
              algorithm: confirming.algorithm,
              publicKeyJwk: confirming.publicKeyJwk,
            },
          },
        };
        const checked = await verifyKeyBinding(state, bound);
        if (!checked.ok) throw new Error(`the confirmation could not be verified (${checked.message}).`);
        await actions.commit({ type: 'roster/change', change: bound });
        return `${member.name}'s key is bound, confirmed by ${lead.name}${replaces ? '; the old key is revoked' : ''}. Saved.`;
      },
    );

  const revoke = (member: RosterMember) =>
    run(`Revoking ${member.name}'s key…`, async () => {
      const key = activeKeyOf(state, member.staffId);
      if (!lead || !key || !revoking) return '';
      if (!revoking.reason.trim())
        throw new Error('Say why the key is revoked (for example “security key lost”).');
      await change(
        {
          kind: 'key-revoked',
          staffId: member.staffId,
          credentialId: key.credentialId,
          reason: revoking.reason.trim(),
        },
        lead.staffId,
      );
      setRevoking(null);
      return `${member.name}'s key is revoked: it no longer signs. Register a new key for them and confirm it.`;
    });

  const toggleRole = (role: RosterRole) =>
    setForm((f) => ({
      ...f,
      roles: f.roles.includes(role) ? f.roles.filter((r) => r !== role) : [...f.roles, role],
    }));

  return (
    // a colleague's change to the roster made first keeps the roster open, told beside its people
    <details
      className="roster-panel"
      open={open || conflicted}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        <h3 id={ids.title}>Sign-off roster</h3>{' '}
        <span className="roster-summary">
          {starting
            ? 'not started: the data lead adds the people who review, adjudicate and sign'
            : `${members.length} ${members.length === 1 ? 'person' : 'people'}, ${bound} with a confirmed signing key · kept by the data lead`}
        </span>
      </summary>
      <p className="roster-note">{IDENTITY_NOTE}</p>
      <ConflictBeside kind="roster" id="roster" what="sign-off roster" />
      {!webauthn && (
        <p className="fail" data-testid="roster-webauthn">
          {localhost
            ? `Signing keys work only when Preflight is opened by name: open ${localhost} to register and confirm keys.`
            : 'This browser offers no WebAuthn (security key, fingerprint or device PIN): keys cannot be registered or confirmed here.'}
        </p>
      )}
      {!starting && (
        <ul className="roster-list" aria-label="People on the roster">
          {members.map((m) => {
            const key = activeKeyOf(state, m.staffId);
            const pending = unconfirmed.get(m.staffId);
            return (
              <li key={m.staffId}>
                <p className="roster-person">
                  <strong>{m.name}</strong>, {m.title} · staff number {m.staffId}
                </p>
                <p>Roles: {m.roles.map(roleWords).join(', ')}</p>
                <p data-testid="roster-key">
                  {key
                    ? `Signing key ${publicKeyFingerprint(key.boundBy.credential.publicKeyJwk).slice(0, 12)}…, confirmed by ${state.members.get(key.boundBy.confirmation.leadId)?.name ?? key.boundBy.confirmation.leadId}`
                    : 'No confirmed signing key'}
                  {pending ? ' · a new key is registered and waits for a lead to confirm it' : ''}
                </p>
                {actions && (
                  <div className="roster-actions">
                    <button
                      type="button"
                      onClick={() =>
                        setForm({ staffId: m.staffId, name: m.name, title: m.title, roles: m.roles })
                      }
                    >
                      Edit {m.name}
                    </button>
                    <button type="button" onClick={() => void remove(m)}>
                      Remove {m.name}
                    </button>
                    {webauthn && (
                      <button type="button" onClick={() => void registerKey(m)}>
                        {key ? `Register a replacement key for ${m.name}` : `Register a key for ${m.name}`}
                      </button>
                    )}
                    {webauthn && pending && (
                      <button type="button" onClick={() => void confirmKey(m, pending)}>
                        Confirm {m.name}'s key as lead
                      </button>
                    )}
                    {key && (
                      <button type="button" onClick={() => setRevoking({ staffId: m.staffId, reason: '' })}>
                        Revoke {m.name}'s key
                      </button>
                    )}
                  </div>
                )}
                {revoking?.staffId === m.staffId && (
                  <div className="roster-revoke">
                    <label htmlFor={ids.reason}>Why is {m.name}'s key revoked?</label>
                    <input
                      id={ids.reason}
                      value={revoking.reason}
                      autoComplete="off"
                      onChange={(e) => setRevoking({ staffId: m.staffId, reason: e.currentTarget.value })}
                    />
                    <button type="button" onClick={() => void revoke(m)}>
                      Revoke the key
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {actions && (
        <fieldset className="roster-form">
          <legend>{starting ? 'Start the roster: you are the data lead' : 'Add or edit a person'}</legend>
          {!starting && leads.length > 1 && (
            <>
              <label htmlFor={ids.lead}>Changes made by (data lead)</label>
              <select
                id={ids.lead}
                value={lead?.staffId}
                onChange={(e) => setActingLead(e.currentTarget.value)}
              >
                {leads.map((l) => (
                  <option key={l.staffId} value={l.staffId}>
                    {l.name} ({l.staffId})
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor={ids.name}>Full name</label>
          <input
            id={ids.name}
            value={form.name}
            autoComplete="off"
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <label htmlFor={ids.jobTitle}>Job title</label>
          <input
            id={ids.jobTitle}
            value={form.title}
            autoComplete="off"
            onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
          />
          <label htmlFor={ids.staff}>Staff number</label>
          <input
            id={ids.staff}
            value={form.staffId}
            autoComplete="off"
            onChange={(e) => setForm({ ...form, staffId: e.currentTarget.value })}
          />
          <fieldset className="roster-roles" aria-describedby={ids.roles}>
            <legend>Roles</legend>
            <p id={ids.roles} className="hint">
              No one adjudicates a record they reviewed, reviews a record twice, or approves a sample they
              reviewed.
            </p>
            {ROSTER_ROLES.map((role) => (
              <label key={role} className="roster-role">
                <input
                  type="checkbox"
                  checked={form.roles.includes(role) || (starting && role === 'lead')}
                  disabled={starting && role === 'lead'}
                  onChange={() => toggleRole(role)}
                />{' '}
                {roleWords(role)}
              </label>
            ))}
          </fieldset>
          <button type="button" onClick={() => void saveMember()} disabled={status.kind === 'working'}>
            {starting ? 'Start the roster as data lead' : 'Save to the roster'}
          </button>
        </fieldset>
      )}
      <p role="status" data-testid="roster-status" className={status.kind === 'error' ? 'fail' : undefined}>
        {status.text}
      </p>
    </details>
  );
}
