/**
 * Random edit sequences through the history engine (fast-check prints a replayable seed on
 * failure; pin it as a regression case):
 * - undoing every edit walks back through exactly the workflows seen on the way, to the start;
 * - redoing every edit gives the final workflow again;
 * - a refused edit changes nothing;
 * - no workflow on the way is one the format loader refuses, except for the drafts it only
 *   warns about inside a project (branch probabilities that do not sum to 1).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { loadWorkflow, type Step, type Workflow } from '../../../formats/workflow.ts';
import { FLOW_TRANSFERS, STEP_KINDS, STEP_MEDIA, type WorkflowEdit, WorkflowEditError } from './changes.ts';
import { createEditHistory } from './history.ts';

/** A recipe picks existing items by index modulo their count, so most realised edits apply. */
interface Recipe {
  op: number;
  a: number;
  b: number;
  n: number;
  text: string;
  flag: boolean;
}

const recipe = fc.record({
  op: fc.nat(15),
  a: fc.nat(50),
  b: fc.nat(50),
  // mostly valid numbers, sometimes negative or fractional (refused where they must be)
  n: fc.oneof(fc.integer({ min: -2, max: 30 }), fc.double({ min: -1, max: 2, noNaN: true })),
  text: fc.oneof(fc.constantFrom('', 'EHR', 'allergies', 'x'), fc.string({ maxLength: 6 })),
  flag: fc.boolean(),
});

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

let counter = 0;

function realise(w: Workflow, r: Recipe): WorkflowEdit {
  const step = pick(w.steps, r.a);
  const other = pick(w.steps, r.b);
  const lane = pick(w.lanes, r.a);
  const flow = pick(w.flows, r.b);
  const id = `n${counter++}`;
  const newStep = (laneId: string): Step => ({
    id,
    label: r.text || 'Step',
    lane: laneId,
    kind: pick(STEP_KINDS, r.b) ?? 'task',
    medium: pick(STEP_MEDIA, r.a) ?? 'digital',
    system: r.text,
    touchMin: Math.abs(r.n),
    waitMin: 0,
    clicks: 0,
    enters: r.text ? [r.text] : [],
    ...(r.flag ? { position: { x: r.a * 10, y: r.b * 10 } } : {}),
  });
  switch (r.op) {
    case 0:
      return { type: 'step/add', step: newStep(lane?.id ?? 'missing'), index: r.flag ? r.b : undefined };
    case 1:
      return {
        type: 'step/update',
        id: step?.id ?? 'missing',
        patch: { touchMin: r.n, waitMin: Math.abs(r.n) },
      };
    case 2:
      return {
        type: 'step/update',
        id: step?.id ?? 'missing',
        patch: { label: r.text, notes: r.flag ? r.text : null, position: r.flag ? { x: r.n, y: r.a } : null },
      };
    case 3:
      return {
        type: 'step/update',
        id: step?.id ?? 'missing',
        patch: { lane: lane?.id ?? 'missing', clicks: r.n },
      };
    case 4:
      return {
        type: 'step/update',
        id: step?.id ?? 'missing',
        patch: { replaces: r.flag ? [r.text || 'form'] : null, enters: [r.text] },
      };
    case 5:
      return { type: 'step/remove', id: step?.id ?? 'missing' };
    case 6:
      return {
        type: 'flow/add',
        flow: {
          from: step?.id ?? 'missing',
          to: other?.id ?? 'missing',
          transfer: pick(FLOW_TRANSFERS, r.a) ?? 'none',
          ...(r.flag ? { probability: r.n } : {}),
        },
        index: r.flag ? r.a : undefined,
      };
    case 7:
      return {
        type: 'flow/update',
        from: flow?.from ?? 'missing',
        to: flow?.to ?? 'missing',
        patch: { probability: r.flag ? r.n : null, transfer: pick(FLOW_TRANSFERS, r.b) },
      };
    case 8:
      return { type: 'flow/remove', from: flow?.from ?? 'missing', to: flow?.to ?? 'missing' };
    case 9:
      return { type: 'lane/add', lane: { id, name: r.text, staff: r.n }, index: r.flag ? r.b : undefined };
    case 10:
      return {
        type: 'lane/update',
        id: lane?.id ?? 'missing',
        patch: { name: r.text || 'Lane', staff: r.n },
      };
    case 11:
      return { type: 'lane/remove', id: lane?.id ?? 'missing' };
    case 12:
      return { type: 'lane/move', id: lane?.id ?? 'missing', index: r.b % 4 };
    case 13:
      return {
        type: 'workflow/update',
        patch: {
          arrivalsPerHour: r.n,
          casesPerDay: r.flag ? Math.abs(r.n) : null,
          goLive: r.flag ? { capacityFactor: r.n, productivityFactor: 0.7 } : null,
        },
      };
    case 14:
      return {
        type: 'workflow/update',
        patch: { retired: r.flag ? [r.text || 'form'] : null, description: r.text },
      };
    default:
      // one gesture of several edits: a step added and connected in the same lane
      return {
        type: 'batch',
        edits: [
          { type: 'step/add', step: newStep(lane?.id ?? 'missing') },
          { type: 'flow/add', flow: { from: step?.id ?? 'missing', to: id, transfer: 'none' } },
        ],
      };
  }
}

/** Problems the loader finds that are not drafts a project keeps (probability sums). */
function structuralProblems(workflow: Workflow): string[] {
  const result = loadWorkflow(workflow);
  if (result.ok) return [];
  return result.problems.filter((p) => p.code !== 'probability-sum').map((p) => `${p.code} at ${p.path}`);
}

/** A demo workflow of samples/ (realistic size, positions, replaces and retired lists). */
function sample(name: string): () => Workflow {
  const text = readFileSync(new URL(`../../../../samples/workflows/${name}.json`, import.meta.url), 'utf8');
  return () => JSON.parse(text) as Workflow;
}

describe('workflow edits (property)', () => {
  it.each([
    { description: 'a current workflow', start: fixtureWorkflow },
    { description: 'a future workflow', start: fixtureFutureWorkflow },
    { description: 'the demo current intake', start: sample('patient-intake.current') },
    { description: 'the demo future lab results', start: sample('lab-results.future') },
  ])('on $description: undo all is identity, redo re-applies, every result loads', ({ start }) => {
    fc.assert(
      fc.property(fc.array(recipe, { minLength: 1, maxLength: 40 }), (recipes) => {
        const initial = start();
        const snapshot = structuredClone(initial);
        const history = createEditHistory({ workflow: initial });
        const seen: Workflow[] = [initial];
        for (const r of recipes) {
          const before = history.workflow();
          const edit = realise(before, r);
          try {
            history.apply(edit);
          } catch (error) {
            if (!(error instanceof WorkflowEditError)) throw error;
            expect(history.workflow()).toBe(before);
            continue;
          }
          expect(structuralProblems(history.workflow())).toEqual([]);
          seen.push(history.workflow());
        }
        const final = history.workflow();
        for (let i = seen.length - 2; i >= 0; i--) {
          expect(history.undo()).toEqual(seen[i]);
        }
        expect(history.canUndo()).toBe(false);
        expect(history.workflow()).toEqual(snapshot);
        while (history.canRedo()) history.redo();
        expect(history.workflow()).toEqual(final);
        expect(initial).toEqual(snapshot); // the start was never mutated
      }),
      { numRuns: 150 },
    );
  });
});
