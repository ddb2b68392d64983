/**
 * Random concurrent editing of one shared workflow by two or three people, each going offline
 * and back at random, their syncs interleaved at random (fast-check prints a replayable seed on
 * failure; pin it as a regression case):
 * - once everyone has synced, every copy shows the same workflow, the server's;
 * - when each person edits only their own steps, every edit is in that workflow: their steps and
 *   the flows between them are exactly what their own edits alone make of the workflow as shared
 *   (fields set, steps added and flows drawn there; steps removed gone);
 * - with edits that collide (the same step, one removing it), the merged workflow is still one the
 *   analysis reads (its problems are findings), and a removed step never comes back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { applyEdit, type WorkflowEdit } from '../edit/changes.ts';
import { SharedWorkflowCopy } from './session.ts';
import { MemoryServer } from './testing/memoryServer.ts';

const PEOPLE = ['ana', 'ben', 'cat'] as const;
const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** One thing a person does: edit (a recipe picked against their copy), sync, or go on/offline. */
const action = fc.record({
  who: fc.nat(2),
  what: fc.constantFrom('edit', 'edit', 'edit', 'sync', 'toggle-network'),
  op: fc.nat(5),
  pick: fc.nat(20),
  n: fc.integer({ min: 0, max: 60 }),
});
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

let added = 0;

/** The edit a recipe makes on `w`, limited to `own` steps when given (the steps this person owns). */
function editOf(
  w: Workflow,
  a: Action,
  who: string,
  own?: (id: string) => boolean,
): WorkflowEdit | undefined {
  const candidates = w.steps.filter((s) => own === undefined || own(s.id));
  const step = candidates[a.pick % Math.max(1, candidates.length)];
  const flow = w.flows.filter((f) => own === undefined || (own(f.from) && own(f.to)))[a.pick % 7];
  switch (a.op) {
    case 0:
      return step && { type: 'step/update', id: step.id, patch: { touchMin: a.n } };
    case 1:
      return step && { type: 'step/update', id: step.id, patch: { label: `${who} ${a.n}`, clicks: a.n } };
    case 2: {
      const id = `${who}-new-${++added}`;
      const lane = w.lanes[a.n % w.lanes.length]?.id ?? 'desk';
      const edits: WorkflowEdit[] = [
        {
          type: 'step/add',
          step: {
            id,
            label: `New ${a.n}`,
            lane,
            kind: 'task',
            medium: 'digital',
            system: 'EHR',
            touchMin: a.n,
            waitMin: 0,
            clicks: 0,
            enters: [],
          },
        },
      ];
      if (step) edits.push({ type: 'flow/add', flow: { from: step.id, to: id, transfer: 'none' } });
      return { type: 'batch', edits };
    }
    case 3:
      return step && { type: 'step/remove', id: step.id };
    case 4:
      return flow && { type: 'flow/update', from: flow.from, to: flow.to, patch: { transfer: 'manual' } };
    default:
      return step && { type: 'step/update', id: step.id, patch: { enters: [`item-${a.n}`] } };
  }
}

/** Runs `actions` against one server; returns the server, the copies and who owns what. */
async function run(actions: Action[], people: number, ownSteps: boolean) {
  const base = fixtureWorkflow();
  const server = new MemoryServer(base);
  const names = PEOPLE.slice(0, people);
  const online = names.map(() => true);
  const copies = names.map((name) => SharedWorkflowCopy.opened(name, base, 0));
  // ownership: base steps dealt round the people, and each person's own new steps
  const owner = (id: string): number => {
    const at = base.steps.findIndex((s) => s.id === id);
    if (at >= 0) return at % people;
    return names.findIndex((name) => id.startsWith(`${name}-`));
  };
  const removedBy = names.map(() => new Set<string>());
  const editsBy = names.map((): WorkflowEdit[] => []);
  for (const a of actions) {
    const i = a.who % people;
    const copy = copies[i] as SharedWorkflowCopy;
    const transport = server.transport(names[i] as string, () => online[i] as boolean);
    if (a.what === 'toggle-network') online[i] = !online[i];
    else if (a.what === 'sync') await copy.sync(transport).catch(() => undefined);
    else {
      const edit = editOf(
        copy.workflow,
        a,
        names[i] as string,
        ownSteps ? (id) => owner(id) === i : undefined,
      );
      if (edit === undefined) continue;
      const next = applyEdit(copy.workflow, edit).workflow;
      if (edit.type === 'step/remove') removedBy[i]?.add(edit.id);
      editsBy[i]?.push(edit);
      copy.change(next);
    }
  }
  // everyone back online: push what waits, then hear the rest
  for (const [i, copy] of copies.entries()) await copy.sync(server.transport(names[i] as string));
  for (const [i, copy] of copies.entries()) await copy.sync(server.transport(names[i] as string));
  return { base, server, copies, owner, removedBy, editsBy };
}

describe('shared workflow sync, random concurrent edits', () => {
  it('converges and keeps every edit when people edit their own steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(action, { maxLength: 40 }),
        async (people, actions) => {
          const { base, server, copies, owner, editsBy } = await run(actions, people, true);
          for (const copy of copies) {
            expect(copy.workflow).toEqual(server.document);
            expect(copy.pending).toEqual([]);
          }
          // each person's intent: their own edits alone, on the workflow as shared
          for (const [i, edits] of editsBy.entries()) {
            const intended = edits.reduce((w, edit) => applyEdit(w, edit).workflow, base);
            const mine = (w: Workflow) => ({
              steps: w.steps.filter((s) => owner(s.id) === i).sort(byId),
              flows: w.flows
                .filter((f) => owner(f.from) === i && owner(f.to) === i)
                .sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)),
            });
            expect(mine(server.document), PEOPLE[i]).toEqual(mine(intended));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('converges with colliding edits and removals, to a workflow the analysis reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(action, { maxLength: 40 }),
        async (people, actions) => {
          const { server, copies, removedBy } = await run(actions, people, false);
          for (const copy of copies) expect(copy.workflow).toEqual(server.document);
          for (const removed of removedBy)
            for (const id of removed) expect(server.document.steps.some((s) => s.id === id)).toBe(false);
          expect(() => analyzeWorkflow(server.document)).not.toThrow();
        },
      ),
      { numRuns: 60 },
    );
  });
});
