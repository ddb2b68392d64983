/**
 * A team project's signing keys against a stand-in server at the client's fetch: a member's key
 * in each state (waiting, confirmed, revoked with who, when and why), a role that does not sign,
 * a browser with no authenticator; the lead confirming, revoking only with a reason, and setting
 * the signing idle time within 1–480 minutes; a refusal in the server's words. The WebAuthn
 * prompt itself is SigningKeysRegister.test.tsx.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SigningKeys } from './SigningKeys.tsx';
import { TeamClient, type TeamRole } from './teamClient.ts';
import { type FakeTeamServer, fakeTeamServer, signingKey, teamMember } from './testing/fakeTeamServer.ts';

const userEvent = userEventBase.setup({ delay: null });

const KEYS = '/api/projects/p1/signing-keys';

const MEMBERS = [
  teamMember('lena', 'Lena Lead', 'lead'),
  teamMember('rita', 'Rita Reviewer', 'reviewer'),
  teamMember('dora', 'Dora Data', 'data'),
  teamMember('ana', 'Ana Lyst', 'analyst'),
];
const LEAD_CAN = ['read-project', 'sign', 'manage-signing'];

function show(server: FakeTeamServer, me: string, role: TeamRole, can: string[]) {
  const client = new TeamClient('csrf-1', () => undefined, server.fetchImpl);
  return render(
    <SigningKeys client={client} projectId="p1" me={me} myRole={role} can={can} members={MEMBERS} />,
  );
}

describe('my signing key', () => {
  it('shows my key waiting for the lead, then confirmed by whom, then revoked with who, when and why', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [signingKey('rita', 'Rita Reviewer')], idleMinutes: 15 }],
    });
    const view = show(server, 'rita', 'reviewer', ['read-project', 'sign']);
    await screen.findByText('Registered 2026-11-25 09:00 UTC; waiting for the project’s lead to confirm it.');
    expect(screen.getByText(/tell the lead this code/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Register a key on this device' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'The team’s keys' })).toBeNull();
    expect(
      screen.getByText(
        'After 15 minutes without signing, the next signature asks the signer to sign in again at your organisation’s sign-in page, then to use their key.',
      ),
    ).toBeTruthy();
    view.unmount();

    server.routes[`GET ${KEYS}`] = [
      200,
      {
        keys: [
          signingKey('rita', 'Rita Reviewer', {
            id: 'k-old',
            status: 'revoked',
            revokedAt: '2026-11-25T11:30:00.000Z',
            revokedBy: 'Lena Lead',
            revokedReason: 'security key lost',
          }),
          signingKey('rita', 'Rita Reviewer', {
            status: 'confirmed',
            confirmedAt: '2026-11-25T12:00:00.000Z',
            confirmedBy: 'Lena Lead',
          }),
        ],
        idleMinutes: 30,
      },
    ];
    show(server, 'rita', 'reviewer', ['read-project', 'sign']);
    await screen.findByText('Confirmed by Lena Lead on 2026-11-25 12:00 UTC.');
    expect(
      screen.getByText('Revoked by Lena Lead on 2026-11-25 11:30 UTC. Reason: security key lost.'),
    ).toBeTruthy();
    expect(screen.getByText(/^After 30 minutes without signing/)).toBeTruthy();
  });

  it('tells a role that does not sign so, and reads no keys', async () => {
    const server = fakeTeamServer({});
    show(server, 'ana', 'analyst', ['read-project']);
    expect(
      screen.getByText(
        'Your role (Analyst) does not sign in this project, so you have no signing key here. The lead, the data team, clinician reviewers and the steering committee sign.',
      ),
    ).toBeTruthy();
    expect(server.calls).toEqual([]);
  });

  it('says what signing needs when this browser has no authenticator, instead of a button that fails', async () => {
    // jsdom, like a browser without WebAuthn, has no PublicKeyCredential
    const revoked = signingKey('rita', 'Rita Reviewer', { status: 'revoked', revokedBy: 'Lena Lead' });
    const server = fakeTeamServer({ [`GET ${KEYS}`]: [200, { keys: [revoked], idleMinutes: 15 }] });
    show(server, 'rita', 'reviewer', ['read-project', 'sign']);
    const offer = await screen.findByText(/^Your key was revoked, so it signs nothing\./);
    expect(offer.textContent).toMatch(/Register one on this device/);
    expect(screen.getByText(/^This browser or device cannot make a signing key here/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Register a key on this device' })).toBeNull();
  });
});

describe('the lead’s view of the team’s keys', () => {
  const keysOf = () => [
    signingKey('rita', 'Rita Reviewer'),
    signingKey('lena', 'Lena Lead', {
      status: 'confirmed',
      confirmedAt: '2026-11-25T08:00:00.000Z',
      confirmedBy: 'Lena Lead',
    }),
  ];

  it('confirms a waiting key from the lead’s session and lists who has no key yet', async () => {
    const server = fakeTeamServer({ [`GET ${KEYS}`]: [200, { keys: keysOf(), idleMinutes: 15 }] });
    server.routes[`POST ${KEYS}/k-rita/confirm`] = () => {
      const confirmed = signingKey('rita', 'Rita Reviewer', {
        status: 'confirmed',
        confirmedAt: '2026-11-25T10:00:00.000Z',
        confirmedBy: 'Lena Lead',
      });
      server.routes[`GET ${KEYS}`] = [200, { keys: [confirmed, keysOf()[1]], idleMinutes: 15 }];
      return [200, { key: confirmed }];
    };
    show(server, 'lena', 'lead', LEAD_CAN);
    const list = await screen.findByRole('list', { name: 'Signing keys of the team' });
    expect(screen.getByText('No signing key yet: Dora Data (Data team).')).toBeTruthy();
    // the lead's own confirmed key is not offered for confirming again
    expect(within(list).getAllByRole('button', { name: /^Confirm/ })).toHaveLength(1);
    await userEvent.click(within(list).getByRole('button', { name: 'Confirm Rita Reviewer’s key' }));
    const done = await screen.findByRole('status');
    expect(done.textContent).toBe('Rita Reviewer’s key was confirmed: they can sign now.');
    // the Confirm button is gone: keyboard focus is on what happened, not lost
    await waitFor(() => expect(document.activeElement).toBe(done));
    await screen.findByText('Confirmed by Lena Lead on 2026-11-25 10:00 UTC.');
    const confirm = server.calls.find((c) => c.path === `${KEYS}/k-rita/confirm`);
    expect(confirm?.method).toBe('POST');
    expect(confirm?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it('revokes a key only with a reason, and the reason goes to the server', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: keysOf(), idleMinutes: 15 }],
      [`POST ${KEYS}/k-rita/revoke`]: (body) => [
        200,
        { key: signingKey('rita', 'Rita Reviewer', { status: 'revoked', ...(body as object) }) },
      ],
    });
    show(server, 'lena', 'lead', LEAD_CAN);
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Rita Reviewer’s key' }));
    const reason = screen.getByLabelText('Reason for revoking (kept in the audit log)');
    expect(document.activeElement).toBe(reason);
    await userEvent.click(screen.getByRole('button', { name: 'Revoke key' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Give the reason for revoking this key/);
    expect(server.calls.some((c) => c.path.endsWith('/revoke'))).toBe(false);
    await userEvent.type(reason, '  left the team ');
    await userEvent.keyboard('{Enter}');
    await screen.findByText('Rita Reviewer’s key was revoked: it signs nothing from now on.');
    expect(server.calls.find((c) => c.path.endsWith('/revoke'))?.body).toEqual({ reason: 'left the team' });
  });

  it('says a refusal in the server’s words and reads the keys again', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: keysOf(), idleMinutes: 15 }],
      [`POST ${KEYS}/k-rita/confirm`]: [
        409,
        { error: 'the key’s owner is no longer a member of this project' },
      ],
    });
    show(server, 'lena', 'lead', LEAD_CAN);
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm Rita Reviewer’s key' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The key’s owner is no longer a member of this project.',
    );
    expect(server.calls.filter((c) => c.method === 'GET')).toHaveLength(2);
  });

  it('sets the signing idle time between 1 and 480 minutes and says what it means', async () => {
    const server = fakeTeamServer({ [`GET ${KEYS}`]: [200, { keys: keysOf(), idleMinutes: 15 }] });
    server.routes['PATCH /api/projects/p1/signing'] = (body) => {
      server.routes[`GET ${KEYS}`] = [200, { keys: keysOf(), ...(body as object) }];
      return [200, body];
    };
    show(server, 'lena', 'lead', LEAD_CAN);
    const form = await screen.findByRole('form', { name: 'Signing idle time' });
    const minutes = within(form).getByLabelText('Minutes (1 to 480)');
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '481');
    await userEvent.click(within(form).getByRole('button', { name: 'Save idle time' }));
    expect(within(form).getByRole('alert').textContent).toBe('Give a whole number of minutes from 1 to 480.');
    expect(server.calls.some((c) => c.method === 'PATCH')).toBe(false);
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '30');
    await userEvent.click(within(form).getByRole('button', { name: 'Save idle time' }));
    await screen.findByText('The signing idle time is now 30 minutes.');
    expect(server.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ idleMinutes: 30 });
    expect(
      within(await screen.findByRole('form', { name: 'Signing idle time' })).getByText(
        /^After 30 minutes without signing, the next signature asks the signer to sign in again/,
      ),
    ).toBeTruthy();
  });
});
