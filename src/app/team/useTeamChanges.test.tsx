/**
 * A screen that shows what it read from the team server reads it again when the project's change
 * stream says another browser changed that kind — here the signing keys, with the lead confirming
 * a reviewer's key while the reviewer looks at it — and not for a kind it does not show; the
 * stream closes when the screen goes.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SigningKeys } from './SigningKeys.tsx';
import { TeamClient } from './teamClient.ts';
import { FakeEventSource } from './testing/fakeEventSource.ts';
import { fakeTeamServer, signingKey, teamMember } from './testing/fakeTeamServer.ts';

const KEYS = '/api/projects/p1/signing-keys';
const MEMBERS = [teamMember('lena', 'Lena Lead', 'lead'), teamMember('rita', 'Rita Reviewer', 'reviewer')];

describe('a screen on a shared project', () => {
  beforeEach(() => {
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads the server again when another browser changes what it shows', async () => {
    const server = fakeTeamServer({
      [`GET ${KEYS}`]: [200, { keys: [signingKey('rita', 'Rita Reviewer')], idleMinutes: 15 }],
    });
    const client = new TeamClient('csrf-1', () => undefined, server.fetchImpl);
    const view = render(
      <SigningKeys
        client={client}
        projectId="p1"
        me="rita"
        myRole="reviewer"
        can={['read-project', 'sign']}
        members={MEMBERS}
      />,
    );
    await screen.findByText(/waiting for the project’s lead to confirm it/);
    const reads = () => server.calls.filter((c) => c.method === 'GET' && c.path === KEYS).length;
    expect(reads()).toBe(1);
    const [stream] = FakeEventSource.open();
    expect(stream?.url).toBe('/api/projects/p1/events');
    stream?.opened();

    // the lead confirms the key in her own browser; the server tells the project's streams
    server.routes[`GET ${KEYS}`] = [
      200,
      {
        keys: [
          signingKey('rita', 'Rita Reviewer', {
            status: 'confirmed',
            confirmedAt: '2026-11-25T12:00:00.000Z',
            confirmedBy: 'Lena Lead',
          }),
        ],
        idleMinutes: 15,
      },
    ];
    stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
    stream?.send(JSON.stringify({ kind: 'signing-keys', at: 2 }));
    await screen.findByText('Confirmed by Lena Lead on 2026-11-25 12:00 UTC.');
    await waitFor(() => expect(reads()).toBe(2));

    view.unmount();
    expect(stream?.closed).toBe(true);
  });
});
