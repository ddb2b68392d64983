/**
 * The decision outbox at machine speed: random interleavings of decisions added, sends answered
 * (recorded, refused, failed before the server, answer lost after it recorded), waits between
 * tries ended, the network going and coming back, reloads (a new outbox over the same storage
 * while the old one's request may still land), and the reviewer's sign-in ending and made again
 * (a new session with a new token, which the page hears of at once or only when the server turns
 * the old token away). Every send and wait is a promise the test resolves, never a timer. The fake
 * server takes a decision by its id, and checks the session and its token, as the team server does.
 * A failing run prints fast-check's seed and path: pass them as `{ seed, path }` to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDecisionOutbox,
  type DecisionOutbox,
  type OutboxStorage,
  type PostOutcome,
  type RefusedItem,
  renewingSender,
} from './decisionOutbox.ts';

interface Item {
  id: string;
  /** the server refuses it, every time */
  refuse: boolean;
}

/** The storage a reload keeps: an ordered map, each write resolving a turn later. */
function memoryStorage(): OutboxStorage<Item> & { kept: Map<string, { item: Item; refused?: string }> } {
  const kept = new Map<string, { item: Item; refused?: string }>();
  const later = () => Promise.resolve();
  return {
    kept,
    async load() {
      await later();
      const pending: Item[] = [];
      const refused: RefusedItem<Item>[] = [];
      for (const { item, refused: message } of kept.values())
        if (message === undefined) pending.push(item);
        else refused.push({ item, message });
      return { pending, refused };
    },
    async add(item) {
      await later();
      if (!kept.has(item.id)) kept.set(item.id, { item });
    },
    async remove(id) {
      await later();
      kept.delete(id);
    },
    async refuse(id, message) {
      await later();
      const entry = kept.get(id);
      if (entry) entry.refused = message;
    },
  };
}

type Step =
  | { kind: 'add'; refuse: boolean }
  | { kind: 'answer'; pick: number; outcome: 'ok' | 'fail' | 'lost' }
  | { kind: 'retry' }
  | { kind: 'reload' }
  | { kind: 'network'; online: boolean }
  /** the sign-in ends (idle time-out) */
  | { kind: 'session-end' }
  /** she signs in again (a new session, a new token); `told`: the page hears of it at once */
  | { kind: 'sign-in'; told: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), refuse: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick: fc.nat(3),
      outcome: fc.constantFrom('ok' as const, 'ok' as const, 'fail' as const, 'lost' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'retry' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('network' as const), online: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'session-end' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sign-in' as const), told: fc.boolean() }) },
);

