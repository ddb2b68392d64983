/**
 * Registering one's own signing key from the team screen, with the WebAuthn prompt stood in at the
 * app's `webAuthnPrompts` (`@simplewebauthn/browser`'s) and the server at the client's fetch: the
 * server's options reach the prompt and its answer goes back with the session's CSRF token; a
 * cancelled prompt sends nothing and says nothing was lost; a credential already someone else's is
 * refused in clinic words; a sign-in that ended on the way is heard by the client.
 */
import { render, screen } from '@testing-library/react';
import userEventBase from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { KEY_ALREADY_HERE } from '../signoff/serverSigning.ts';
import { webAuthnPrompts } from '../signoff/webauthnClient.ts';
import { SigningKeys } from './SigningKeys.tsx';
import { TeamClient, type TeamMember } from './teamClient.ts';
import { type FakeTeamServer, fakeTeamServer, signingKey } from './testing/fakeTeamServer.ts';

const userEvent = userEventBase.setup({ delay: null });
const KEYS = '/api/projects/p1/signing-keys';
const OPTIONS = { challenge: 'c2VydmVyLWNoYWxsZW5nZQ', rp: { name: 'Preflight', id: 'localhost' } };
const ANSWER = {
  id: 'cred-rita',
  rawId: 'cred-rita',
  type: 'public-key',
  response: { clientDataJSON: 'e30', attestationObject: 'o2Nm' },
};
const MEMBERS: TeamMember[] = [];

/** The prompt's answer, given here (`webAuthnPrompts`); the server's options are what it was asked with. */
let startRegistration: MockInstance<typeof webAuthnPrompts.startRegistration>;

/** A browser that offers WebAuthn on a secure page (jsdom has none of it). */
beforeEach(() => {
  startRegistration = vi.spyOn(webAuthnPrompts, 'startRegistration');
  vi.stubGlobal('isSecureContext', true);
  vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
  Object.defineProperty(navigator, 'credentials', { configurable: true, value: { create() {} } });
});
afterEach(() => {
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'credentials');
  vi.restoreAllMocks();
});

function show(server: FakeTeamServer, onEnded = () => undefined) {
  const client = new TeamClient('csrf-1', onEnded, server.fetchImpl);
  render(
    <SigningKeys
      client={client}
      projectId="p1"
      me="rita"
      myRole="reviewer"
      can={['read-project', 'sign']}
      members={MEMBERS}
    />,
  );
}

const register = async () =>
  userEvent.click(await screen.findByRole('button', { name: 'Register a key on this device' }));

describe('registering my signing key', () => {
  it('carries the server’s options to the prompt and its answer back, then shows the key waiting', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [], idleMinutes: 15 }],
      [`POST ${KEYS}/options`]: [200, OPTIONS],
    });
    server.routes[`POST ${KEYS}`] = () => {
      server.routes[`GET ${KEYS}`] = [200, { keys: [signingKey('rita', 'Rita Reviewer')], idleMinutes: 15 }];
      return [201, { key: signingKey('rita', 'Rita Reviewer') }];
    };
    startRegistration.mockResolvedValue(ANSWER as never);
    show(server);
    await screen.findByText(/^You have no signing key on this project yet\./);
    await register();
    expect((await screen.findByRole('status')).textContent).toMatch(
      /^Your key was registered on this device\. It waits for the project’s lead to confirm it/,
    );
    await screen.findByText('Registered 2026-11-25 09:00 UTC; waiting for the project’s lead to confirm it.');
    expect(startRegistration).toHaveBeenCalledWith({ optionsJSON: OPTIONS });
    const sent = server.calls.find((c) => c.method === 'POST' && c.path === KEYS);
    expect(sent?.body).toEqual({ response: ANSWER });
    expect(sent?.headers['x-csrf-token']).toBe('csrf-1');
    expect(screen.queryByRole('button', { name: 'Register a key on this device' })).toBeNull();
  });

  it('sends nothing after a cancelled prompt and says nothing was lost', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [], idleMinutes: 15 }],
      [`POST ${KEYS}/options`]: [200, OPTIONS],
    });
    startRegistration.mockRejectedValue(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }));
    show(server);
    await register();
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^The registration of a signing key did not complete: it was cancelled or timed out, or this computer has no security key, fingerprint or device PIN set up\. Nothing was signed or stored\. Registering a key needs/,
    );
    expect(server.calls.some((c) => c.method === 'POST' && c.path === KEYS)).toBe(false);
    // the button is there to try again
    expect(screen.getByRole('button', { name: 'Register a key on this device' })).toBeTruthy();
  });

  it('says a device that already holds a key of mine for this project cannot register it again', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [], idleMinutes: 15 }],
      [`POST ${KEYS}/options`]: [200, OPTIONS],
    });
    startRegistration.mockRejectedValue(
      Object.assign(new Error('previously registered'), { name: 'InvalidStateError' }),
    );
    show(server);
    await register();
    expect((await screen.findByRole('alert')).textContent).toBe(KEY_ALREADY_HERE);
    expect(server.calls.some((c) => c.method === 'POST' && c.path === KEYS)).toBe(false);
  });

  it('refuses a key already registered to another person, in words that say what to do', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [], idleMinutes: 15 }],
      [`POST ${KEYS}/options`]: [200, OPTIONS],
      [`POST ${KEYS}`]: [
        409,
        {
          error:
            'this security key or passkey is already registered to another person on this server: one key serves one person. Register a key of your own (another security key, or this computer’s own fingerprint or PIN)',
        },
      ],
    });
    startRegistration.mockResolvedValue(ANSWER as never);
    show(server);
    await register();
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This security key or passkey is already registered to another person on this server: one key serves one person. Register a key of your own (another security key, or this computer’s own fingerprint or PIN).',
    );
  });

  it('hears a sign-in that ended, and asks no authenticator', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [], idleMinutes: 15 }],
      [`POST ${KEYS}/options`]: [401, { error: 'sign in first' }],
    });
    const ended = vi.fn();
    show(server, ended);
    await register();
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Your sign-in has ended/);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(startRegistration).not.toHaveBeenCalled();
  });
});
