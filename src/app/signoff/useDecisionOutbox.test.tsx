// @vitest-environment jsdom
/**
 * The review screen's outbox resends as soon as the team server can be reached again, not when
 * its back-off timer next comes round (up to 30 s): on the browser's `online` event, on any other
 * request of the page getting through (a network that came back without the browser noticing),
 * and when `online` comes while a try is still on its way (it then fails with the old network).
 * The clock is vitest's fake one and the network a switch the case turns: no sleeps.
 */
import 'fake-indexeddb/auto';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { type TeamSession, teamRequest } from '../../storage/teamServer.ts';
import { deleteDecisionOutbox } from '../../storage/testing/decisionOutbox.ts';
import { useDecisionOutbox } from './useDecisionOutbox.ts';

/** How soon a resend must start once the server can be reached. */
const RESEND_WITHIN_MS = 2_000;
/** Long enough offline for the back-off to reach its longest wait (1 + 2 + 4 + 8 + 16 s). */
const LONG_OUTAGE_MS = 31_000;

/** A page's session over a network the case switches; each decision post is counted. */
function network() {
  const net = {
    up: false,
    /** the next decision post hangs until the case fails it (a request caught by the cut) */
    hangNext: false,
    hung: undefined as (() => void) | undefined,
    posts: 0,
    recorded: [] as string[],
  };
  const session: TeamSession = {
    base: '',
    csrfToken: 'token-1',
    fetchImpl: async (_input, init = {}) => {
      if (init.method === 'POST') {
        net.posts += 1;
        if (net.hangNext) {
          net.hangNext = false;
          await new Promise<void>((_, fail) => {
            net.hung = () => fail(new TypeError('Failed to fetch'));
          });
        }
      }
      if (!net.up) throw new TypeError('Failed to fetch');
      if (init.method !== 'POST') return Response.json({ ok: true });
      const [decision] = (JSON.parse(String(init.body)) as { decisions: Decision[] }).decisions;
      net.recorded.push(decision?.id ?? '');
      return Response.json(
        {
          decisions: [
            { seq: net.recorded.length, recordId: 1, receivedAt: '2026-03-02T09:00:00Z', decision },
          ],
        },
        { status: 201 },
      );
    },
  };
  return { net, session };
}

beforeEach(async () => {
  await deleteDecisionOutbox();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The hook over `session`, with one decision added while the network is down for a long while. */
async function decidedOffline(session: TeamSession, net: { posts: number }) {
  const hook = renderHook(() => useDecisionOutbox(session, 'p1', 'rv1'));
  await vi.waitFor(() => expect(hook.result.current.outbox).toBeDefined());
  await act(async () => {
    await hook.result.current.outbox?.add(fixtureDecision('d1', 'MRN-1', 'accept'));
  });
  await vi.waitFor(() => expect(hook.result.current.state.offline).toBe(true));
  await act(() => vi.advanceTimersByTimeAsync(LONG_OUTAGE_MS));
  expect(net.posts, 'tried with back-off while down').toBeGreaterThan(3);
  return hook;
}

describe('the review screen’s outbox when the network comes back', () => {
  it('resends on the browser’s online event within 2 s', async () => {
    const { net, session } = network();
    const hook = await decidedOffline(session, net);
    net.up = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(RESEND_WITHIN_MS);
    });
    expect(net.recorded).toEqual(['d1']);
    await vi.waitFor(() => expect(hook.result.current.state.sent).toHaveLength(1));
    hook.unmount();
  });

  it('resends within 2 s when another request of the page gets through, with no online event', async () => {
    const { net, session } = network();
    const hook = await decidedOffline(session, net);
    net.up = true;
    await act(async () => {
      await teamRequest(session, 'GET', '/api/projects');
      await vi.advanceTimersByTimeAsync(RESEND_WITHIN_MS);
    });
    expect(net.recorded).toEqual(['d1']);
    await vi.waitFor(() => expect(hook.result.current.state.sent).toHaveLength(1));
    hook.unmount();
  });

  it('resends at once when the online event came while a try was on its way', async () => {
    const { net, session } = network();
    const hook = await decidedOffline(session, net);
    // the next try is caught by the cut: it hangs until the network comes back, then fails
    net.hangNext = true;
    await act(() => vi.advanceTimersByTimeAsync(LONG_OUTAGE_MS));
    expect(net.hung, 'a try on its way').toBeDefined();
    net.up = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      net.hung?.();
      await vi.advanceTimersByTimeAsync(RESEND_WITHIN_MS);
    });
    expect(net.recorded).toEqual(['d1']);
    await vi.waitFor(() => expect(hook.result.current.state.sent).toHaveLength(1));
    hook.unmount();
  });
});
