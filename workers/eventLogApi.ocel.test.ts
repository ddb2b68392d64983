/**
 * The event-log worker keeps an object-centric log as read from its preview on: choosing an object
 * type, and then another, flattens the kept log instead of reading the file again (one progress
 * report at the file's size); another file, or the same name changed since, is read.
 */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../src/core/jobs/progress.ts';
import { createEventLogApi, type EventLogWorkerApi } from './eventLogApi.ts';
import { discoverInPool, previewInPool } from './eventLogClient.ts';
import { fakePools } from './testing/fakePools.ts';

const { createPool } = fakePools<EventLogWorkerApi>('event log', createEventLogApi);

/** An OCEL 2.0 JSON log of over 2 MiB (several chunks): orders and their items, made up here. */
function bigOcel(): string {
  const objects = Array.from({ length: 2000 }, (_, k) => ({
    id: `o${k}`,
    type: k % 4 === 0 ? 'Order' : 'Item',
  }));
  const events = Array.from({ length: 12_000 }, (_, k) => ({
    id: `e${k}`,
    type: ['Place', 'Pick', 'Pack', 'Ship'][k % 4],
    time: new Date(Date.UTC(2026, 0, 5) + k * 60_000).toISOString(),
    attributes: [{ name: 'note', value: 'x'.repeat(80) }],
    relationships: [
      { objectId: `o${(k * 4) % 2000}`, qualifier: 'order' },
      { objectId: `o${(k * 4 + 1 + (k % 3)) % 2000}`, qualifier: 'item' },
    ],
  }));
  return JSON.stringify({ objectTypes: [], eventTypes: [], objects, events });
}

describe('an OCEL log kept in the event-log worker', () => {
  it('flattens the kept log for each object type chosen, reading the file once', async () => {
    const pool = createPool();
    const text = bigOcel();
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const file = new File([text], 'orders.jsonocel', { lastModified: 1_700_000_000_000 });
    const preview = await previewInPool(pool, file, file.name);
    if (!preview.ok) throw new Error(preview.message);
    const discover = async (objectType: string, which: File = file) => {
      const seen: Progress[] = [];
      const outcome = await discoverInPool(
        pool,
        which,
        which.name,
        { mapping: { ...preview.preview.proposal, case: objectType }, timeZone: 'UTC' },
        { onProgress: (p) => seen.push(p) },
      );
      if (!outcome.ok) throw new Error(outcome.message);
      return { outcome, seen };
    };
    const orders = await discover('Order');
    expect(orders.seen).toHaveLength(1);
    expect(orders.seen[0]).toMatchObject({ done: file.size, total: file.size });
    expect(orders.outcome.reading).toMatchObject({ cases: 500, events: 12_000 });
    const items = await discover('Item');
    expect(items.seen).toHaveLength(1);
    expect(items.outcome.reading).toMatchObject({ cases: 1500, events: 12_000 });
    // the same name changed since: read again, chunk by chunk
    const changed = new File([text], 'orders.jsonocel', { lastModified: 1_700_000_000_001 });
    const again = await discover('Order', changed);
    expect(again.seen.length).toBeGreaterThan(1);
    expect(again.outcome.reading).toEqual(orders.outcome.reading);
  });
});
