import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/workflow/rules/index.ts';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { analyseProcess } from '../analysis/useProcessAnalysis.ts';
import { layoutCanvas } from '../editor/canvasModel.ts';
import { diagramSvg, stepExtents } from '../editor/exportDiagram.ts';
import {
  dataItemsText,
  documentSummary,
  drawnArea,
  firstSentence,
  groupFindings,
  LANDSCAPE_HEIGHT_PX,
  LANDSCAPE_WIDTH_PX,
  LANE_NAME_BAND,
  laneNameBoxes,
  MIN_MAP_SCALE,
  MIN_PRINT_SCALE,
  mapSlices,
  PRINT_HEIGHT_PX,
  PRINT_WIDTH_PX,
  printScale,
  SLICE_OVERLAP,
  sliceSvg,
  sliceSvgWithLanes,
  svgBox,
  TOP_FINDINGS,
  trainingRows,
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
const columnsOf = (width: number) => Math.ceil((width - SLICE_OVERLAP) / (widest - SLICE_OVERLAP));

describe('mapSlices', () => {
  it.each([
    { what: 'a small diagram', width: 500, height: 400, columns: 1, rows: 1 },
    { what: 'as wide as legible', width: widest, height: 400, columns: 1, rows: 1 },
    { what: 'just too wide', width: widest + 1, height: 400, columns: 2, rows: 1 },
    { what: 'a wide diagram', width: 3 * widest, height: 400, columns: 4, rows: 1 },
    { what: 'a very wide diagram', width: 20_000, height: 400, columns: columnsOf(20_000), rows: 1 },
    // narrower than the page: printed at its own size, so its own height counts
    { what: 'narrow and as tall as a page', width: 500, height: PRINT_HEIGHT_PX, columns: 1, rows: 1 },
    { what: 'narrow and taller than a page', width: 500, height: PRINT_HEIGHT_PX + 1, columns: 1, rows: 2 },
    // cut to the page width at three quarters: a page holds 4/3 of its height in the diagram
    { what: 'wide and tall', width: 3 * widest, height: 1_250, columns: 4, rows: 2 },
  ])('$what: $columns × $rows parts, each legible and on a page, covering it all', (c) => {
    const box = { x: -24, y: -52, width: c.width, height: c.height };
    const slices = mapSlices(box);
    expect(slices).toHaveLength(c.columns * c.rows);
    for (const s of slices) {
      const scale = Math.min(1, PRINT_WIDTH_PX / s.width);
      expect(scale).toBeGreaterThanOrEqual(MIN_PRINT_SCALE - 1e-9);
      expect(s.height * scale).toBeLessThanOrEqual(PRINT_HEIGHT_PX + 1e-9);
    }
    const xs = [...new Set(slices.map((s) => s.x))];
    const ys = [...new Set(slices.map((s) => s.y))];
    expect([xs.length, ys.length]).toEqual([c.columns, c.rows]);
    // reading order: down a column, then the next column
    expect(slices.map((s) => [xs.indexOf(s.x), ys.indexOf(s.y)])).toEqual(
      Array.from({ length: c.columns * c.rows }, (_, i) => [Math.floor(i / c.rows), i % c.rows]),
    );
    // they cover the whole box, and neighbours overlap by the same amount
    for (const [starts, size, from, length] of [
      [xs, slices[0]?.width ?? 0, box.x, box.width],
      [ys, slices[0]?.height ?? 0, box.y, box.height],
    ] as const) {
      expect(starts[0]).toBe(from);
      expect((starts[starts.length - 1] ?? 0) + size).toBeCloseTo(from + length, 6);
      for (let i = 1; i < starts.length; i++) {
        expect((starts[i - 1] ?? 0) + size - (starts[i] ?? 0)).toBeCloseTo(SLICE_OVERLAP, 6);
      }
    }
  });
});

describe('mapSlices with the steps', () => {
  const box = { x: 0, y: 0, width: 3 * widest, height: 1_250 };
  const step = (x: number, y: number) => ({ x, y, width: 150, height: 70 });

  it.each([
    {
      what: 'a step in every part',
      steps: [
        step(10, 10),
        step(10, 1_100),
        step(2_000, 10),
        step(2_000, 1_100),
        step(2_600, 10),
        step(2_600, 1_100),
        step(1_000, 10),
        step(1_000, 1_100),
      ],
      parts: 8,
    },
    {
      what: 'steps along the top only',
      steps: [step(10, 10), step(1_000, 10), step(2_000, 10), step(2_600, 10)],
      parts: 4,
    },
    { what: 'one step', steps: [step(10, 10)], parts: 1 },
    { what: 'a step across the middle is not cut', steps: [step(10, 1_250 / 2)], parts: 1 },
  ])('leaves out parts that show no step, and draws each step whole: $what', ({ steps, parts }) => {
    const all = mapSlices(box);
    expect(all).toHaveLength(8);
    const kept = mapSlices(box, steps);
    expect(kept).toHaveLength(parts);
    const shows = (part: (typeof kept)[number], s: (typeof steps)[number]) =>
      s.x < part.x + part.width &&
      s.x + s.width > part.x &&
      s.y < part.y + part.height &&
      s.y + s.height > part.y;
    for (const part of kept) expect(steps.some((s) => shows(part, s))).toBe(true);
    for (const s of steps)
      expect(
        kept.some(
          (p) =>
            s.x >= p.x && s.y >= p.y && s.x + s.width <= p.x + p.width && s.y + s.height <= p.y + p.height,
        ),
      ).toBe(true);
  });

  it('keeps a diagram that fits whole, steps or none', () => {
    expect(mapSlices({ x: 0, y: 0, width: 400, height: 300 }, [])).toEqual([
      { x: 0, y: 0, width: 400, height: 300 },
    ]);
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
    const slices = mapSlices(box, undefined, 300, 300, 1);
    expect(slices.length).toBeGreaterThan(2);
    const second = slices[1];
    if (!second) throw new Error('no second slice');
    const sliced = sliceSvg(svg, box, second);
    expect(svgBox(sliced)).toEqual({
      x: second.x - box.x,
      y: second.y - box.y,
      width: second.width,
      height: second.height,
    });
    expect(sliced).toContain(svg);
  });
});

describe('landscape map pages', () => {
  const sizes = [
    { width: 400, height: 300 },
    { width: 1600, height: 700 },
    { width: 6000, height: 900 },
    { width: 3000, height: 2500 },
    { width: 900, height: 5000 },
  ];
  it.each(sizes)('a $width × $height map prints in parts that fit a page, none below 0.6', (box) => {
    const slices = mapSlices(
      { x: -24, y: -52, ...box },
      undefined,
      LANDSCAPE_WIDTH_PX,
      LANDSCAPE_HEIGHT_PX,
      MIN_MAP_SCALE,
    );
    for (const slice of slices) {
      const scale = printScale(slice);
      expect(scale).toBeGreaterThanOrEqual(MIN_MAP_SCALE - 1e-9);
      expect(scale).toBeLessThanOrEqual(1);
      expect(slice.width * scale).toBeLessThanOrEqual(LANDSCAPE_WIDTH_PX + 1e-6);
      expect(slice.height * scale).toBeLessThanOrEqual(LANDSCAPE_HEIGHT_PX + 1e-6);
    }
    // a map that fits a landscape page at 0.6 is one page, scaled to fit
    if (box.width * MIN_MAP_SCALE <= LANDSCAPE_WIDTH_PX && box.height * MIN_MAP_SCALE <= LANDSCAPE_HEIGHT_PX)
      expect(slices).toHaveLength(1);
  });

  it('repeats the lane names at the left edge of every part that does not show their headers', () => {
    const workflow = sample('patient-intake.future');
    const layout = layoutCanvas(workflow);
    const svg = diagramSvg(workflow, layout);
    const box = svgBox(svg);
    if (!box) throw new Error('the diagram has no viewBox');
    const lanes = layout.lanes.map((l) => ({ name: l.name, top: l.top, height: l.height }));
    const slices = mapSlices(box, stepExtents(layout.steps), 300, 300, 1, SLICE_OVERLAP, LANE_NAME_BAND);
    expect(slices.length).toBeGreaterThan(4);
    const named = (slice: (typeof slices)[number]) => {
      const sliced = sliceSvgWithLanes(svg, box, slice, lanes);
      expect(svgBox(sliced)).toEqual(svgBox(sliceSvg(svg, box, slice)));
      const strip = sliced.includes('<g class="lane-names">')
        ? sliced.slice(sliced.indexOf('<g class="lane-names">'))
        : '';
      return [...strip.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]?.replace(/&amp;/g, '&'));
    };
    for (const slice of slices) {
      const shown = lanes.filter((l) => l.top < slice.y + slice.height && l.top + l.height > slice.y);
      // at the diagram's left the headers name the lanes that start in the part
      const headerless = slice.x <= box.x + 1 ? shown.filter((l) => l.top < slice.y - 1) : shown;
      expect(named(slice)).toEqual(headerless.map((l) => l.name));
    }
    expect(slices.some((s) => s.x > box.x + 1 && s.y > box.y + 1)).toBe(true);
    // names are text, never markup
    const later = slices.find((s) => s.x > box.x + 1) ?? slices[0];
    if (!later) throw new Error('no slice');
    const odd = sliceSvgWithLanes(svg, box, later, [{ name: 'A <b> & "c"', top: later.y, height: 200 }]);
    expect(odd).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
  });
});

