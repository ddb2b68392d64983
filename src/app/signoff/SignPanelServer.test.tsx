/**
 * The sign panel of a review sent to a team project, signed in to its server: the signature is made
 * there (the server's ceremony, its record answered by a team server in memory) and a copy is kept
 * in the review on this computer, naming the server's entry, so the report and the FHIR Bundle carry
 * it. The signer's role is her role on the team project as the server gives it — never a title the
 * app makes up — and without it nothing is signed. Signed out, or once the session ended, no form
 * signs with a typed name: the panel says to sign in, and a typed name kept in the review is said
 * to be one.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../core/project/changes.ts';
import { packetScenario, verifySignoffJson } from '../../core/signoff/exports/index.ts';
import {
  chainHeadOf,
  pendingAuditEntries,
  prepareSignature,
  SIGNING_MEANINGS,
  signatureEntryFor,
  signedOnServer,
  softAuthenticator,
} from '../../core/signoff/signing/index.ts';
import { type ChainEntry, createAuditLogFile } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Review, Signature } from '../../formats/review.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { TeamClient, type TeamRole } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import type { TeamServerState } from '../team/useTeamServer.ts';
import type { ReviewActions } from './reviewActions.ts';
import { NO_WEBAUTHN_REASON, SignPanel, TYPED_IN_A_BROWSER } from './SignPanel.tsx';
import { savedSignoff } from './savedSignoff.ts';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { reducerActions } from './testing/reviewHarness.tsx';
import { standInWebAuthnAuthentication } from './testing/webAuthnStandIn.ts';

standInWebAuthnAuthentication();

const TEAM_PROJECT = 'team-1';
const ME = { issuer: 'https://idp.example', subject: 'sub-dana', name: 'Dana Reyes', email: null };

/** A team server in memory: her role on the project (or a failure to say it), and signing. */
async function fakeServer(role: TeamRole | 'unavailable') {
  const key = await softAuthenticator();
  const asked: { method: string; path: string; body?: { hash?: string; kind?: string } }[] = [];
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(String(init.body)) as { hash?: string; kind?: string }) : undefined;
    asked.push({ method, path, ...(body ? { body } : {}) });
    if (method === 'GET' && path === `/api/projects/${TEAM_PROJECT}`)
      return role === 'unavailable'
        ? answer(503, { error: 'the server is starting' })
        : answer(200, {
            id: TEAM_PROJECT,
            name: 'Go-live',
            role,
            expiresOn: null,
            can: ['sign'],
            members: [],
          });
    if (method === 'GET' && path === `/api/projects/${TEAM_PROJECT}/signing-keys`)
      return answer(200, {
        idleMinutes: 15,
        keys: [
          {
            id: 'key-1',
            subject: ME.subject,
            name: ME.name,
            credentialId: key.credentialId,
            algorithm: key.algorithm,
            fingerprint: 'f'.repeat(43),
            registeredAt: '2026-11-20T09:00:00Z',
            status: 'confirmed',
            confirmedAt: '2026-11-20T09:05:00Z',
            revokedAt: null,
            revokedReason: null,
            confirmedBy: 'Dara Data',
            revokedBy: null,
          },
        ],
      });
    if (method === 'POST' && path === `/api/projects/${TEAM_PROJECT}/signatures/options`)
      return answer(200, { ceremony: 'assertion', options: { challenge: 'c', allowCredentials: [] } });
    if (method === 'POST' && path === `/api/projects/${TEAM_PROJECT}/signatures` && body?.hash)
      return answer(200, {
        signature: await signedOnServer(key, body.hash, {
          projectSeq: 12,
          kind: 'confirmation',
          role: role === 'unavailable' ? 'data' : role,
          meaning: SIGNING_MEANINGS.confirmation,
          signer: { issuer: ME.issuer, subject: ME.subject, name: ME.name },
        }),
      });
    return answer(404, { error: 'not here' });
  };
  return { asked, client: new TeamClient('csrf', () => undefined, fetchImpl) };
}

