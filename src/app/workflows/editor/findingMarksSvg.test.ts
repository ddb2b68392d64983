/**
 * The finding marks in the diagram's SVG export (findingMarksSvg.ts through diagramSvg): on the
 * demo clinic's planned intake every mark the canvas shows is in the picture, in words and in
 * the screen's colours and places, with its legend; none and no legend without marks; names
 * escaped; the file parses as XML (saxes, as the BPMN import reads XML).
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../../core/workflow/index.ts';
import { chain, type Finding, flows, LANES, startEnd, step } from '../../../core/workflow/rules/index.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas } from './canvasModel.ts';
import { diagramSvg } from './exportDiagram.ts';
import { findingMarks } from './findingMarks.ts';
import { MARK_COLOURS } from './findingMarksSvg.ts';

interface Element {
  name: string;
  attributes: Record<string, string>;
  /** the text of its <title> child, for a mark's group */
  title: string;
  parent: Element | null;
  children: Element[];
  text: string;
}

/** Parses SVG text into a small element tree (throws on XML that is not well formed). */
function parse(svg: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#root', attributes: {}, title: '', parent: null, children: [], text: '' };
  let current = root;
  parser.on('opentag', (tag) => {
    const element: Element = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      title: '',
      parent: current,
      children: [],
      text: '',
    };
    current.children.push(element);
    current = element;
  });
  parser.on('text', (text) => {
    for (let at: Element | null = current; at; at = at.parent) at.text += text;
    if (current.name === 'title' && current.parent) current.parent.title += text;
  });
  parser.on('closetag', () => {
    current = current.parent ?? root;
  });
  parser.write(svg).close();
  return root;
}

function all(element: Element, match: (e: Element) => boolean): Element[] {
  return [...(match(element) ? [element] : []), ...element.children.flatMap((c) => all(c, match))];
}

const marksOf = (root: Element) =>
  all(root, (e) => e.name === 'g' && (e.attributes.class ?? '').startsWith('finding-mark '));

const read = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../samples/workflows/${name}`, import.meta.url), 'utf8'),
  ) as Workflow;

describe("the planned intake's SVG with its finding marks", () => {
  const current = read('patient-intake.current.json');
  const future = read('patient-intake.future.json');
  const { findings } = analyzeWorkflow(future, { baseline: current });
  const marks = findingMarks(findings, future);
  const layout = layoutCanvas(future);
  const withMarks = parse(diagramSvg(future, layout, 'off', marks));
  const without = parse(diagramSvg(future, layout, 'off'));

  it('draws one mark per marked step, role and flow, each titled in words like the canvas', () => {
    const drawn = marksOf(withMarks);
    expect(drawn).toHaveLength(marks.steps.size + marks.lanes.size + marks.flows.length);
    expect(drawn.length).toBeGreaterThan(10);
    for (const mark of drawn) {
      expect(mark.title).toMatch(
        /^\d+ findings? on .+: \d+ (problem|warning|note)s?(, \d+ (problem|warning|note)s?)*$/,
      );
      // the count and the severity symbol are drawn, not only titled
      const count = mark.title.match(/^\d+/)?.[0];
      expect(mark.text.replace(mark.title, '')).toMatch(new RegExp(`^[✖▲ℹ] ${count}$`));
    }
    for (const [id, mark] of marks.steps) {
      const label = future.steps.find((s) => s.id === id)?.label ?? '';
      const titled = drawn.filter(
        (g) => g.title.startsWith(`${mark.findings.length} `) && g.title.includes(` on ${label}: `),
      );
      expect(titled, label).toHaveLength(1);
      expect(titled[0]?.title.endsWith(mark.summary)).toBe(true);
    }
    for (const [id, mark] of marks.lanes) {
      const name = future.lanes.find((l) => l.id === id)?.name ?? '';
      expect(drawn.some((g) => g.title.endsWith(`on the role ${name}: ${mark.summary}`))).toBe(true);
    }
  });

  it("puts a step's mark on its top right corner, as the canvas does", () => {
    const [id, mark] = [...marks.steps][0] ?? [];
    if (!id || !mark) throw new Error('the planned intake has no marked step');
    const placed = layout.steps.find((p) => p.step.id === id);
    const label = placed?.step.label ?? '';
    const group = marksOfTitled(withMarks, ` on ${label}: ${mark.summary}`);
    const box = group.children.find((c) => c.name === 'rect')?.attributes ?? {};
    const right = Number(box.x) + Number(box.width);
    expect(right).toBe((placed?.x ?? 0) + (placed?.width ?? 0) + 12);
    expect(Number(box.y)).toBe((placed?.y ?? 0) - 13);
  });

  it('draws each severity in its shape and the screen colours, and a legend saying what they mean', () => {
    for (const group of marksOf(withMarks)) {
      const severity = (group.attributes.class ?? '').split('finding-mark-')[1] as keyof typeof MARK_COLOURS;
      const rect = group.children.find((c) => c.name === 'rect')?.attributes ?? {};
      expect(rect.fill).toBe(MARK_COLOURS[severity].fill);
      expect(rect.stroke).toBe(MARK_COLOURS[severity].stroke);
      const rx = Number(rect.rx);
      if (severity === 'error') expect(rx).toBe(3);
      else expect(rx).toBeGreaterThanOrEqual(11);
    }
    const legend = all(withMarks, (e) => e.attributes.class === 'finding-marks-legend');
    expect(legend).toHaveLength(1);
    expect(legend[0]?.text).toContain('Findings on the diagram');
    expect(legend[0]?.text).toContain('two findings, the most serious a problem');
    expect(legend[0]?.text).toContain(
      `${marks.unplaced.length} findings are about the whole workflow or about steps of today's workflow: not drawn.`,
    );
    // the picture grows to hold the legend
    const height = (root: Element) => Number(all(root, (e) => e.name === 'svg')[0]?.attributes.height);
    expect(height(withMarks)).toBeGreaterThan(height(without));
  });

  it('has no marks and no legend when they are switched off', () => {
    expect(marksOf(without)).toEqual([]);
    expect(all(without, (e) => e.attributes.class === 'finding-marks-legend')).toEqual([]);
    expect(without.text).not.toContain('Findings on the diagram');
  });
});

