import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/workflow/rules/types.ts';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { analyseProcess } from '../analysis/useProcessAnalysis.ts';
import { layoutCanvas } from '../editor/canvasModel.ts';
import { diagramSvg } from '../editor/exportDiagram.ts';
import {
  groupFindings,
  MIN_PRINT_SCALE,
  mapSlices,
  PRINT_WIDTH_PX,
  SLICE_OVERLAP,
  sliceSvg,
  svgBox,
} from './processDocument.ts';

function sample(name: string): Workflow {
  const json: unknown = JSON.parse(
    readFileSync(new URL(`../../../../samples/workflows/${name}.json`, import.meta.url), 'utf8'),
  );
  const loaded = loadWorkflow(json);
  if (!loaded.ok) throw new Error(`sample ${name} does not load`);
  return loaded.value;
}

const widest = PRINT_WIDTH_PX / MIN_PRINT_SCALE;

describe('mapSlices', () => {
  it.each([
    { what: 'a narrow diagram', width: 500, count: 1 },
    { what: 'a diagram exactly as wide as legible', width: widest, count: 1 },
    { what: 'a diagram just too wide', width: widest + 1, count: 2 },
    { what: 'a wide diagram', width: 3 * widest, count: 4 },
    {
      what: 'a very wide diagram',
      width: 20_000,
      count: Math.ceil((20_000 - SLICE_OVERLAP) / (widest - SLICE_OVERLAP)),
    },
  ])('$what: $count slices, each legible, covering the whole width', ({ width, count }) => {
    const box = { x: -24, y: -52, width, height: 400 };
    const slices = mapSlices(box);
    expect(slices).toHaveLength(count);
    for (const s of slices) expect(PRINT_WIDTH_PX / s.width).toBeGreaterThanOrEqual(MIN_PRINT_SCALE - 1e-9);
    expect(slices[0]?.x).toBe(box.x);
    const last = slices[slices.length - 1];
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeCloseTo(box.x + width, 6);
    // neighbours overlap by the same amount: a step cut at one border is whole in the next slice
    for (let i = 1; i < slices.length; i++) {
      const before = slices[i - 1];
      const after = slices[i];
      if (!before || !after) throw new Error('slice missing');
      expect(before.x + before.width - after.x).toBeCloseTo(SLICE_OVERLAP, 6);
    }
  });
});

describe('svgBox and sliceSvg', () => {
  it.each([
    {
      svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-24 -52 900 300"></svg>',
      box: { x: -24, y: -52, width: 900, height: 300 },
    },
    {
      svg: '<svg viewBox="0,0,10,20"><svg viewBox="1 1 1 1"/></svg>',
      box: { x: 0, y: 0, width: 10, height: 20 },
    },
    { svg: '<svg width="10"></svg>', box: null },
    { svg: '<svg viewBox="0 0 0 10"></svg>', box: null },
    { svg: '<svg viewBox="0 0 a 10"></svg>', box: null },
    { svg: '<g viewBox="0 0 1 1"></g>', box: null },
  ])('$svg', ({ svg, box }) => {
    expect(svgBox(svg)).toEqual(box);
  });

  it('shows one slice of the demo diagram through the outer viewBox, the drawing untouched', () => {
    const workflow = sample('patient-intake.future');
    const svg = diagramSvg(workflow, layoutCanvas(workflow));
    const box = svgBox(svg);
    if (!box) throw new Error('the diagram has no viewBox');
    const slices = mapSlices(box, 300, 1);
    expect(slices.length).toBeGreaterThan(1);
    const second = slices[1];
    if (!second) throw new Error('no second slice');
    const sliced = sliceSvg(svg, box, second);
    expect(svgBox(sliced)).toEqual({ x: second.x - box.x, y: 0, width: second.width, height: box.height });
    expect(sliced).toContain(svg);
  });
});

const finding = (
  rule: string,
  severity: Finding['severity'],
  stepIds: string[],
  extra: Partial<Finding> = {},
): Finding => ({
  rule,
  severity,
  stepIds,
  message: `${rule} on ${stepIds.join(',')}`,
  evidence: {},
  ...extra,
});

describe('groupFindings', () => {
  const current = sample('patient-intake.current');
  const future = sample('patient-intake.future');
  const [a, b] = future.steps;
  const [old] = current.steps;
  if (!a || !b || !old) throw new Error('sample steps missing');

  it('groups by severity, most serious first, then by leading check in the rule table order', () => {
    const groups = groupFindings(
      [
        finding('click-burden', 'info', [a.id]),
        finding('duplicate-entry', 'warn', [a.id, b.id], {
          rules: ['duplicate-entry', 'manual-transcription'],
          parts: [
            finding('duplicate-entry', 'warn', [a.id, b.id]),
            finding('manual-transcription', 'warn', [b.id]),
          ],
        }),
        finding('untraced-current-step', 'error', [old.id]),
      ],
      future,
      current,
    );
    expect(groups.map((g) => [g.severity, g.count, g.rules.map((r) => r.rule)])).toEqual([
      ['error', 1, ['untraced-current-step']],
      ['warn', 1, ['duplicate-entry']],
      ['info', 1, ['click-burden']],
    ]);
    const typedTwice = groups[1]?.rules[0];
    expect(typedTwice?.why).not.toBe('');
    expect(typedTwice?.findings[0]).toEqual({
      message: `duplicate-entry on ${a.id},${b.id}`,
      tags: ['duplicate-entry', 'manual-transcription'],
      steps: [a.label, b.label],
      also: [{ rule: 'manual-transcription', message: `manual-transcription on ${b.id}` }],
    });
    // a step of today's workflow is named from the baseline
    expect(groups[0]?.rules[0]?.findings[0]?.steps).toEqual([old.label]);
  });

  it('prints a finding of a check it does not know, and names a step that is gone as such', () => {
    const groups = groupFindings([finding('some-new-check', 'warn', ['nowhere'])], future);
    expect(groups).toEqual([
      {
        severity: 'warn',
        count: 1,
        rules: [
          {
            rule: 'some-new-check',
            title: 'some-new-check',
            why: '',
            findings: [
              {
                message: 'some-new-check on nowhere',
                tags: ['some-new-check'],
                steps: ['a step no longer in the workflow'],
                also: [],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('keeps every finding of the demo process, each exactly once', () => {
    const analysis = analyseProcess(current, future, {});
    for (const [w, a, base] of [
      [current, analysis.current, undefined],
      [future, analysis.future, current],
    ] as const) {
      const findings = a?.findings ?? [];
      expect(findings.length).toBeGreaterThan(0);
      const groups = groupFindings(findings, w, base);
      const listed = groups.flatMap((g) => g.rules.flatMap((r) => r.findings.map((f) => f.message)));
      expect(listed.sort()).toEqual(findings.map((f) => f.message).sort());
      expect(groups.map((g) => g.count).reduce((x, y) => x + y, 0)).toBe(findings.length);
    }
  });
});