describe('documentSummary', () => {
  const current = sample('patient-intake.current');
  const future = sample('patient-intake.future');
  const words = {
    metricName: (m: string) => m,
    metricText: (_m: string, v: number) => String(Math.round(v * 10) / 10),
  };

  it('says what changes, the most serious planned findings and whether the roles keep up', () => {
    const analysis = analyseProcess(current, future, {});
    const summary = documentSummary(analysis, words, future, current);
    const changed = analysis.comparison?.metrics.deltas.filter((d) => d.better || d.worse) ?? [];
    expect(changed.length).toBeGreaterThan(0);
    for (const d of changed)
      expect(summary.changes.some((line) => line.startsWith(`${d.metric}: `))).toBe(true);
    expect(summary.changes.some((line) => /planned steps? replaces? \d+ of today’s/.test(line))).toBe(true);
    expect(summary.changes.some((line) => line.startsWith('The plan resolves '))).toBe(true);
    expect(summary.findingsOf).toBe('planned');
    expect(summary.findingCount).toBe(analysis.future?.findings.length);
    expect(summary.topFindings.length).toBe(Math.min(TOP_FINDINGS, summary.findingCount));
    // each the first sentence of its message: what was found and where
    expect(summary.topFindings.map((f) => f.message)).toEqual(
      analysis.future?.findings.slice(0, TOP_FINDINGS).map((f) => firstSentence(f.message)),
    );
    for (const f of summary.topFindings) expect(f.message).toMatch(/^[^\n]+[.!?”)]$/);
    expect(summary.capacity).toMatch(/^At peak the busiest role, .+, is \d+ % busy\. In go-live week/);
  });

  it('with only today’s workflow: nothing to compare, today’s findings', () => {
    const analysis = analyseProcess(current, undefined, {});
    const summary = documentSummary(analysis, words, undefined, current);
    expect(summary.changes).toEqual([
      'Only today’s workflow is drawn: nothing is planned to compare it with yet.',
    ]);
    expect(summary.findingsOf).toBe('today');
    expect(summary.capacity).toMatch(/^At peak/);
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
      headline: `duplicate-entry on ${a.id},${b.id}`,
      tags: ['duplicate-entry', 'manual-transcription'],
      steps: [a.label, b.label],
      unquoted: [a.label, b.label],
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
                headline: 'some-new-check on nowhere',
                tags: ['some-new-check'],
                steps: ['a step no longer in the workflow'],
                unquoted: ['a step no longer in the workflow'],
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

describe('a finding in one row', () => {
  it.each([
    ['One sentence only', 'One sentence only'],
    [
      '“Check out” takes 64 clicks, over the budget of 10. Emergency physicians (Hill et al. 2013) agree.',
      '“Check out” takes 64 clicks, over the budget of 10.',
    ],
    ['It waits 1.5 min (e.g. the tray). Then more.', 'It waits 1.5 min (e.g. the tray).'],
    ['Whatever the answer. “Next” follows.', 'Whatever the answer.'],
  ])('firstSentence(%j)', (message, first) => {
    expect(firstSentence(message)).toBe(first);
  });

  it('names beside the headline only the steps it does not quote', () => {
    const future = sample('patient-intake.future');
    const [a, b] = future.steps;
    if (!a || !b) throw new Error('sample steps missing');
    const [group] = groupFindings(
      [
        {
          rule: 'click-burden',
          severity: 'warn',
          stepIds: [a.id, b.id],
          message: `Most clicks come from “${a.label}”. Evidence follows.`,
          evidence: {},
        },
      ],
      future,
    );
    expect(group?.rules[0]?.findings[0]).toMatchObject({
      headline: `Most clicks come from “${a.label}”.`,
      steps: [a.label, b.label],
      unquoted: [b.label],
    });
  });
});

describe('dataItemsText', () => {
  it('groups the items by what they belong to, in the order first typed', () => {
    expect(
      dataItemsText(['demographics.address', 'allergies', 'demographics.phone', 'vitals.bp', 'medications']),
    ).toBe('demographics: address, phone; allergies; vitals: blood pressure; medications');
    expect(dataItemsText([])).toBe('');
  });
});

describe('trainingRows', () => {
  it('puts each role of the demo intake in one row: what it does differently or newly, stops and learns', () => {
    const analysis = analyseProcess(sample('patient-intake.current'), sample('patient-intake.future'), {});
    const roles = analysis.comparison?.roles ?? [];
    const rows = trainingRows(roles);
    expect(rows.map((r) => r.role)).toEqual(roles.map((r) => r.name));
    for (const [i, role] of roles.entries()) {
      const row = rows[i];
      expect(row?.does).toHaveLength(role.changes.length + role.gains.length);
      expect(row?.stops).toHaveLength(role.loses.length);
      for (const system of role.newSystems) expect(row?.learns.join(' ')).toContain(system);
    }
    const frontDesk = rows.find((r) => r.role === 'Front desk');
    expect(frontDesk?.does).toContain(
      'Real-time eligibility check (270/271) (instead of Call payer to verify eligibility)',
    );
    expect(frontDesk?.stops.some((s) => /\(retired\)$/.test(s))).toBe(true);
    expect(
      frontDesk?.stops.some((s) => /\(nobody is planned to do it: check with the project lead\)$/.test(s)),
    ).toBe(true);
    expect(rows.flatMap((r) => r.does).some((d) => /\(new: takes over .+ from .+\)$/.test(d))).toBe(true);
  });
});

describe('landscape parts keep every step whole', () => {
  type Box = { x: number; y: number; width: number; height: number };
  const inside = (s: Box, a: Box) =>
    s.x >= a.x - 1e-6 &&
    s.y >= a.y - 1e-6 &&
    s.x + s.width <= a.x + a.width + 1e-6 &&
    s.y + s.height <= a.y + a.height + 1e-6;
  /** the steps no part draws whole (right of its lane names) */
  const cutSteps = (box: Box, steps: readonly Box[], band: number) => {
    const parts = mapSlices(
      box,
      steps,
      LANDSCAPE_WIDTH_PX,
      LANDSCAPE_HEIGHT_PX,
      MIN_MAP_SCALE,
      SLICE_OVERLAP,
      band,
    );
    for (const part of parts) {
      const scale = printScale(part);
      expect(scale).toBeGreaterThanOrEqual(MIN_MAP_SCALE - 1e-9);
      expect(part.width * scale).toBeLessThanOrEqual(LANDSCAPE_WIDTH_PX + 1e-6);
      expect(part.height * scale).toBeLessThanOrEqual(LANDSCAPE_HEIGHT_PX + 1e-6);
    }
    return { parts, cut: steps.filter((s) => !parts.some((p) => inside(s, drawnArea(p, box, band)))) };
  };

  const demos = readdirSync(new URL('../../../../samples/workflows/', import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
  it.each(demos)('%s: every step and its name whole on some part, in no more parts than before', (name) => {
    const workflow = sample(name);
    const layout = layoutCanvas(workflow);
    const box = svgBox(diagramSvg(workflow, layout));
    if (!box) throw new Error('the diagram has no viewBox');
    const lanes = layout.lanes.map((l) => ({ name: l.name, top: l.top, height: l.height }));
    const steps = stepExtents(layout.steps);
    const { parts, cut } = cutSteps(box, steps, LANE_NAME_BAND);
    expect(cut).toEqual([]);
    // no more parts than equal cutting took (three for the largest demo)
    const equal = mapSlices(box, undefined, LANDSCAPE_WIDTH_PX, LANDSCAPE_HEIGHT_PX, MIN_MAP_SCALE);
    expect(parts.length).toBeLessThanOrEqual(equal.length);
    // the lane names repeated on a part hide no step
    const overlaps = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const part of parts)
      for (const label of laneNameBoxes(box, part, lanes))
        expect(
          steps.filter((s) => overlaps(s, label) && inside(s, drawnArea(part, box, LANE_NAME_BAND))),
        ).toEqual([]);
  });

  it('holds on random layouts', () => {
    const step = fc.record({
      x: fc.integer({ min: 0, max: 7_800 }),
      y: fc.integer({ min: 0, max: 2_800 }),
      width: fc.integer({ min: 20, max: 260 }),
      height: fc.integer({ min: 20, max: 160 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 0, max: 60 }),
        (steps, band) => {
          const right = Math.max(...steps.map((s) => s.x + s.width));
          const bottom = Math.max(...steps.map((s) => s.y + s.height));
          const box = { x: -24, y: -52, width: right + 48, height: bottom + 100 };
          expect(cutSteps(box, steps, band).cut).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
