/**
 * The decision outbox at machine speed: random interleavings of decisions added, sends answered
 * (recorded, refused, failed before the server, answer lost after it recorded), waits between
 * tries ended, the network going and coming back, and reloads (a new outbox over the same storage
 * while the old one's request may still land). Every send and wait is a promise the test resolves,
 * never a timer. The fake server takes a decision by its id, as the team server does.
 * A failing run prints fast-check's seed and path: pass them as `{ seed, path }` to replay it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDecisionOutbox,
  type DecisionOutbox,
  type OutboxStorage,
  type RefusedItem,
  type SendOutcome,
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
  | { kind: 'network'; online: boolean };

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
);

/** Lets every promise chain the last step started run to where it waits on the test. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One run of `steps`; throws on the first broken rule. */
async function run(steps: readonly Step[]): Promise<void> {
  const storage = memoryStorage();
  // the server: what it recorded, in its order, taken by id
  const recorded: Item[] = [];
  const record = (item: Item): SendOutcome<string> => {
    if (item.refuse) return { kind: 'refused', message: `refused ${item.id}` };
    if (!recorded.some((r) => r.id === item.id)) recorded.push(item);
    return { kind: 'recorded', recorded: item.id };
  };
  // requests on the wire (a reloaded page's too) and waits between tries
  const wire: { item: Item; generation: number; answer: (o: SendOutcome<string>) => void }[] = [];
  let waits: (() => void)[] = [];
  let online = true;
  let generation = 0;
  const made: Item[] = [];

  const open = (): DecisionOutbox<Item, string> => {
    generation += 1;
    const mine = generation;
    return createDecisionOutbox<Item, string>({
      storage,
      send: (item) => {
        const inFlight = wire.filter((w) => w.generation === mine).length;
        if (inFlight > 0) throw new Error(`outbox ${mine} sent ${item.id} with another in flight`);
        if (!online) return Promise.resolve({ kind: 'unreachable', message: 'offline' });
        return new Promise((answer) => wire.push({ item, generation: mine, answer }));
      },
      wait: () => new Promise<void>((resolve) => waits.push(resolve)),
    });
  };
  const answer = (at: number, outcome: 'ok' | 'fail' | 'lost') => {
    const [call] = wire.splice(at, 1);
    if (!call) return;
    if (outcome === 'fail') call.answer({ kind: 'unreachable', message: 'no answer' });
    else {
      const said = record(call.item);
      call.answer(outcome === 'ok' ? said : { kind: 'unreachable', message: 'answer lost' });
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
    }
    await settle();
  }

  // the network stays up: everything is answered until nothing waits
  online = true;
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

  it('keeps every decision, once and in order, under any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), (steps) => run(steps)),
      { numRuns: 150 },
    );
  });
});