/** The panel of a review sent to the team project, with the project in state changed by its reducer. */
function open(client: TeamClient) {
  return openAs({ phase: 'signed-in', user: ME, client, ended: false });
}

/** A signature the lead made in her own browser with a typed name, before the project was shared. */
function typedInABrowser(review: Review): Signature {
  const prepared = prepareSignature({
    id: 'typed-1',
    review,
    signer: { name: 'Sana Yusuf', role: 'Steering chair', id: 'S-1' },
    signedAt: '2026-11-20T10:00:00+01:00',
    meaning: SIGNING_MEANINGS.confirmation,
    chain: chainHeadOf([]),
  });
  return { ...prepared, reauthentication: { method: 'none', reason: NO_WEBAUTHN_REASON } };
}

/**
 * The panel of a review sent to the team project, as `team` stands; `typed`: a typed-name
 * signature kept in it; `lagging`: stored as the app's session stores, the change on screen first
 * and its audit entry only once the save completes (`saved`).
 */
function openAs(team: TeamServerState, typed = false, lagging = false) {
  const { plan, clinician: sent } = packetScenario();
  const clinician = typed ? { ...sent, signatures: [typedInABrowser(sent)] } : sent;
  const base = fixtureProject();
  const initial: Project = {
    ...base,
    meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, clinician.id, TEAM_PROJECT) },
    samplePlans: [plan],
    reviews: [clinician],
  };
  const changes: ProjectChange[] = [];
  let current = initial;
  let setProject: (next: Project) => void = () => undefined;
  const held = reducerActions({
    get: () => current,
    set: (next) => {
      current = next;
      setProject(next);
    },
    commits: { changes },
  });
  // what the audit log holds: the project as last saved, its decisions then its signatures
  let stored = initial;
  const chainOf = (p: Project) => {
    const entries: ChainEntry[] = pendingAuditEntries(undefined, p.reviews ?? [], new Set());
    for (const r of p.reviews ?? [])
      for (const signature of r.signatures ?? [])
        entries.push(signatureEntryFor(entries.at(-1), r.id, signature));
    return entries;
  };
  const actions: ReviewActions = lagging
    ? {
        ...held,
        auditLog: async () => chainOf(stored),
        saved: async () => {
          stored = current;
        },
        current: () => current,
      }
    : held;
  function Holder() {
    const [project, set] = useState(initial);
    setProject = set;
    const review = project.reviews?.[0];
    if (!review) throw new Error('the review is gone');
    return (
      <TeamServerContext.Provider value={team}>
        <SignPanel review={review} plan={plan} project={project} actions={actions} />
      </TeamServerContext.Provider>
    );
  }
  render(<Holder />);
  return { changes, project: () => current, actions, plan };
}

