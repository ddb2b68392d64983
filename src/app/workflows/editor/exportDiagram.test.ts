import { describe, expect, it } from 'vitest';
import { chain, flows, LANES, startEnd, step } from '../../../core/workflow/rules/index.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { sampleWorkflow } from '../testSamples.ts';
import { boxNameLines, wrapLabel } from './boxName.ts';
import { layoutCanvas, type PlacedStep } from './canvasModel.ts';
import { diagramSvg, exportFileName, laneNameLines } from './exportDiagram.ts';
import { findingMarks } from './findingMarks.ts';

describe('diagramSvg', () => {
  it('draws every lane and step, and escapes their text', () => {
    const workflow = {
      ...fixtureWorkflow(),
      name: 'Intake <draft> & "notes"',
      lanes: fixtureWorkflow().lanes.map((l, i) => (i === 0 ? { ...l, name: 'Desk <A&B>' } : l)),
    };
    const svg = diagramSvg(workflow, layoutCanvas(workflow), 'touch');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Desk &#60;A&#38;B&#62;');
    expect(svg).not.toContain('<draft>');
    for (const step of workflow.steps) expect(svg).toContain(step.label.split(' ')[0]);
    // one arrow per flow, the paper flows dashed
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(workflow.flows.length);
    expect(svg.match(/stroke-dasharray="7 4"/g)).toHaveLength(
      workflow.flows.filter((f) => f.transfer === 'paper').length,
    );
    // non-digital steps carry their medium as a word, not colour alone
    expect(svg).toContain('>Paper</text>');
    // well-formed: every element that opens is closed
    expect(svg.match(/<g>/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
  });

  it("draws a long lane name whole, wrapped in the lane's header, its staff below it", () => {
    const name = 'Registration and scheduling, central office team';
    const workflow = {
      ...fixtureWorkflow(),
      lanes: fixtureWorkflow().lanes.map((l, i) => (i === 0 ? { ...l, name } : l)),
    };
    const svg = diagramSvg(workflow, layoutCanvas(workflow));
    const lines = laneNameLines(name);
    expect(lines).toEqual(['Registration and', 'scheduling, central', 'office team']);
    const ys = lines.map((line) => Number(new RegExp(`y="([\\d.-]+)"[^>]*>${line}</text>`).exec(svg)?.[1]));
    expect(ys.every(Number.isFinite)).toBe(true);
    expect(ys[1]).toBeGreaterThan(ys[0] ?? Infinity);
    const staff = Number(/y="([\d.-]+)"[^>]*>(?:\d+ on shift|Not a staffed role)<\/text>/.exec(svg)?.[1]);
    expect(staff).toBeGreaterThan(ys[2] ?? Infinity);
  });
});

describe('wrapLabel', () => {
  it.each([
    { label: 'Check insurance', width: 22, expected: ['Check insurance'] },
    {
      label: 'Enter allergies and medications from the intake form',
      width: 22,
      expected: ['Enter allergies and', 'medications from the', 'intake form'],
    },
    {
      label: 'Supercalifragilisticexpialidocious',
      width: 10,
      expected: ['Supercalif', 'ragilistic', 'expialidoc', 'ious'],
    },
  ])('wraps "$label" whole', ({ label, width, expected }) => {
    expect(wrapLabel(label, width)).toEqual(expected);
  });
});

describe('boxNameLines', () => {
  it('keeps 12 px while the name fits its box, then smaller text, and never cuts it', () => {
    expect(boxNameLines('Check insurance', 72, true)).toEqual({
      lines: ['Check insurance'],
      fontSize: 12,
      lineHeight: 14,
    });
    // 4 lines at 12 px fit a digital step's box; 3 above a paper step's badge
    const long = 'Pre-register in the patient portal (demographics, insurance, allergies, medications)';
    expect(boxNameLines(long, 72, false).fontSize).toBeLessThan(12);
    for (const badge of [false, true]) {
      const name = boxNameLines(long, 72, badge);
      expect(name.lines.join(' ')).toBe(long);
      expect(name.lines.length * name.lineHeight).toBeLessThanOrEqual(72 - 8 - (badge ? 20 : 0));
    }
    // too long for any size: the smallest, every word kept
    const endless = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const name = boxNameLines(endless, 72, true);
    expect(name.fontSize).toBe(9);
    expect(name.lines.join(' ')).toBe(endless);
  });

  it('puts every step name of the demo intake whole in the SVG', () => {
    const workflow = sampleWorkflow('patient-intake.future');
    const svg = diagramSvg(workflow, layoutCanvas(workflow));
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
    const fromXml = (t: string) =>
      t.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    const all = texts.map(fromXml).join('\n');
    for (const step of workflow.steps) {
      expect(all.replace(/\n/g, ' '), step.label).toContain(step.label);
    }
    expect(all).not.toContain('…');
  });
});

it('exportFileName keeps only safe characters', () => {
  expect(exportFileName({ ...fixtureWorkflow(), id: '../intake current' }, 'svg')).toBe('intake-current.svg');
});

describe("a flow's words in the SVG are never under a step or a step's name", () => {
  /** The words' box as flowLabels.ts keeps it clear (7 px per character, 11 px text). */
  const wordsBox = (text: string, x: number, y: number) => ({
    left: x - (text.length * 7) / 2,
    right: x + (text.length * 7) / 2,
    top: y - 11,
    bottom: y + 3,
  });
  const overlaps = (box: ReturnType<typeof wordsBox>, p: PlacedStep) =>
    box.left < p.x + p.width && box.right > p.x && box.top < p.y + p.height && box.bottom > p.y;
  /** A step name's line (12 px text, 7.5 px per character taken wide), as drawn in the SVG. */
  const nameBox = (text: string, x: number, y: number) => ({
    left: x - (text.length * 7.5) / 2,
    right: x + (text.length * 7.5) / 2,
    top: y - 12,
    bottom: y + 3,
  });
  const boxesMeet = (a: ReturnType<typeof wordsBox>, b: ReturnType<typeof wordsBox>) =>
    a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  const START_END = startEnd();
  /** start and end steps named as a clinic names them: wider than their circles, on two lines */
  const LONG_NAMES = {
    start: { ...START_END[0], label: 'Referral arrives by fax' },
    end: { ...START_END[1], label: 'Referral closed' },
  };

  it.each([
    {
      description: 'a short re-keyed flow between neighbouring steps of one role, with its finding mark',
      flowSpecs: [...chain('start', 'a'), 'a>b:1:manual', ...chain('b', 'end')],
      lanes: { a: 'desk', b: 'desk' },
      marked: true,
    },
    {
      description: 'the same flow without marks',
      flowSpecs: [...chain('start', 'a'), 'a>b:1:manual', ...chain('b', 'end')],
      lanes: { a: 'desk', b: 'desk' },
      marked: false,
    },
    {
      description: 'a re-keyed flow to another role, marked',
      flowSpecs: [...chain('start', 'a'), 'a>b:1:manual', ...chain('b', 'end')],
      lanes: { a: 'desk', b: 'nurse' },
      marked: true,
    },
    {
      description: 'a paper flow with a probability, between neighbours',
      flowSpecs: ['start>a', 'a>b:0.5:paper', 'a>end:0.5', 'b>end'],
      lanes: { a: 'desk', b: 'desk' },
      marked: false,
    },
    {
      description: 'a re-keyed flow from a start step whose name is wider than its circle, to its neighbour',
      flowSpecs: ['start>a:1:manual', 'a>b', 'b>end:1:paper'],
      lanes: { a: 'desk', b: 'desk' },
      marked: false,
      names: LONG_NAMES,
      order: ['start', 'a', 'b', 'end'],
    },
    {
      description: 'a re-keyed flow passing over an end step, moved under the steps where its name is',
      flowSpecs: ['start>a:1:manual', 'a>b', 'b>end:1:paper'],
      lanes: { a: 'desk', b: 'desk' },
      marked: false,
      names: LONG_NAMES,
    },
    {
      description: 'the same, marked',
      flowSpecs: ['start>a:1:manual', 'a>b', 'b>end:1:paper'],
      lanes: { a: 'desk', b: 'desk' },
      marked: true,
      names: LONG_NAMES,
    },
    {
      description:
        "a re-keyed flow passing over an end step whose name takes two lines: kept in the role's band",
      flowSpecs: ['start>a:1:manual', 'a>b', 'b>end:1:paper'],
      lanes: { a: 'desk', b: 'desk' },
      marked: false,
      names: { ...LONG_NAMES, end: { ...LONG_NAMES.end, label: 'Referral closed and archived' } },
    },
  ])('$description', ({ flowSpecs, lanes, marked, names, order }) => {
    const steps = [
      names?.start ?? START_END[0],
      names?.end ?? START_END[1],
      step('a', { lane: lanes.a, ...(names ? { label: 'Enter the referral' } : {}) }),
      step('b', { lane: lanes.b, ...(names ? { label: 'Book the visit' } : {}) }),
    ];
    const workflow: Workflow = {
      ...fixtureWorkflow(),
      lanes: LANES,
      // steps without positions are placed in this order (the end in the second column by default)
      steps: order ? order.map((id) => steps.find((st) => st.id === id) as (typeof steps)[number]) : steps,
      flows: flows(...flowSpecs),
    };
    const layout = layoutCanvas(workflow);
    const marks = marked
      ? findingMarks(
          [
            {
              rule: 'manual-transcription',
              severity: 'warn',
              stepIds: ['a', 'b'],
              message: 'copied by hand',
              evidence: { manualFlow: true },
            },
          ],
          workflow,
        )
      : undefined;
    const svg = diagramSvg(workflow, layout, 'off', marks);
    const labels = [
      ...svg.matchAll(
        /<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="middle" fill="#1b2430" font-size="11"[^>]*>([^<]*)<\/text>/g,
      ),
    ];
    // words on a flow: its share of a decision's cases, how data moves along it when by hand or paper
    const wanted = workflow.flows.filter(
      (f) => f.probability !== undefined || f.transfer === 'manual' || f.transfer === 'paper',
    ).length;
    expect(labels.length).toBe(wanted);
    // the steps' names: inside their shapes, or under the circle of a start or end step
    const stepNames = [
      ...svg.matchAll(
        /<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="middle" fill="#1b2430">([^<]*)<\/text>/g,
      ),
    ];
    expect(stepNames.length).toBeGreaterThanOrEqual(workflow.steps.length);
    for (const [, x, y, text] of labels) {
      const box = wordsBox(text ?? '', Number(x), Number(y));
      for (const placed of layout.steps)
        expect(overlaps(box, placed), `${text} over ${placed.step.id}`).toBe(false);
      // inside one role's band: not over a lane's border, nor past the diagram's last lane
      const band = layout.lanes.find((lane) => box.top >= lane.top && box.top < lane.top + lane.height);
      expect(band, `${text} above every lane`).toBeDefined();
      expect(box.bottom, `${text} past its lane`).toBeLessThanOrEqual((band?.top ?? 0) + (band?.height ?? 0));
      for (const [, nx, ny, name] of stepNames)
        expect(boxesMeet(box, nameBox(name ?? '', Number(nx), Number(ny))), `${text} on "${name}"`).toBe(
          false,
        );
    }
    // drawn after every step (nothing drawn later covers them but the finding marks)
    const lastStep = svg.lastIndexOf('<g><title>');
    for (const label of labels) expect(label.index).toBeGreaterThan(lastStep);
  });
});
