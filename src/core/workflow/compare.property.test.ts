/**
 * Property tests of compareWorkflows (fast-check prints the seed and path of a failure; pin a
 * failing seed as a regression case):
 * - renaming every step and lane id (consistently, `replaces`/`retired` and findings included)
 *   and shuffling steps, lanes and flows in both files gives the same comparison modulo ids;
 * - compare never matches by id: a copy of a workflow with other ids and no `replaces` matches
 *   only by suggestion, step for step, with nothing changed.
 *
 * Labels are unique within a workflow (so process order needs no id to break a tie) and drawn
 * from one pool for both, so suggestions happen; lane names are unique within a workflow and
 * spelled differently across the two (case, punctuation, plural) to exercise name matching.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Flow, Lane, Step, StepKind, Workflow } from '../../formats/workflow.ts';
import { type ComparableFinding, compareWorkflows } from './compare.ts';

const LABELS = [
  'Check in',
  'Room patient',
  'Take vitals',
  'Enter allergies',
  'Approve discount',
  'Fax referral',
  'Scan consent',
  'Collect copay',
  'Book follow-up',
  'Review result',
  'Call patient',
  'File result',
];
const LANE_NAMES = ['Front desk', 'Medical assistant', 'Physician', 'Billing', 'Nurse'];
const SPELLINGS = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => `${s.toLowerCase()}s.`];
const SYSTEMS = ['EHR', 'Paper chart', 'Portal', 'Fax machine'];
const ITEMS = ['allergies', 'vitals.bp', 'insurance.member_id', 'consent'];
const RULES = ['duplicate-entry', 'click-burden', 'structure'];

interface Finding extends ComparableFinding {
  rule: string;
  stepIds: string[];
  message: string;
}

const stepArb = fc.record({
  lane: fc.nat(),
  kind: fc.constantFrom<StepKind>('task', 'decision', 'approval', 'wait'),
  medium: fc.constantFrom('paper', 'digital', 'fax', 'phone', 'verbal') as fc.Arbitrary<Step['medium']>,
  system: fc.constantFrom(...SYSTEMS),
  touchMin: fc.integer({ min: 0, max: 10 }),
  waitMin: fc.integer({ min: 0, max: 60 }),
  clicks: fc.integer({ min: 0, max: 30 }),
  enters: fc.subarray(ITEMS),
});

const sideArb = fc.record({
  laneNames: fc.uniqueArray(fc.constantFrom(...LANE_NAMES), { minLength: 1, maxLength: 4 }),
  spelling: fc.nat({ max: SPELLINGS.length - 1 }),
  labels: fc.uniqueArray(fc.constantFrom(...LABELS), { minLength: 2, maxLength: 8 }),
  steps: fc.array(stepArb, { minLength: 8, maxLength: 8 }),
  extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
});

type SideShape = typeof sideArb extends fc.Arbitrary<infer T> ? T : never;

/** A workflow from a shape: a spine through the labelled steps plus extra flows (loops have exits). */
function build(shape: SideShape, state: 'current' | 'future', prefix: string): Workflow {
  const spell = SPELLINGS[shape.spelling] ?? ((s: string) => s);
  const lanes: Lane[] = shape.laneNames.map((name, i) => ({
    id: `${prefix}L${i}`,
    name: spell(name),
    staff: 1 + i,
  }));
  const n = shape.labels.length;
  const steps: Step[] = shape.labels.map((label, i) => {
    const s = shape.steps[i % shape.steps.length] as (typeof shape.steps)[number];
    return {
      id: `s${i}`, // the same ids on both sides on purpose: they must not make matches
      label,
      lane: lanes[s.lane % lanes.length]?.id ?? '',
      kind: i === 0 ? 'start' : i === n - 1 ? 'end' : s.kind,
      medium: s.medium,
      system: s.system,
      touchMin: s.touchMin,
      waitMin: s.waitMin,
      clicks: s.clicks,
      enters: s.enters,
    };
  });
  const flows: Flow[] = [];
  const seen = new Set<string>();
  const add = (from: number, to: number) => {
    const key = `${from}>${to}`;
    if (seen.has(key) || from === n - 1) return;
    seen.add(key);
    flows.push({ from: `s${from}`, to: `s${to}`, transfer: 'electronic' });
  };
  for (let i = 0; i + 1 < n; i++) add(i, i + 1);
  for (const [a, b] of shape.extra) add(a % n, b % n);
  return {
    format: 'preflight.workflow/v1',
    id: state,
    name: state,
    state,
    ...(state === 'future' ? { baseline: 'current' } : {}),
    arrivalsPerHour: 2,
    lanes,
    steps,
    flows,
  };
}

