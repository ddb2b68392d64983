// @vitest-environment jsdom
/**
 * The reviewer's outbox on this computer (IndexedDB through src/storage/decisionOutboxStore.ts):
 * kept in the order made, per review, once each; a refusal kept with its words; and what an
 * earlier version left waiting in local storage moved in, not lost and not doubled.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { createDecisionOutboxStore } from '../../storage/decisionOutboxStore.ts';
import { deleteDecisionOutbox } from '../../storage/testing/decisionOutbox.ts';
import { legacyQueueKey, serverOutboxStorage } from './serverReviews.ts';

const store = createDecisionOutboxStore();
afterEach(async () => {
  localStorage.clear();
  await deleteDecisionOutbox();
});

describe('the decision outbox on this computer', () => {
  it('keeps decisions in the order made, per review, once each, and a refusal with its words', async () => {
    const one = serverOutboxStorage(store, 'p1', 'rv1');
    const other = serverOutboxStorage(store, 'p1', 'rv2');
    for (const id of ['d3', 'd1', 'd2']) await one.add(fixtureDecision(id));
    await one.add(fixtureDecision('d1'));
    await other.add(fixtureDecision('x1'));
    await one.refuse('d1', 'Its id is already used by another decision.');
    await one.remove('d3');
    expect(await one.load()).toEqual({
      pending: [fixtureDecision('d2')],
      refused: [{ item: fixtureDecision('d1'), message: 'Its id is already used by another decision.' }],
    });
    expect((await other.load()).pending.map((d) => d.id)).toEqual(['x1']);
  });

  it('moves what an earlier version left in local storage into the outbox: none lost, none doubled', async () => {
    const key = legacyQueueKey('p1', 'rv1');
    localStorage.setItem(
      key,
      JSON.stringify([fixtureDecision('old1'), fixtureDecision('old2'), { not: 'one' }]),
    );
    const storage = serverOutboxStorage(store, 'p1', 'rv1');
    expect((await storage.load()).pending.map((d) => d.id)).toEqual(['old1', 'old2']);
    expect(localStorage.getItem(key), 'moved, not copied').toBeNull();
    await storage.add(fixtureDecision('new1'));
    expect((await serverOutboxStorage(store, 'p1', 'rv1').load()).pending.map((d) => d.id)).toEqual([
      'old1',
      'old2',
      'new1',
    ]);
  });
});
