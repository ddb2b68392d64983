/**
 * What the app asks first when it may be served by a team server: `GET /api/session`, answered
 * to anyone (signed in or not) with 200, so the app learns in one quiet request whether it is
 * served by `preflight serve`, whether sign-in is set up, and who is signed in. Under `npm start`
 * the same address is the app's own page (HTML, not this JSON), which is how the app tells the
 * two apart without a failed request in the browser's console.
 *
 * Constraint: the answer names the person and their session's CSRF token only to the session's
 * own cookie holder; it carries no project or record content.
 */
import type { FastifyInstance } from 'fastify';
import type { Session } from './sessions.ts';

/** The format tag of the answer, which the app checks before believing it. */
export const SESSION_ANSWER_FORMAT = 'preflight.session/v1';

/** The session route on `app`; `signInAvailable`: an identity provider is configured. */
export function registerSessionRoutes(app: FastifyInstance, signInAvailable: boolean): void {
  app.get('/api/session', async (request) => {
    const session: Session | undefined = request.session;
    if (session === undefined) return { format: SESSION_ANSWER_FORMAT, signInAvailable, user: null };
    const { issuer, subject, name, email } = session.user;
    return {
      format: SESSION_ANSWER_FORMAT,
      signInAvailable,
      user: { issuer, subject, name, email },
      csrfToken: session.csrfToken,
    };
  });
}