const pairArb = fc
  .record({
    current: sideArb,
    future: sideArb,
    replaces: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 8, maxLength: 8 }),
    retired: fc.array(fc.nat(), { maxLength: 3 }),
    findings: fc.array(
      fc.record({
        side: fc.boolean(),
        rule: fc.constantFrom(...RULES),
        steps: fc.array(fc.nat(), { maxLength: 3 }),
      }),
      { maxLength: 6 },
    ),
    seed: fc.integer(),
  })
  .map((p) => {
    const current = build(p.current, 'current', 'c');
    const future = build(p.future, 'future', 'f');
    const cn = current.steps.length;
    future.steps.forEach((step, i) => {
      const ids = (p.replaces[i] ?? []).map((k) => `s${k % cn}`);
      if (ids.length > 0) step.replaces = [...new Set(ids)];
    });
    future.retired = [...new Set(p.retired.map((k) => `s${k % cn}`))];
    const currentFindings: Finding[] = [];
    const futureFindings: Finding[] = [];
    p.findings.forEach((f, i) => {
      const target = f.side ? futureFindings : currentFindings;
      const steps = (f.side ? future : current).steps;
      target.push({
        rule: f.rule,
        stepIds: [...new Set(f.steps.map((k) => steps[k % steps.length]?.id ?? ''))],
        message: `finding ${i}`,
      });
    });
    return { current, future, currentFindings, futureFindings, seed: p.seed };
  });

/** A deterministic shuffle (mulberry-free: a linear congruential walk is enough to permute). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `workflow` with every step and lane id renamed through `rename` and its lists shuffled. */
function renamed(
  workflow: Workflow,
  stepName: (id: string) => string,
  laneName: (id: string) => string,
  replacedName: (id: string) => string,
  seed: number,
): Workflow {
  return {
    ...workflow,
    lanes: shuffled(
      workflow.lanes.map((l) => ({ ...l, id: laneName(l.id) })),
      seed,
    ),
    steps: shuffled(
      workflow.steps.map((s) => ({
        ...s,
        id: stepName(s.id),
        lane: laneName(s.lane),
        ...(s.replaces ? { replaces: shuffled(s.replaces.map(replacedName), seed + 1) } : {}),
      })),
      seed + 2,
    ),
    flows: shuffled(
      workflow.flows.map((f) => ({ ...f, from: stepName(f.from), to: stepName(f.to) })),
      seed + 3,
    ),
    ...(workflow.retired ? { retired: shuffled(workflow.retired.map(replacedName), seed + 4) } : {}),
  };
}

/** Maps every renamed id in `value` back, and rounds numbers (sums in another order round differently). */
function canonical(value: unknown, back: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return back.get(value) ?? value;
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(10)) : value;
  if (Array.isArray(value)) return value.map((v) => canonical(v, back));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v, back)]));
  }
  return value;
}

