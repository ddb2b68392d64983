import { describe, expect, it } from 'vitest';
import { chain, flows, LANES, startEnd, step } from '../../../core/workflow/rules/testing/builders.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas, type PlacedStep } from './canvasModel.ts';
import { diagramSvg, exportFileName, flowLabelY, wrapLabel } from './exportDiagram.ts';
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
});

describe('wrapLabel', () => {
  it.each([
    { label: 'Check insurance', width: 22, lines: 2, expected: ['Check insurance'] },
    {
      label: 'Enter allergies and medications from the intake form',
      width: 22,
      lines: 2,
      expected: ['Enter allergies and', 'medications from the…'],
    },
    { label: 'Supercalifragilisticexpialidocious', width: 10, lines: 2, expected: ['Supercali…'] },
  ])('wraps "$label"', ({ label, width, lines, expected }) => {
    expect(wrapLabel(label, width, lines)).toEqual(expected);
  });
});

it('exportFileName keeps only safe characters', () => {
  expect(exportFileName({ ...fixtureWorkflow(), id: '../intake current' }, 'svg')).toBe('intake-current.svg');
});

describe("a flow's words in the SVG are never under a step", () => {
  /** The words' box as flowLabelY keeps it clear (7 px per character, 11 px text). */
  const wordsBox = (text: string, x: number, y: number) => ({
    left: x - (text.length * 7) / 2,
    right: x + (text.length * 7) / 2,
    top: y - 11,
    bottom: y + 3,
  });
  const overlaps = (box: ReturnType<typeof wordsBox>, p: PlacedStep) =>
    box.left < p.x + p.width && box.right > p.x && box.top < p.y + p.height && box.bottom > p.y;

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
  ])('$description', ({ flowSpecs, lanes, marked }) => {
    const workflow: Workflow = {
      ...fixtureWorkflow(),
      lanes: LANES,
      steps: [...startEnd(), step('a', { lane: lanes.a }), step('b', { lane: lanes.b })],
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
    for (const [, x, y, text] of labels) {
      const box = wordsBox(text ?? '', Number(x), Number(y));
      for (const placed of layout.steps)
        expect(overlaps(box, placed), `${text} over ${placed.step.id}`).toBe(false);
    }
    // drawn after every step (nothing drawn later covers them but the finding marks)
    const lastStep = svg.lastIndexOf('<g><title>');
    for (const label of labels) expect(label.index).toBeGreaterThan(lastStep);
  });

  it('keeps words where they were when they fit between the steps', () => {
    const step = { x: 0, y: 0, width: 160, height: 72 } as PlacedStep;
    const far = { ...step, x: 600 } as PlacedStep;
    expect(flowLabelY('re-keyed', 380, 32, [step, far], [step, far])).toBe(32);
    const near = { ...step, x: 200 } as PlacedStep;
    expect(flowLabelY('re-keyed', 180, 32, [step, near], [step, near])).toBe(72 + 14);
  });
});
