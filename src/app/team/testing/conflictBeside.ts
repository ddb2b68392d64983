/**
 * A colleague's change made first to one shared record, published as the shared-records bar
 * publishes it, and the checks every form's test makes of where and how it is told: inside the
 * form that holds the record, before the field it concerns, in words with their value and yours,
 * never JSON. One set-up for every form, so what "told beside" means cannot drift between them.
 * Test-only: imported by *.test.tsx files.
 */
import { act, within } from '@testing-library/react';
import { expect, onTestFinished } from 'vitest';
import type { RecordConflict, SharedRecordKind } from '../../../core/teamRecords/index.ts';
import { publishConflicts } from '../recordConflicts.ts';

/** Who changed the record first in these tests. */
export const FIRST = 'Dana Data';

/**
 * Publishes a conflict on record `kind`/`id`: `mine` as this browser holds it, `theirs` as
 * {@link FIRST} left it on the server. Unpublished when the test ends. Returns the choices made.
 */
export function publishConflict(
  kind: SharedRecordKind,
  id: string,
  mine: unknown,
  theirs: unknown,
): [string, 'mine' | 'theirs'][] {
  const settled: [string, 'mine' | 'theirs'][] = [];
  const conflict = {
    mine: { kind, id, body: mine, sha256: 'a'.repeat(64), base: 1 },
    theirs: {
      kind,
      id,
      version: 2,
      body: theirs,
      sha256: 'b'.repeat(64),
      by: FIRST,
      at: '2026-11-27T09:15:00.000Z',
    },
  } as unknown as RecordConflict;
  act(() =>
    publishConflicts({
      conflicts: [conflict],
      settle: async (key, choice) => {
        settled.push([key, choice]);
      },
    }),
  );
  onTestFinished(() => act(() => publishConflicts(undefined)));
  return settled;
}

/**
 * The conflict told in `form`, checked: inside it, before `field` (the first field it concerns),
 * naming the record as `what`, and in words, never JSON. Returns its rows (what differs, their
 * value, yours) for the test's own checks.
 */
export function conflictBeside(form: HTMLElement, field: HTMLElement, what: string): string[][] {
  const places = within(form).getAllByTestId('conflict-beside');
  expect(places).toHaveLength(1);
  const place = places[0] as HTMLElement;
  expect(form.contains(field)).toBe(true);
  expect(place.contains(field)).toBe(false);
  // before the field it concerns, in the order a reader (and a screen reader) meets them
  expect(place.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  expect(place.textContent).toContain(
    `${FIRST} changed the ${what} on the team server (2026-11-27 09:15 UTC)`,
  );
  expect(place.textContent).not.toMatch(/[{}"]/);
  within(place).getByRole('button', { name: 'Keep my version' });
  within(place).getByRole('button', { name: `Keep ${FIRST}’s version` });
  return within(place)
    .getAllByRole('row')
    .slice(1)
    .map((r) => [...r.children].map((c) => c.textContent ?? ''));
}