describe('SignPanel on the team server', () => {
  it('signs with her role on the team project and keeps a copy of the server’s signature in the review', async () => {
    const user = userEvent.setup();
    const { asked, client } = await fakeServer('data');
    const { changes, project } = open(client);
    await waitFor(() =>
      expect(screen.getByTestId('server-signer').textContent).toContain('Data team on the team project'),
    );
    expect(screen.queryByLabelText("Signer's job title")).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() =>
      expect(screen.getByTestId('sign-status').textContent).toMatch(
        /^Signed on the team server by Dana Reyes on .*\(entry 12 of the project’s log/,
      ),
    );
    const signed = changes.find((c) => c.type === 'review/sign') as { signature: Signature } | undefined;
    expect(signed?.signature).toMatchObject({
      signer: { name: 'Dana Reyes', role: 'Data team', id: 'sub-dana' },
      meaning: SIGNING_MEANINGS.confirmation,
      reauthentication: { method: 'webauthn', server: { project: TEAM_PROJECT, projectSeq: 12 } },
    });
    // the copy is in the review as stored, over the hash the server signed
    const kept = project().reviews?.[0]?.signatures ?? [];
    expect(kept).toHaveLength(1);
    const posted = asked.find((a) => a.path === `/api/projects/${TEAM_PROJECT}/signatures`);
    expect(kept[0]?.signoffSha256).toBe(posted?.body?.hash);
  });

  it('says of her own signature, right after signing, what preflight signoff verify says, and who confirmed her key', async () => {
    const user = userEvent.setup();
    const { client } = await fakeServer('lead');
    const { project, actions, plan } = openAs(
      { phase: 'signed-in', user: ME, client, ended: false },
      false,
      true,
    );
    await waitFor(() =>
      expect(screen.getByTestId('server-signer').textContent).toContain('on the team project'),
    );
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() =>
      expect(screen.getByTestId('sign-status').textContent).toMatch(
        /^Signed on the team server by Dana Reyes/,
      ),
    );
    expect(screen.getByTestId('sign-status').textContent).toContain(
      'The server keeps the signature with your own key, which Dara Data confirmed;',
    );
    const item = within(screen.getByRole('list', { name: 'Signatures' })).getByRole('listitem');
    await waitFor(() => expect(within(item).getByTestId('signature-check').textContent).toBe('verifies'));
    expect(item.textContent).toContain('their own key on the team server, confirmed by Dara Data');
    expect(item.textContent).not.toContain('not a key registered in this project');

    // the CLI's verdict on the sign-off as stored, the file the lead's export is made from
    const { project: saved, entries } = await savedSignoff(actions, project());
    const file = createAuditLogFile({
      projectId: saved.meta.id,
      exportedAt: '2026-11-27T12:00:00Z',
      entries,
      reviews: saved.reviews ?? [],
      plans: [plan],
    });
    const cli = await verifySignoffJson('signoff.json', file as unknown as Record<string, unknown>);
    expect(cli).toMatchObject({ status: 'verified' });
    const signature = saved.reviews?.[0]?.signatures?.[0];
    expect(cli.status === 'verified' ? cli.signatures?.map((v) => v.id) : []).toEqual([signature?.id]);
  });

  it('signs nothing when the server cannot say her role, and says why', async () => {
    const user = userEvent.setup();
    const { asked, client } = await fakeServer('unavailable');
    const { changes } = open(client);
    await waitFor(() =>
      expect(screen.getByTestId('server-signer').textContent).toContain(
        'could not be read from the team server',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() =>
      expect(screen.getByTestId('sign-status').textContent).toMatch(
        /^Not signed: Preflight could not read your role on the team project/,
      ),
    );
    expect(asked.some((a) => a.path.endsWith('/signatures/options'))).toBe(false);
    expect(changes.some((c) => c.type === 'review/sign')).toBe(false);
  });

  it('offers no typed-name form to a signed-out person, says to sign in, and calls a typed name what it is', async () => {
    openAs({ phase: 'signed-out', signInAvailable: true }, true);
    expect(screen.getByTestId('sign-in-to-sign').textContent).toContain(
      'Sign in to your clinic’s Preflight server to sign.',
    );
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByLabelText("Signer's full name")).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign' })).toBeNull();
    expect(screen.getByTestId('signature-check').textContent).toBe(TYPED_IN_A_BROWSER);
    // and once the panel has checked it against the audit log, it is still not "verifies"
    await screen.findByTestId('signature-coverage');
    expect(screen.getByTestId('signature-check').textContent).toBe(TYPED_IN_A_BROWSER);
  });

  it('says to sign in again, with no form, once the session ended', async () => {
    const { client } = await fakeServer('data');
    openAs({ phase: 'signed-in', user: ME, client, ended: true }, true);
    await screen.findByTestId('signature-coverage');
    expect(screen.getByTestId('sign-in-to-sign').textContent).toContain(
      'Your sign-in to the team server has ended',
    );
    expect(screen.queryByLabelText("Signer's full name")).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign' })).toBeNull();
  });
});