/** Lets every promise chain the last step started run to where it waits on the test. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One run of `steps`; throws on the first broken rule. */
async function run(steps: readonly Step[]): Promise<void> {
  const storage = memoryStorage();
  // the server: what it recorded, in its order, taken by id; its session and that session's token
  const recorded: Item[] = [];
  let live = true;
  let serverToken = 1;
  /** the token the page holds (what it sends) */
  let pageToken = 1;
  const record = (item: Item, token: number): PostOutcome<string> => {
    if (!live) return { kind: 'signed-out', message: 'sign in again' };
    if (token !== serverToken) return { kind: 'token-refused', message: 'wrong token' };
    if (item.refuse) return { kind: 'refused', message: `refused ${item.id}` };
    if (!recorded.some((r) => r.id === item.id)) {
      recorded.push(item);
    }
    return { kind: 'recorded', recorded: item.id };
  };
  // requests on the wire (a reloaded page's too) and waits between tries
  const wire: {
    item: Item;
    token: number;
    generation: number;
    answer: (o: PostOutcome<string>) => void;
  }[] = [];
  let waits: (() => void)[] = [];
  let online = true;
  let generation = 0;
  const made: Item[] = [];

  const open = (): DecisionOutbox<Item, string> => {
    generation += 1;
    const mine = generation;
    return createDecisionOutbox<Item, string>({
      storage,
      send: renewingSender<Item, string>({
        post: (item) => {
          const inFlight = wire.filter((w) => w.generation === mine).length;
          if (inFlight > 0) throw new Error(`outbox ${mine} sent ${item.id} with another in flight`);
          if (!online) return Promise.resolve({ kind: 'unreachable', message: 'offline' });
          return new Promise((answer) => wire.push({ item, token: pageToken, generation: mine, answer }));
        },
        // the page asks who is signed in: the live session's token, or none
        renew: async () => {
          if (!live) return false;
          pageToken = serverToken;
          return true;
        },
        signInAgain: 'sign in again',
      }),
      wait: () => new Promise<void>((resolve) => waits.push(resolve)),
    });
  };
  const answer = (at: number, outcome: 'ok' | 'fail' | 'lost') => {
    const [call] = wire.splice(at, 1);
    if (!call) return;
    if (outcome === 'fail') call.answer({ kind: 'unreachable', message: 'no answer' });
    else {
      const said = record(call.item, call.token);
      call.answer(outcome === 'ok' ? said : { kind: 'unreachable', message: 'answer lost' });
    }
  };
  const signIn = (told: boolean) => {
    live = true;
    serverToken += 1;
    if (told) {
      // the app's news of a new session: the page holds its token, and what waits goes now
      pageToken = serverToken;
      void outbox.flush();
    }
  };

  let outbox = open();
  await settle();
  for (const s of steps) {
    switch (s.kind) {
      case 'add': {
        const item = { id: `d${made.length + 1}`, refuse: s.refuse };
        await outbox.add(item);
        made.push(item);
        break;
      }
      case 'answer':
        if (wire.length > 0) answer(s.pick % wire.length, s.outcome);
        break;
      case 'retry':
        for (const resolve of waits) resolve();
        waits = [];
        break;
      case 'reload':
        outbox.destroy();
        outbox = open();
        break;
      case 'network':
        online = s.online;
        if (online) void outbox.flush();
        break;
      case 'session-end':
        live = false;
        break;
      case 'sign-in':
        signIn(s.told);
        break;
    }
    await settle();
  }

  // the network stays up, and she is signed in (again, if her sign-in ended): everything is
  // answered until nothing waits
  online = true;
  // (signed in elsewhere meanwhile, the page hears of it: it asks who is signed in on its return)
  if (!live) signIn(true);
  pageToken = serverToken;
  void outbox.flush();
  for (let round = 0; round < 4 * (made.length + wire.length) + 10; round += 1) {
    await settle();
    if (wire.length === 0 && waits.length === 0 && outbox.state().pending.length === 0) break;
    while (wire.length > 0) answer(0, 'ok');
    for (const resolve of waits) resolve();
    waits = [];
  }
  await settle();

  const state = outbox.state();
  expect(state.pending, 'nothing left waiting').toEqual([]);
  expect(
    recorded.map((r) => r.id),
    'each decision the server takes, once, in the order made',
  ).toEqual(made.filter((m) => !m.refuse).map((m) => m.id));
  expect(state.signedOut, 'nothing held for a sign-in').toBe('');
  expect(
    state.refused.map((r) => r.item.id),
    'each refused one kept with its words',
  ).toEqual(made.filter((m) => m.refuse).map((m) => m.id));
  expect(
    [...storage.kept.values()].every((k) => k.refused !== undefined),
    'nothing else kept',
  ).toBe(true);
  outbox.destroy();
}

describe('the decision outbox', () => {
  it('sends a decision added while another is in flight', async () => {
    await run([
      { kind: 'add', refuse: false },
      { kind: 'add', refuse: false },
      { kind: 'answer', pick: 0, outcome: 'ok' },
      { kind: 'add', refuse: false },
    ]);
  });

  it('sends again after a lost answer, and after a reload, without a second entry', async () => {
    await run([
      { kind: 'add', refuse: false },
      { kind: 'add', refuse: false },
      { kind: 'answer', pick: 0, outcome: 'lost' },
      { kind: 'reload' },
      { kind: 'answer', pick: 1, outcome: 'ok' },
    ]);
  });

  it('keeps a decision made after her sign-in ended, and sends it once she signs in again', async () => {
    await run([
      { kind: 'session-end' },
      { kind: 'add', refuse: false },
      { kind: 'answer', pick: 0, outcome: 'ok' },
      { kind: 'sign-in', told: true },
      { kind: 'answer', pick: 0, outcome: 'ok' },
    ]);
  });

  it('fetches the new session’s token when the server turns the old one away', async () => {
    await run([
      { kind: 'session-end' },
      { kind: 'add', refuse: false },
      { kind: 'answer', pick: 0, outcome: 'ok' },
      // signed in in another tab: this page still holds the old token when it tries again
      { kind: 'sign-in', told: false },
      { kind: 'network', online: true },
      { kind: 'answer', pick: 0, outcome: 'ok' },
      { kind: 'answer', pick: 0, outcome: 'ok' },
    ]);
  });

  it('keeps every decision, once and in order, under any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), (steps) => run(steps)),
      { numRuns: 200 },
    );
  });
});