describe('compareWorkflows properties', () => {
  it('renaming ids and shuffling the files changes nothing but the ids', () => {
    fc.assert(
      fc.property(pairArb, ({ current, future, currentFindings, futureFindings, seed }) => {
        const before = compareWorkflows(current, future, { currentFindings, futureFindings });
        // fresh ids in a shuffled order, so sorting by id would order things differently
        const back = new Map<string, string>();
        const renamer = (prefix: string, ids: readonly string[], salt: number) => {
          const fresh = new Map(
            shuffled(ids, seed + salt).map((id, k) => [id, `${prefix}-${String(k).padStart(3, '0')}`]),
          );
          for (const [id, name] of fresh) back.set(name, id);
          return (id: string) => fresh.get(id) ?? id;
        };
        const currentStep = renamer(
          'rc',
          current.steps.map((s) => s.id),
          11,
        );
        const futureStep = renamer(
          'rf',
          future.steps.map((s) => s.id),
          13,
        );
        const currentLane = renamer(
          'rlc',
          current.lanes.map((l) => l.id),
          17,
        );
        const futureLane = renamer(
          'rlf',
          future.lanes.map((l) => l.id),
          19,
        );
        const r1 = renamed(current, currentStep, currentLane, currentStep, seed);
        const r2 = renamed(future, futureStep, futureLane, currentStep, seed + 7);
        const after = compareWorkflows(r1, r2, {
          currentFindings: currentFindings.map((f) => ({ ...f, stepIds: f.stepIds.map(currentStep) })),
          futureFindings: futureFindings.map((f) => ({ ...f, stepIds: f.stepIds.map(futureStep) })),
        });
        expect(canonical(after, back)).toEqual(canonical(before, new Map()));
      }),
      { numRuns: 150 },
    );
  });

  it('never matches by id: a renamed copy without replaces matches only by suggestion, unchanged', () => {
    fc.assert(
      fc.property(pairArb, ({ current, seed }) => {
        const copy: Workflow = {
          ...renamed(
            current,
            (id) => `copy-${id}`,
            (id) => `copy-${id}`,
            (id) => id,
            seed,
          ),
          state: 'future',
          baseline: current.id,
        };
        const result = compareWorkflows(current, copy);
        expect(result.matches.every((m) => m.by === 'suggested-label')).toBe(true);
        expect(result.matches.map((m) => [m.current.stepId, m.future.stepId]).sort()).toEqual(
          current.steps.map((s) => [s.id, `copy-${s.id}`]).sort(),
        );
        expect(result.matches.every((m) => m.changes.length === 0)).toBe(true);
        expect(result.added).toEqual([]);
        // suggestions are not confirmations: every current step is still untraced
        expect(result.removed.untraced.length).toBe(current.steps.length);
        expect(result.metrics.deltas.every((d) => !d.better && !d.worse)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a workflow whose steps reuse the other side’s ids for other labels matches none of them', () => {
    fc.assert(
      fc.property(pairArb, ({ current, future }) => {
        const plain: Workflow = {
          ...future,
          steps: future.steps.map(({ replaces: _replaces, ...s }) => s),
          retired: [],
        };
        const result = compareWorkflows(current, plain);
        for (const m of result.matches) {
          expect(m.by).toBe('suggested-label');
          // a suggestion needs the same normalised label; the equal ids ("s0", "s1", …) never count
          expect(m.current.label).toBe(m.future.label);
        }
      }),
      { numRuns: 100 },
    );
  });
  it('partitions the steps: each current step is replaced or removed, each future step matched or added', () => {
    fc.assert(
      fc.property(
        pairArb,
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
        ({ current, future }, ghosts) => {
          // unknown ids in replaces and retired are reported, never thrown on
          const withGhosts: Workflow = {
            ...future,
            steps: future.steps.map((s, i) =>
              i === 0 ? { ...s, replaces: [...(s.replaces ?? []), ...ghosts.map((g) => `ghost-${g}`)] } : s,
            ),
            retired: [...(future.retired ?? []), ...ghosts.map((g) => `gone-${g}`)],
          };
          const result = compareWorkflows(current, withGhosts);
          const replaced = new Set(
            result.matches.filter((m) => m.by === 'replaces').map((m) => m.current.stepId),
          );
          const removed = [...result.removed.retired, ...result.removed.untraced].map((r) => r.step.stepId);
          expect(new Set(removed).size).toBe(removed.length);
          expect([...replaced, ...removed].sort()).toEqual(current.steps.map((s) => s.id).sort());
          const matched = new Set(result.matches.map((m) => m.future.stepId));
          const added = result.added.map((a) => a.step.stepId);
          expect(added.some((id) => matched.has(id))).toBe(false);
          expect([...matched, ...added].sort()).toEqual(future.steps.map((s) => s.id).sort());
          const unique = [...new Set(ghosts)];
          expect(
            result.dangling
              .filter((d) => d.field === 'replaces')
              .map((d) => d.currentStepId)
              .sort(),
          ).toEqual(unique.map((g) => `ghost-${g}`).sort());
          expect(
            result.dangling
              .filter((d) => d.field === 'retired')
              .map((d) => d.currentStepId)
              .sort(),
          ).toEqual(unique.map((g) => `gone-${g}`).sort());
          // a suggestion never pairs a future step with a confirmed match (one whose replaces name
          // only unknown steps may get one: it traces nothing)
          const confirmed = new Set(
            result.matches.filter((m) => m.by === 'replaces').map((m) => m.future.stepId),
          );
          expect(
            result.matches.some((m) => m.by === 'suggested-label' && confirmed.has(m.future.stepId)),
          ).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});
