/**
 * The open project's conflicting shared records, published by the shared-records bar (which owns
 * the project's sync) for the forms that show each record: a conflict is told beside the field it
 * concerns, and the bar at the top keeps a summary that leads there. A form marks where a record
 * is shown while it is on screen, so the bar knows which conflicts have a place of their own.
 *
 * A small external store (one project is open at a time), read through `useSyncExternalStore`.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { type RecordConflict, recordKey, type SharedRecordKind } from '../../core/teamRecords/index.ts';

/** What the bar publishes: the conflicts waiting for a choice, and the way to settle one. */
export interface PublishedConflicts {
  conflicts: readonly RecordConflict[];
  settle(key: string, choice: 'mine' | 'theirs'): Promise<void>;
}

const NONE: PublishedConflicts = { conflicts: [], settle: async () => {} };
let published: PublishedConflicts = NONE;
/** record key → how many places on screen show it now */
const placed = new Map<string, number>();
let placedVersion = 0;
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Publishes the open project's conflicts (the bar, on each change); `undefined` clears them. */
export function publishConflicts(next: PublishedConflicts | undefined): void {
  published = next ?? NONE;
  notify();
}

/** The element id of the place that shows a record's conflict, for the bar's link to it. */
export const conflictPlaceId = (kind: SharedRecordKind, id: string) => `conflict-${kind}-${id}`;

/** The conflict of record `kind`/`id`, with the way to settle it; undefined when there is none. */
export function useRecordConflict(
  kind: SharedRecordKind,
  id: string,
): { conflict: RecordConflict; settle: PublishedConflicts['settle'] } | undefined {
  const current = useSyncExternalStore(subscribe, () => published);
  const conflict = current.conflicts.find((c) => c.mine.kind === kind && c.mine.id === id);
  return conflict === undefined ? undefined : { conflict, settle: current.settle };
}

/** Marks record `kind`/`id` as shown on screen while the calling component is mounted. */
export function useRecordPlace(kind: SharedRecordKind, id: string): void {
  useEffect(() => {
    const key = recordKey({ kind, id });
    placed.set(key, (placed.get(key) ?? 0) + 1);
    placedVersion += 1;
    notify();
    return () => {
      const left = (placed.get(key) ?? 1) - 1;
      if (left === 0) placed.delete(key);
      else placed.set(key, left);
      placedVersion += 1;
      notify();
    };
  }, [kind, id]);
}

/** Whether a place on screen shows the record of `conflict` now (re-read when places change). */
export function usePlacedTest(): (conflict: RecordConflict) => boolean {
  useSyncExternalStore(subscribe, () => placedVersion);
  return (conflict) => placed.has(recordKey(conflict.mine));
}
