/**
 * Invitations on the team screen, against a stand-in server at the client's fetch: the lead makes
 * a link, copies it, sees the invitations not used yet and revokes one; the invitee opens the
 * link, signs in (the code is kept out of the address and the sign-in's return), and joins as
 * the person the page names; a refusal is said in the server's words.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVITATION_KEY } from './JoinProject.tsx';
import { TeamScreen } from './TeamScreen.tsx';
import type { TeamInvitation, TeamProject } from './teamClient.ts';
import { type FakeTeamServer, fakeTeamServer, sessionAnswer } from './testing/fakeTeamServer.ts';
import { useTeamServer } from './useTeamServer.ts';

const userEvent = userEventBase.setup({ delay: null });

function Screen({ server, teamProject }: { server: FakeTeamServer; teamProject?: string }) {
  const team = useTeamServer(server.fetchImpl);
  return <TeamScreen state={team.state} teamProject={teamProject} />;
}

const CODE = 'c'.repeat(43);
const PROJECT: TeamProject = {
  id: 'p1',
  name: 'Ward 4 go-live',
  role: 'lead',
  expiresOn: null,
  can: ['read-project', 'add-member', 'change-member', 'remove-member'],
  members: [
    {
      id: 'm1',
      subject: 'dan',
      name: 'Dan Lead',
      email: null,
      role: 'lead',
      expiresOn: null,
      expired: false,
    },
  ],
};
const invitation = (id: string, label: string | null): TeamInvitation => ({
  id,
  role: 'reviewer',
  expiresOn: null,
  label,
  createdAt: '2026-03-09T09:00:00.000Z',
  validUntil: '2026-03-16T09:00:00.000Z',
});

beforeEach(() => {
  window.sessionStorage.clear();
});
// files share one page in a worker: leave no address or put-aside code for the next file
afterEach(() => {
  vi.unstubAllGlobals();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', window.location.pathname);
});

describe('inviting someone', () => {
  it('gives the lead a link to copy once, lists the invitations not used, and revokes one', async () => {
    window.location.hash = '#/team/p1';
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    let pending: TeamInvitation[] = [invitation('i0', 'Ravi, pharmacy')];
    const server = fakeTeamServer({
      'GET /api/session': sessionAnswer({ subject: 'dan', name: 'Dan Lead' }),
      'GET /api/projects/p1': [200, PROJECT],
      'GET /api/projects/p1/invitations': () => [200, { invitations: pending }],
      'POST /api/projects/p1/invitations': (body) => {
        const made: TeamInvitation = {
          ...invitation('i1', (body as { label: string }).label),
          role: 'steering',
        };
        pending = [made, ...pending];
        return [201, { invitation: made, code: CODE, link: `https://preflight.clinic.test/#/join/${CODE}` }];
      },
      'DELETE /api/projects/p1/invitations/i0': () => {
        pending = pending.filter((i) => i.id !== 'i0');
        return [204];
      },
    });
    render(<Screen server={server} teamProject="p1" />);
    const form = await screen.findByRole('form', { name: 'Invite someone' });
    // the end is said with its zone: the lead reading it may sit in another zone than the server
    expect(
      await screen.findByText(
        /Ravi, pharmacy · Clinician reviewer · works until .*\d{1,2}:\d{2}.* (UTC|GMT|[A-Z]{2,5}[+-]?\d*)/,
      ),
    ).toBeTruthy();

    await userEvent.type(within(form).getByLabelText(/For whom/), 'Nina, night shift');
    await userEvent.selectOptions(within(form).getByLabelText('Role they join as'), 'steering');
    await userEvent.click(within(form).getByRole('button', { name: 'Create invitation link' }));
    const link = await screen.findByLabelText(/Invitation link for Nina, night shift \(shown only now\)/);
    expect((link as HTMLInputElement).value).toBe(`https://preflight.clinic.test/#/join/${CODE}`);
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      role: 'steering',
      expiresOn: null,
      label: 'Nina, night shift',
    });
    expect(server.calls.find((c) => c.method === 'POST')?.headers['x-csrf-token']).toBe('csrf-1');
    await userEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalledWith(`https://preflight.clinic.test/#/join/${CODE}`);
    expect(await screen.findByText(/The link is copied/)).toBeTruthy();
    await screen.findByText(/Nina, night shift · Steering committee/);

    await userEvent.click(screen.getByRole('button', { name: 'Revoke the invitation for Ravi, pharmacy' }));
    expect(await screen.findByText('The invitation for Ravi, pharmacy no longer works.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/Ravi, pharmacy ·/)).toBeNull());
    expect(screen.getByText(/Nina, night shift · Steering committee/)).toBeTruthy();
  });
});

describe('joining by an invitation', () => {
  it('keeps the code out of the address, signs in, and joins as the person it names', async () => {
    window.location.hash = `#/join/${CODE}`;
    const server = fakeTeamServer({ 'GET /api/session': sessionAnswer(null) });
    const { unmount } = render(<Screen server={server} />);
    const signIn = await screen.findByRole('link', { name: 'Sign in to join' });
    expect(signIn.getAttribute('href')).toBe(`/api/login?return=${encodeURIComponent('#/join')}`);
    await waitFor(() => expect(window.location.hash).toBe('#/join'));
    expect(window.sessionStorage.getItem(INVITATION_KEY)).toBe(CODE);
    unmount();

    // back from the provider, signed in, at #/join
    server.routes['GET /api/session'] = sessionAnswer({ subject: 'nina', name: 'Nina Nurse' });
    server.routes['POST /api/invitations/redeem'] = [
      201,
      { project: { id: 'p1', name: 'Ward 4 go-live', role: 'reviewer', expiresOn: null } },
    ];
    render(<Screen server={server} />);
    expect(await screen.findByText(/You are signed in as/)).toBeTruthy();
    expect(screen.getByText('Nina Nurse')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Join the project' }));
    await waitFor(() => expect(window.location.hash).toBe('#/team/p1'));
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ code: CODE });
    expect(window.sessionStorage.getItem(INVITATION_KEY)).toBeNull();
  });

  it('says a used link in the server’s words and forgets it', async () => {
    window.location.hash = `#/join/${CODE}`;
    const server = fakeTeamServer({
      'GET /api/session': sessionAnswer({ subject: 'otto', name: 'Otto Outsider' }),
      'POST /api/invitations/redeem': [
        410,
        {
          error:
            'this invitation has been used already (each link works once): ask the project’s lead for a new one',
        },
      ],
    });
    render(<Screen server={server} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Join the project' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/used already/);
    expect(window.sessionStorage.getItem(INVITATION_KEY)).toBeNull();
    expect(window.location.hash).toBe('#/join');
  });
});
