/**
 * savedSignoff: an export waits for the pending save and is made from the project the save wrote,
 * with the chain read after it; a change made during the wait is waited for in turn.
 */
import { describe, expect, it } from 'vitest';
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import {
  EXPORT_CHAIN_UNREADABLE,
  EXPORT_KEEPS_CHANGING,
  EXPORT_NOT_SAVED,
  EXPORT_REVIEW_GONE,
  NotSavedError,
  savedReview,
  savedSignoff,
} from './savedSignoff.ts';

/** A project told apart by its name (savedSignoff compares identity, never content). */
const project = (name: string, reviews: string[] = []): Project =>
  ({ meta: { name }, reviews: reviews.map((id) => ({ id })) }) as unknown as Project;
const entry = (seq: number): ChainEntry => ({ seq }) as unknown as ChainEntry;

/**
 * A page whose save resolves at once; `changes` are applied one per save (null: none), as a
 * decision typed while the save ran. `stored` is the chain storage holds after `n` saves.
 */
function page(options: { changes?: (Project | null)[]; failSave?: boolean; failRead?: boolean }) {
  const log: string[] = [];
  let now = project('on screen');
  let saves = 0;
  const changes = [...(options.changes ?? [])];
  return {
    log,
    actions: {
      current: () => now,
      saved: async () => {
        log.push(`save ${now.meta.name}`);
        if (options.failSave) throw new Error('storage full');
        saves += 1;
        const next = changes.shift();
        if (next) now = next;
      },
      auditLog: async () => {
        log.push('read');
        if (options.failRead) throw new Error('closed');
        return Array.from({ length: saves }, (_, i) => entry(i));
      },
    },
  };
}

describe('savedSignoff', () => {
  it.each<{
    name: string;
    options: Parameters<typeof page>[0];
    expected: { project: string; entries: number; log: string[] } | string;
  }>([
    {
      name: 'waits for the save, then reads the chain of what it wrote',
      options: {},
      expected: { project: 'on screen', entries: 1, log: ['save on screen', 'read'] },
    },
    {
      name: 'a change made during the wait is saved in turn and exported',
      options: { changes: [project('one more decision'), null] },
      expected: {
        project: 'one more decision',
        entries: 2,
        log: ['save on screen', 'read', 'save one more decision', 'read'],
      },
    },
    {
      name: 'what keeps changing is refused',
      options: { changes: [project('a'), project('b'), project('c')] },
      expected: EXPORT_KEEPS_CHANGING,
    },
    { name: 'a save that fails is said', options: { failSave: true }, expected: EXPORT_NOT_SAVED },
    {
      name: 'a chain that cannot be read is said',
      options: { failRead: true },
      expected: EXPORT_CHAIN_UNREADABLE,
    },
  ])('$name', async ({ options, expected }) => {
    const { actions, log } = page(options);
    const made = await savedSignoff(actions, project('stale')).then(
      (saved) => ({ project: saved.project.meta.name, entries: saved.entries.length, log }),
      (error: unknown) => (error instanceof NotSavedError ? error.message : `unexpected: ${error}`),
    );
    expect(made).toEqual(expected);
  });

  it('without a way to know the save, uses the project on screen and the chain as read', async () => {
    const shown = project('on screen');
    const saved = await savedSignoff({ auditLog: async () => [entry(0)] }, shown);
    expect(saved.project).toBe(shown);
    expect(saved.entries).toHaveLength(1);
  });

  it('finds the review in the stored project, or says it is gone', () => {
    const saved = { project: project('p', ['r1']), entries: [] };
    expect(savedReview(saved, 'r1').id).toBe('r1');
    expect(() => savedReview(saved, 'r2')).toThrow(EXPORT_REVIEW_GONE);
  });
});
