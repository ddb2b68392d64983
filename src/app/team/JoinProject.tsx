/**
 * The page an invitation link opens (`#/join/<code>`): the invitee signs in with their clinic
 * account, then joins the project as themselves with one button, which names who is signed in (so
 * nobody joins with a colleague's session left open).
 *
 * Constraints: the code is put aside in this tab (sessionStorage) and the address becomes
 * `#/join` at once, so the code is neither kept in the history nor sent through the sign-in's
 * return address (proxies log addresses); it is forgotten once used.
 */
import { useEffect, useState } from 'react';
import { navigate } from '../useWorkspaceRoute.ts';
import { ROLE_LABELS, signInHref, TeamError } from './teamClient.ts';
import type { TeamServerState } from './useTeamServer.ts';

/** Where this tab keeps an invitation's code while its person signs in. */
export const INVITATION_KEY = 'preflight.team.invitation';

function storedCode(): string | null {
  try {
    return window.sessionStorage.getItem(INVITATION_KEY);
  } catch {
    return null;
  }
}

function store(code: string | null): void {
  try {
    if (code === null) window.sessionStorage.removeItem(INVITATION_KEY);
    else window.sessionStorage.setItem(INVITATION_KEY, code);
  } catch {
    // storage refused (a private window's limits): the code stays in the address instead
  }
}

export function JoinProject({ state, code }: { state: TeamServerState; code: string }) {
  const [kept, setKept] = useState<string | null>(() => (code === '' ? storedCode() : code));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [joined, setJoined] = useState<string | undefined>();

  // the code out of the address: kept in this tab only
  useEffect(() => {
    if (code === '') return;
    store(code);
    setKept(code);
    // only while the invitation is still what the address shows: a place clicked meanwhile stays
    if (storedCode() === code)
      navigate(
        { workspace: 'team', invitation: '' },
        { replace: true, from: { workspace: 'team', invitation: code } },
      );
  }, [code]);

  const join = async () => {
    if (state.phase !== 'signed-in' || kept === null) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const project = await state.client.redeemInvitation(kept);
      store(null);
      setJoined(`You joined “${project.name}” as ${ROLE_LABELS[project.role]}.`);
      navigate({ workspace: 'team', teamProject: project.id });
    } catch (error) {
      setProblem(
        error instanceof TeamError ? error.message : 'Something went wrong; you did not join. Try again.',
      );
      // a link that can never work is forgotten; a session that ended keeps it for after signing in
      if (error instanceof TeamError && (error.status === 404 || error.status === 410)) store(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="team-screen">
      <h2>Join a team project</h2>
      {kept === null && !joined ? (
        <p className="team-error" role="alert">
          This invitation link is incomplete here: open the whole link the project’s lead sent you again.
        </p>
      ) : state.phase === 'probing' ? (
        <p role="status">Asking the team server who is signed in…</p>
      ) : state.phase === 'none' ? (
        <p className="empty">
          Invitations are opened on your clinic’s Preflight team server: open the link at the address the lead
          sent, not in a copy of Preflight on this computer.
        </p>
      ) : state.phase === 'signed-out' ? (
        <>
          <p>
            You have been invited to a team project. Sign in with your clinic account first; you come back
            here to join.
          </p>
          <p>
            <a className="button-link" href={signInHref('#/join')}>
              Sign in to join
            </a>
          </p>
        </>
      ) : (
        <>
          <p>
            You are signed in as <strong>{state.user.name}</strong>
            {state.user.email ? ` (${state.user.email})` : ''}. Joining adds this account to the project’s
            team. If this is not you, sign out first.
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy || state.ended || joined !== undefined}
            onClick={() => void join()}
          >
            Join the project
          </button>
        </>
      )}
      {joined && <p role="status">{joined}</p>}
      {problem && (
        <p className="team-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