function marksOfTitled(root: Element, ending: string): Element {
  const found = marksOf(root).filter((g) => g.title.endsWith(ending));
  expect(found).toHaveLength(1);
  return found[0] as Element;
}

describe('finding marks in the SVG, on a small workflow', () => {
  const workflow: Workflow = {
    ...fixtureWorkflow(),
    lanes: LANES.map((l, i) => (i === 0 ? { ...l, name: 'Desk <A&B>' } : l)),
    steps: [...startEnd(), step('a', { label: 'Check "ID" & <card>' }), step('b', { lane: 'nurse' })],
    flows: flows(...chain('start', 'a'), 'a>b:1:manual', ...chain('b', 'end')),
  };
  const finding = (rule: string, stepIds: string[], evidence: Finding['evidence'] = {}): Finding => ({
    rule,
    severity: 'warn',
    stepIds,
    message: 'not in the picture',
    evidence,
  });
  const marks = findingMarks(
    [
      finding('digitized-paper-step', ['a']),
      finding('role-overload', ['a'], { laneId: LANES[0]?.id ?? '' }),
      finding('manual-transcription', ['a', 'b'], { manualFlow: true }),
    ],
    workflow,
  );
  const svg = diagramSvg(workflow, layoutCanvas(workflow), 'off', marks);
  const root = parse(svg);

  it('escapes step and role names in the marks, and writes no finding message', () => {
    expect(svg).toContain('on Check &#34;ID&#34; &#38; &#60;card&#62;: 1 warning');
    expect(svg).toContain('on the role Desk &#60;A&#38;B&#62;: 1 warning');
    expect(svg).not.toContain('not in the picture');
    expect(marksOf(root)).toHaveLength(3);
  });

  it("moves a marked flow's words below its mark, as the canvas does", () => {
    const group = marksOfTitled(root, 'on the flow from Check "ID" & <card> to Step b: 1 warning');
    const markTop = Number(group.children.find((c) => c.name === 'rect')?.attributes.y);
    const words = all(root, (e) => e.name === 'text' && e.text.endsWith('re-keyed'));
    expect(words.length).toBeGreaterThan(0);
    expect(Number(words[0]?.attributes.y)).toBeGreaterThan(markTop + 22);
    // an unmarked flow keeps its words just above its middle (where the mark is centred)
    const plain = parse(diagramSvg(workflow, layoutCanvas(workflow), 'off'));
    const before = all(plain, (e) => e.name === 'text' && e.text.endsWith('re-keyed'));
    expect(Number(before[0]?.attributes.y)).toBe(markTop + 11 - 4);
  });
});

it("the export's mark colours are the screen's (findingMarks.css, styles.css)", () => {
  const css = (name: string) => readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8');
  const marksCss = css('app/workflows/editor/findingMarks.css');
  const variables = new Map(
    [...css('app/styles.css').matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})/gi)].map((m) => [
      m[1],
      m[2]?.toLowerCase(),
    ]),
  );
  const resolve = (value: string | undefined) =>
    value?.startsWith('var(--') ? variables.get(value.slice(6, -1)) : value?.toLowerCase();
  for (const severity of ['error', 'warn', 'info'] as const) {
    const block = marksCss.match(new RegExp(`\\.wf-finding-mark-${severity} \\{([^}]*)\\}`))?.[1] ?? '';
    const prop = (name: string) => block.match(new RegExp(`(?:^|;|\\s)${name}:\\s*([^;]+);`))?.[1]?.trim();
    const text = resolve(prop('color'));
    expect(text, severity).toBe(MARK_COLOURS[severity].text);
    expect(resolve(prop('background')), severity).toBe(MARK_COLOURS[severity].fill);
    // a border colour of its own, else the text colour (border: 2px solid currentColor)
    expect(resolve(prop('border-color')) ?? text, severity).toBe(MARK_COLOURS[severity].stroke);
  }
});
