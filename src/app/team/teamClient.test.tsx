/**
 * The page asks the team server nothing unless `preflight serve` marked it: served by `npm start`
 * or a clinic's own web server, a request for a session would fail in the console (404).
 * Who the app says signs a sample's result is read from the table the server refuses by.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SIGNING_KINDS_BY_ROLE } from '../../core/signoff/signing/index.ts';
import { ROLES } from '../../core/teamApi/index.ts';
import { probeTeamServer, RESULT_SIGNING_ROLES, servedByTeamServer, TEAM_SERVER_META } from './teamClient.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  for (const meta of document.head.querySelectorAll(`meta[name="${TEAM_SERVER_META}"]`)) meta.remove();
});

describe('the team server’s mark on the page', () => {
  it('without it, the page asks nothing and has no team server', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 404 }));
    globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
    expect(servedByTeamServer()).toBe(false);
    expect(await probeTeamServer()).toEqual({ kind: 'none' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('with it, the page asks for the session once', async () => {
    const meta = document.createElement('meta');
    meta.name = TEAM_SERVER_META;
    document.head.append(meta);
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ format: 'preflight.session/v1', signInAvailable: true, user: null }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
    expect(servedByTeamServer()).toBe(true);
    expect(await probeTeamServer()).toMatchObject({ kind: 'server', signInAvailable: true, user: null });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('who signs a sample’s result', () => {
  it('is every role the signing table lets approve or confirm, and the table knows every role the app does', () => {
    expect(Object.keys(SIGNING_KINDS_BY_ROLE).sort()).toEqual([...ROLES].sort());
    expect(RESULT_SIGNING_ROLES).toEqual(['lead', 'data']);
  });
});
