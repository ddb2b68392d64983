/**
 * What a person on a shared project who is not signed in to the team server is told where a
 * signature would be made: that the project is signed on the server, each person as herself, and
 * how to sign in — instead of any form that would sign with a typed name.
 */
import { signInHref } from './teamClient.ts';

/**
 * The sign-in a shared project's signature needs first. `teamProjectName`: the team project it is
 * shared with; `ended`: the person was signed in and the session ended (signing in again in a new
 * tab keeps this page and what was typed on it); `what`: what is signed, as the sentence names it.
 */
export function SignInToSign({
  teamProjectName,
  ended,
  what,
}: {
  teamProjectName: string;
  ended: boolean;
  what: string;
}) {
  const hash = typeof window === 'undefined' ? '' : window.location.hash;
  return (
    <div className="sign-in-to-sign" data-testid="sign-in-to-sign">
      <p>
        This project is shared with your clinic’s Preflight server (“{teamProjectName}”), so {what} is signed
        there, by each person signed in as herself: nobody signs here with a typed name.
      </p>
      <p>
        <strong>
          {ended
            ? 'Your sign-in to the team server has ended. Sign in again to sign.'
            : 'Sign in to your clinic’s Preflight server to sign.'}
        </strong>{' '}
        {ended ? (
          <a href={signInHref(hash)} target="_blank" rel="noopener">
            Sign in again in a new tab
          </a>
        ) : (
          <a href={signInHref(hash)}>Sign in</a>
        )}
      </p>
    </div>
  );
}
