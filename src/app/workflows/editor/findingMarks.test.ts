/**
 * Which steps, lanes and flows carry which findings (findingMarks.ts): a table of single findings
 * on a small workflow, the most serious severity and the words of a mark, every
 * finding drawn once or counted as not drawn whatever it names (fast-check), and the demo clinic's
 * planned intake, whose marks add up to its findings panel.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../../core/workflow/index.ts';
import {
  chain,
  type Finding,
  type FindingSeverity,
  flows,
  LANES,
  startEnd,
  step,
} from '../../../core/workflow/rules/index.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { findingMarks, MARK_ANCHORS, NO_FINDING_MARKS, spokenMark } from './findingMarks.ts';

const WORKFLOW: Workflow = {
  ...fixtureWorkflow(),
  lanes: LANES,
  steps: [...startEnd(), step('a'), step('b', { lane: 'nurse', system: 'Lab' }), step('c', { lane: 'doc' })],
  flows: flows(...chain('start', 'a'), 'a>b:1:manual', ...chain('b', 'c', 'end')),
};

function finding(
  rule: string,
  stepIds: string[],
  evidence: Finding['evidence'] = {},
  severity: FindingSeverity = 'warn',
): Finding {
  return { rule, severity, stepIds, message: `${rule} on ${stepIds.join(', ')}`, evidence };
}

/** Where one finding is drawn, as `kind:id` strings (`flow:from>to`), or `unplaced`. */
function placesOf(found: Finding): string[] {
  const marks = findingMarks([found], WORKFLOW);
  const places = [
    ...[...marks.steps.keys()].map((id) => `step:${id}`),
    ...[...marks.lanes.keys()].map((id) => `lane:${id}`),
    ...marks.flows.map((f) => `flow:${f.from}>${f.to}`),
  ];
  return marks.unplaced.length > 0 ? [...places, 'unplaced'] : places;
}

describe('findingMarks: where a finding is drawn', () => {
  it.each([
    {
      description: 'a finding on one step marks that step',
      finding: finding('digitized-paper-step', ['a']),
      places: ['step:a'],
    },
    {
      description: 'a finding on several steps marks each of them once',
      finding: finding('serial-approval', ['a', 'b', 'a']),
      places: ['step:a', 'step:b'],
    },
    {
      description:
        'one root cause led by a duplicate entry that is also a hand copy along a flow marks the flow',
      finding: {
        ...finding('duplicate-entry', ['a', 'b']),
        rules: ['duplicate-entry', 'manual-transcription'],
        parts: [
          finding('duplicate-entry', ['a', 'b']),
          finding('manual-transcription', ['a', 'b'], { manualFlow: true }),
        ],
      },
      places: ['flow:a>b'],
    },
    {
      description: 'an overloaded role marks its lane, not each step it does',
      finding: finding('role-overload', ['b'], { laneId: 'nurse' }),
      places: ['lane:nurse'],
    },
    {
      description: 'a role that cannot keep up in go-live week marks its lane',
      finding: finding('golive-capacity', ['c'], { laneId: 'doc' }, 'error'),
      places: ['lane:doc'],
    },
    {
      description: "a role's clicks per day mark its lane",
      finding: finding('click-burden', ['a'], { laneId: 'desk' }),
      places: ['lane:desk'],
    },
    {
      description: 'a step over the click budget marks the step',
      finding: finding('click-burden', ['a'], { clicks: 30 }),
      places: ['step:a'],
    },
    {
      description: 'clerical work in a physician lane marks the step (the lane is why it is louder)',
      finding: finding('delegable-task', ['c'], { laneId: 'doc' }),
      places: ['step:c'],
    },
    {
      description: 'data copied by hand along a flow marks the flow',
      finding: finding('manual-transcription', ['a', 'b'], { manualFlow: true }),
      places: ['flow:a>b'],
    },
    {
      description: 'the same data typed in two systems (no flow) marks both steps',
      finding: finding('manual-transcription', ['a', 'b'], { manualFlow: false }),
      places: ['step:a', 'step:b'],
    },
    {
      description: 'a lane removed since the analysis: drawn on the steps still there',
      finding: finding('role-overload', ['b', 'gone'], { laneId: 'gone-lane' }),
      places: ['step:b'],
    },
    {
      description: 'a flow removed since the analysis: drawn on its steps',
      finding: finding('manual-transcription', ['b', 'a'], { manualFlow: true }),
      places: ['step:b', 'step:a'],
    },
    {
      description: 'a finding about the whole workflow is not drawn',
      finding: finding('structure', [], { check: 'no-start' }),
      places: ['unplaced'],
    },
    {
      description: 'a finding naming only steps of another workflow is not drawn',
      finding: finding('untraced-current-step', ['paper-form']),
      places: ['unplaced'],
    },
  ])('$description', ({ finding: found, places }) => {
    expect(placesOf(found)).toEqual(places);
  });

  it('declares only rules whose anchors are lanes or flows', () => {
    for (const declared of Object.values(MARK_ANCHORS)) expect(['lane', 'flow']).toContain(declared?.anchor);
  });
});

