/**
 * The header's part of the team server: "Sign in" (to the clinic's identity provider, back to the
 * place the person was), or who is signed in, a link to the team projects and "Sign out". Shows
 * nothing when no team server serves the app.
 */
import { useState } from 'react';
import { hrefIn, type Route } from '../route.ts';
import { signInHref } from './teamClient.ts';
import type { TeamServer } from './useTeamServer.ts';

const TEAM: Route = { workspace: 'team' };

export function TeamSignIn({
  team,
  hash,
  project,
}: {
  team: TeamServer;
  /** the address shown now, where signing in returns to */
  hash: string;
  /** the open project's id, which links keep */
  project: string | undefined;
}) {
  const [signingOut, setSigningOut] = useState(false);
  const { state } = team;
  if (state.phase === 'probing' || state.phase === 'none') return null;
  if (state.phase === 'signed-out')
    return (
      <div className="team-sign-in">
        {state.signInAvailable ? (
          <a className="button-link" href={signInHref(hash)}>
            Sign in
          </a>
        ) : (
          <span className="team-note">Sign-in is not set up on this team server yet.</span>
        )}
      </div>
    );
  return (
    <div className="team-sign-in">
      <span className="team-user">
        Signed in as <strong>{state.user.name}</strong>
      </span>
      <a href={hrefIn(project, TEAM)}>Team projects</a>
      <button
        type="button"
        disabled={signingOut}
        onClick={async () => {
          setSigningOut(true);
          await team.signOut();
          setSigningOut(false);
        }}
      >
        Sign out
      </button>
    </div>
  );
}

/**
 * The notice of a session that ended: what happened, and a way to sign in again that keeps this
 * page (and what was typed on it) as it is.
 */
export function SessionEnded({ hash }: { hash: string }) {
  return (
    <div className="banner banner-error" role="alert">
      <p>
        Your sign-in to the team server has ended (after 30 minutes without activity, or you signed out
        elsewhere). What you typed here is kept.{' '}
        <a href={signInHref(hash)} target="_blank" rel="noopener">
          Sign in again in a new tab
        </a>
        , then come back here and try again.
      </p>
    </div>
  );
}
