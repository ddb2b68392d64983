import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/hash/index.ts';
import type { ReadinessResult } from '../../core/readiness/index.ts';
import {
  type ServerSteeringDecision,
  STEERING_GO_MEANING,
  type SteeringDecisionContent,
} from '../../core/signoff/signing/index.ts';
import { ServerSteering } from './ServerSteering.tsx';

const MONDAY = sha256Hex('the readiness result on Monday');
const TUESDAY = sha256Hex('the readiness result on Tuesday');

const DECISION: ServerSteeringDecision = {
  id: 'decision-1',
  decision: 'go',
  readiness: 'go',
  resultSha256: MONDAY,
  rationale: 'Every gate passes.',
  recordedAt: '2026-03-09T10:00:00+01:00',
  hash: 'c'.repeat(64),
  signatures: [
    {
      projectSeq: 7,
      signer: { subject: 'stella', name: 'Stella Steering' },
      role: 'steering',
      meaning: STEERING_GO_MEANING,
      signedAt: '2026-03-09T09:05:00.000Z',
    },
  ],
};

/**
 * The panel against a team server that lists `decisions` and, asked to sign, answers that a fresh
 * sign-in comes first; `asked` collects the decisions the panel asked to sign.
 */
function renderPanel(decisions: ServerSteeringDecision[], resultSha256: string) {
  const asked: SteeringDecisionContent[] = [];
  const fetchImpl = async (input: string, init?: RequestInit) => {
    if (input.endsWith('/steering-signatures') && (init?.method ?? 'GET') === 'GET')
      return new Response(JSON.stringify({ decisions }), { status: 200 });
    if (input.endsWith('/steering-signatures/options')) {
      asked.push(JSON.parse(String(init?.body)).decision);
      return new Response(JSON.stringify({ ceremony: 'sign-in-again', signInUrl: '/api/login?fresh=1' }), {
        status: 200,
      });
    }
    return new Response('{}', { status: 404 });
  };
  const result = { decision: 'go', steering: { resultSha256, earlier: 0 } } as unknown as ReadinessResult;
  render(
    <ServerSteering
      result={result}
      server={{
        session: { base: '', csrfToken: 't', fetchImpl },
        projectId: 'team-1',
        user: { name: 'Sam Steering', subject: 'sam' },
      }}
      newId={() => 'decision-new'}
      now={() => '2026-03-10T08:00:00.000Z'}
    />,
  );
  return asked;
}

describe('the go/no-go signed on the team server', () => {
  // test files share a page: leave its address as found
  afterEach(() => {
    window.location.hash = '';
  });

  it('shows the current decision with its signers, and co-signs it as it was signed', async () => {
    // the sign-in comes back to the page the person signed from
    window.location.hash = '#/readiness/steering';
    const asked = renderPanel([DECISION], MONDAY);
    expect((await screen.findByTestId('steering-server-state')).textContent).toContain(
      'Go, decided 2026-03-09 at 10:00 (UTC+01:00) · Current',
    );
    const signers = screen.getByRole('list', { name: 'Decision signatures on the team server' });
    expect(within(signers).getByText('Stella Steering')).toBeTruthy();
    expect(signers.textContent).toContain(STEERING_GO_MEANING);
    expect(screen.getByText(/Your signature is added to the current decision/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Sign the decision' }));
    expect((await screen.findByRole('link', { name: 'Sign in again, then sign' })).getAttribute('href')).toBe(
      '/api/login?fresh=1&return=%23%2Freadiness%2Fsteering',
    );
    const { hash: _hash, signatures: _signatures, ...content } = DECISION;
    expect(asked).toEqual([content]);
    expect(screen.getByTestId('steering-server-status').textContent).toMatch(/Nothing was signed yet/);
  });

  it('marks a decision stale once the evidence changed, and a signature then starts a new decision on it', async () => {
    const asked = renderPanel([DECISION], TUESDAY);
    expect((await screen.findByTestId('steering-server-state')).textContent).toContain('· Stale');
    expect(screen.getByText(/The committee must decide again/)).toBeTruthy();
    const rationale = screen.getByLabelText('Rationale');
    expect((rationale as HTMLTextAreaElement).value).toBe('');
    await userEvent.click(screen.getByRole('button', { name: 'Sign the decision' }));
    expect(screen.getByTestId('steering-server-status').textContent).toMatch(/Say why the committee decides/);
    expect(asked).toEqual([]);

    await userEvent.type(rationale, 'The interface was fixed and tested again.');
    await userEvent.click(screen.getByRole('button', { name: 'Sign the decision' }));
    await screen.findByRole('link', { name: 'Sign in again, then sign' });
    expect(asked).toEqual([
      expect.objectContaining({
        id: 'decision-new',
        decision: 'go',
        resultSha256: TUESDAY,
        rationale: 'The interface was fixed and tested again.',
      }),
    ]);
  });
});