describe('findingMarks: what a mark says', () => {
  const findings = [
    finding('serial-approval', ['a', 'b'], {}, 'error'),
    finding('click-burden', ['a'], {}, 'info'),
    finding('digitized-paper-step', ['a'], {}, 'warn'),
    finding('duplicate-entry', ['b'], {}, 'info'),
  ];
  const marks = findingMarks(findings, WORKFLOW);

  it.each([
    { step: 'a', count: 3, severity: 'error', summary: '1 problem, 1 warning, 1 note' },
    { step: 'b', count: 2, severity: 'error', summary: '1 problem, 1 note' },
  ])(
    'step $step: $count findings, the most serious $severity, in words',
    ({ step: id, count, severity, summary }) => {
      const mark = marks.steps.get(id);
      expect(mark?.findings).toHaveLength(count);
      expect(mark?.severity).toBe(severity);
      expect(mark?.summary).toBe(summary);
      expect(spokenMark(mark as NonNullable<typeof mark>)).toBe(`findings: ${summary}`);
    },
  );

  it("keeps the analysis's order of findings on each mark", () => {
    expect(marks.steps.get('a')?.findings.map((f) => f.rule)).toEqual([
      'serial-approval',
      'click-burden',
      'digitized-paper-step',
    ]);
  });

  it('counts each finding drawn once, however many steps it marks', () => {
    expect(marks.placed).toBe(4);
    expect(marks.unplaced).toEqual([]);
  });

  it('has nothing to draw without findings', () => {
    expect(findingMarks([], WORKFLOW)).toEqual(NO_FINDING_MARKS);
  });
});

describe('findingMarks: every finding drawn or counted, never both', () => {
  const ids = [...WORKFLOW.steps.map((s) => s.id), 'gone', 'paper-form'];
  const lanes = [...WORKFLOW.lanes.map((l) => l.id), 'gone-lane'];
  const arbitraryFinding = fc
    .record({
      rule: fc.constantFrom(
        'role-overload',
        'golive-capacity',
        'click-burden',
        'manual-transcription',
        'serial-approval',
        'structure',
        'delegable-task',
      ),
      stepIds: fc.array(fc.constantFrom(...ids), { maxLength: 4 }),
      laneId: fc.option(fc.constantFrom(...lanes), { nil: undefined }),
      manualFlow: fc.boolean(),
      severity: fc.constantFrom<FindingSeverity>('error', 'warn', 'info'),
    })
    .map(({ rule, stepIds, laneId, manualFlow, severity }) =>
      finding(rule, stepIds, { manualFlow, ...(laneId ? { laneId } : {}) }, severity),
    );

  it('placed + not drawn = all findings; each mark holds findings that name its element', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFinding, { maxLength: 12 }), (findings) => {
        const marks = findingMarks(findings, WORKFLOW);
        expect(marks.placed + marks.unplaced.length).toBe(findings.length);
        const drawn = new Set<Finding>();
        for (const [id, mark] of marks.steps) {
          for (const f of mark.findings) {
            expect(f.stepIds).toContain(id);
            drawn.add(f);
          }
          expect(mark.severity).toBe(
            (['error', 'warn', 'info'] as const).find((s) => mark.findings.some((f) => f.severity === s)),
          );
        }
        for (const [id, mark] of marks.lanes)
          for (const f of mark.findings) {
            expect(f.evidence.laneId).toBe(id);
            drawn.add(f);
          }
        for (const { from, to, mark } of marks.flows)
          for (const f of mark.findings) {
            expect(f.stepIds).toEqual([from, to]);
            drawn.add(f);
          }
        expect(drawn.size).toBe(new Set(findings.filter((f) => !marks.unplaced.includes(f))).size);
        for (const f of marks.unplaced) expect(drawn.has(f)).toBe(false);
      }),
    );
  });
});

describe("findingMarks on the demo clinic's planned intake", () => {
  const read = (name: string) =>
    JSON.parse(
      readFileSync(new URL(`../../../../samples/workflows/${name}`, import.meta.url), 'utf8'),
    ) as Workflow;
  const current = read('patient-intake.current.json');
  const future = read('patient-intake.future.json');
  const { findings } = analyzeWorkflow(future, { baseline: current });
  const marks = findingMarks(findings, future);

  it("draws every finding on the plan's own steps, lanes and flows; today's untraced steps are not drawn", () => {
    expect(findings.length).toBeGreaterThan(5);
    expect(marks.placed + marks.unplaced.length).toBe(findings.length);
    expect(marks.unplaced.every((f) => f.rule === 'untraced-current-step' || f.stepIds.length === 0)).toBe(
      true,
    );
    expect(marks.unplaced.some((f) => f.rule === 'untraced-current-step')).toBe(true);
  });

  it('marks each step with exactly the findings naming it (as the panel lists them)', () => {
    for (const s of future.steps) {
      const naming = findings.filter(
        (f) =>
          f.stepIds.includes(s.id) &&
          !(MARK_ANCHORS[f.rule as keyof typeof MARK_ANCHORS]?.applies(f) ?? false),
      );
      expect(marks.steps.get(s.id)?.findings ?? [], s.id).toEqual(naming);
    }
  });
});
