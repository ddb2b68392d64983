/**
 * Who confirms whose signing key, as the screen says it: nobody is offered "Confirm" on their own
 * key, and is told who can confirm it (another lead or the data team, by name), or that nobody on
 * the project can yet; the data lead confirms the lead's key, and neither revokes nor sets the
 * idle time (the lead's). The server's refusal of a self-confirmation is keyConfirmers.test.ts.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NO_CONFIRMER, SigningKeys } from './SigningKeys.tsx';
import { TeamClient, type TeamMember, type TeamRole } from './teamClient.ts';
import { fakeTeamServer, signingKey, teamMember } from './testing/fakeTeamServer.ts';

const KEYS = '/api/projects/p1/signing-keys';

const LENA = teamMember('lena', 'Lena Okafor', 'lead');
const DORA = teamMember('dora', 'Dora Data', 'data');
const RITA = teamMember('rita', 'Rita Reviewer', 'reviewer');

function show(
  me: string,
  role: TeamRole,
  can: string[],
  members: TeamMember[],
  keys = [signingKey('lena', 'Lena Okafor'), signingKey('rita', 'Rita Reviewer')],
) {
  const server = fakeTeamServer({ [`GET ${KEYS}`]: [200, { keys, idleMinutes: 15 }] });
  const client = new TeamClient('csrf-1', () => undefined, server.fetchImpl);
  render(<SigningKeys client={client} projectId="p1" me={me} myRole={role} can={can} members={members} />);
}

describe('confirming signing keys on the screen', () => {
  it('offers the lead no Confirm on her own key, and names who confirms it', async () => {
    show('lena', 'lead', ['read-project', 'sign', 'manage-signing'], [LENA, DORA, RITA]);
    const list = await screen.findByRole('list', { name: 'Signing keys of the team' });
    expect(within(list).queryByRole('button', { name: 'Confirm Lena Okafor’s key' })).toBeNull();
    expect(within(list).getByRole('button', { name: 'Confirm Rita Reviewer’s key' })).toBeTruthy();
    expect(
      within(list).getByText('Your own key: another lead or the data team confirms it, never you.'),
    ).toBeTruthy();
    expect(
      screen.getByText('Registered 2026-11-25 09:00 UTC; waiting for Dora Data (Data team) to confirm it.'),
    ).toBeTruthy();
  });

  it('tells a lead with nobody to confirm her key what to do', async () => {
    show('lena', 'lead', ['read-project', 'sign', 'manage-signing'], [LENA, RITA]);
    expect(await screen.findByText(NO_CONFIRMER)).toBeTruthy();
  });

  it('tells a lead with no key yet who will confirm it, before she registers one', async () => {
    show('lena', 'lead', ['read-project', 'sign', 'manage-signing'], [LENA, DORA, RITA], []);
    expect(
      await screen.findByText(/Dora Data \(Data team\) then confirms it, and you can sign\./),
    ).toBeTruthy();
    expect(screen.queryByText(/The project’s lead then confirms it/)).toBeNull();
  });

  it('tells a lead with no key and nobody to confirm it, before she registers one', async () => {
    show('lena', 'lead', ['read-project', 'sign', 'manage-signing'], [LENA, RITA], []);
    expect(await screen.findByText(/Nobody else on this project can confirm your key/)).toBeTruthy();
  });

  it('lets the data lead confirm the lead’s key, and nothing else of the lead’s', async () => {
    show('dora', 'data', ['read-project', 'sign'], [LENA, DORA, RITA]);
    const list = await screen.findByRole('list', { name: 'Signing keys of the team' });
    expect(within(list).getByRole('button', { name: 'Confirm Lena Okafor’s key' })).toBeTruthy();
    expect(within(list).queryByRole('button', { name: /^Revoke/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Signing idle time' })).toBeNull();
  });
});
