/**
 * expectedVisits solves loop by loop (strongly connected components in topological order); this
 * checks it against one dense solve of all the visit equations at once, on random graphs with
 * arbitrary flows and probabilities in eighths (exact in binary, so no loop gets an exit of
 * 10⁻¹⁷ from rounding and an ill-conditioned system; fast-check prints the seed of a failure).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Flow, Step, Workflow } from '../../formats/workflow.ts';
import { buildGraph, expectedVisits, reachableFrom, type WorkflowGraph } from './graph.ts';

/** Dense Gaussian elimination of (I − Pᵀ)·v = s over `ids`: the straightforward oracle. */
function denseVisits(graph: WorkflowGraph, ids: string[]): Map<string, number> {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const a = ids.map((_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[i] = 1;
    return row;
  });
  for (const id of ids) {
    for (const edge of graph.outgoing.get(id) ?? []) {
      const j = index.get(edge.to);
      const i = index.get(id) as number;
      if (j !== undefined) (a[j] as number[])[i] = ((a[j] as number[])[i] ?? 0) - edge.probability;
    }
  }
  for (const start of graph.starts) {
    const i = index.get(start);
    if (i !== undefined) (a[i] as number[])[n] = ((a[i] as number[])[n] ?? 0) + 1 / graph.starts.length;
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col]?.[col] ?? 0;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (a[r]?.[col] ?? 0) / p;
      for (let k = col; k <= n; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[col]?.[k] ?? 0);
    }
  }
  return new Map(ids.map((id, i) => [id, Math.max(0, (a[i]?.[n] ?? 0) / (a[i]?.[i] ?? 1))] as const));
}

function workflowOf(size: number, flows: Array<[number, number, number | null]>): Workflow {
  const steps: Step[] = Array.from({ length: size }, (_, i) => ({
    id: `s${i}`,
    label: `s${i}`,
    lane: 'l',
    kind: i === 0 ? 'start' : i === size - 1 ? 'end' : 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 0,
    enters: [],
  }));
  const seen = new Set<string>();
  const list: Flow[] = [];
  for (const [a, b, p] of flows) {
    const from = a % size;
    const to = b % size;
    if (seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    list.push({
      from: `s${from}`,
      to: `s${to}`,
      ...(p === null ? {} : { probability: p }),
      transfer: 'none',
    });
  }
  return {
    format: 'preflight.workflow/v1',
    id: 'g',
    name: 'g',
    state: 'current',
    arrivalsPerHour: 1,
    lanes: [{ id: 'l', name: 'L', staff: 1 }],
    steps,
    flows: list,
  };
}

describe('expectedVisits, loop by loop', () => {
  it('equals one dense solve of the visit equations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 14 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.integer({ min: 0, max: 8 }).map((k) => k / 8))), {
          maxLength: 40,
        }),
        (size, flows) => {
          const graph = buildGraph(workflowOf(size, flows));
          const { visits, trapped } = expectedVisits(graph);
          const trappedSet = new Set(trapped);
          const finite = [...reachableFrom(graph, graph.starts)].filter((id) => !trappedSet.has(id));
          const oracle = denseVisits(graph, finite);
          for (const id of finite) {
            const a = visits.get(id) ?? 0;
            const b = oracle.get(id) ?? 0;
            if (Math.abs(a - b) > 1e-7 * Math.max(1, Math.abs(b)))
              throw new Error(`visits of ${id}: ${a} vs ${b}`);
          }
          for (const id of trapped) expect(Number.isNaN(visits.get(id))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
