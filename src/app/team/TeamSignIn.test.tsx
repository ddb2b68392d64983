/**
 * The header's team part: nothing at all, after one quiet request, when no team server serves the
 * app (`npm start`); "Sign in" back to the place the person is; who is signed in, and "Sign out"
 * with the session's CSRF token.
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TeamSignIn } from './TeamSignIn.tsx';
import type { Fetch } from './teamClient.ts';
import { fakeTeamServer, sessionAnswer } from './testing/fakeTeamServer.ts';
import { useTeamServer } from './useTeamServer.ts';

/** no pause between key presses: nothing here waits on timing */
const userEvent = userEventBase.setup({ delay: null });

function Header({ fetchImpl, hash = '#/team' }: { fetchImpl: Fetch; hash?: string }) {
  const team = useTeamServer(fetchImpl);
  return (
    <header>
      <span data-testid="phase">{team.state.phase}</span>
      <TeamSignIn team={team} hash={hash} project="p-1" />
    </header>
  );
}

describe('the header under npm start (no team server)', () => {
  it('shows nothing of the team after one request that the static server answers with the page', async () => {
    const server = fakeTeamServer({});
    render(<Header fetchImpl={server.fetchImpl} />);
    await waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('none'));
    expect(screen.queryByRole('link', { name: 'Sign in' })).toBeNull();
    expect(screen.queryByText(/Signed in as/)).toBeNull();
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/session']);
    // a static server answers the page only to a request that accepts HTML, as the default does
    expect(server.calls[0]?.headers.accept).toBeUndefined();
  });

  it('shows nothing when the request cannot be made at all', async () => {
    const offline: Fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    render(<Header fetchImpl={offline} />);
    await waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('none'));
    expect(screen.queryByRole('link', { name: 'Sign in' })).toBeNull();
  });

  it('believes no JSON but the server’s own answer', async () => {
    const server = fakeTeamServer({ 'GET /api/session': [200, { format: 'something-else', user: null }] });
    render(<Header fetchImpl={server.fetchImpl} />);
    await waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('none'));
  });
});

describe('the header under preflight serve', () => {
  it('offers Sign in, returning to the place the person is', async () => {
    const server = fakeTeamServer({ 'GET /api/session': sessionAnswer(null) });
    render(<Header fetchImpl={server.fetchImpl} hash="#/project/p-1/team/abc" />);
    const link = await screen.findByRole('link', { name: 'Sign in' });
    expect(link.getAttribute('href')).toBe(
      `/api/login?return=${encodeURIComponent('#/project/p-1/team/abc')}`,
    );
  });

  it('says so when the server has no identity provider set up', async () => {
    const server = fakeTeamServer({ 'GET /api/session': sessionAnswer(null, false) });
    render(<Header fetchImpl={server.fetchImpl} />);
    await screen.findByText('Sign-in is not set up on this team server yet.');
    expect(screen.queryByRole('link', { name: 'Sign in' })).toBeNull();
  });

  it('names who is signed in, links to the team projects, and signs out with the CSRF token', async () => {
    const server = fakeTeamServer({
      'GET /api/session': sessionAnswer({ subject: 'dan', name: 'Dan Lead' }),
      'POST /api/logout': [204],
    });
    render(<Header fetchImpl={server.fetchImpl} />);
    await screen.findByText('Dan Lead');
    expect(screen.getByRole('link', { name: 'Team projects' }).getAttribute('href')).toBe(
      '#/project/p-1/team',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('link', { name: 'Sign in' });
    const logout = server.calls.find((c) => c.path === '/api/logout');
    expect(logout?.method).toBe('POST');
    expect(logout?.headers['x-csrf-token']).toBe('csrf-1');
    expect(screen.queryByText('Dan Lead')).toBeNull();
  });
});
