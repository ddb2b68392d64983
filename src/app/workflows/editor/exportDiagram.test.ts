import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { layoutCanvas } from './canvasModel.ts';
import { diagramSvg, exportFileName, wrapLabel } from './exportDiagram.ts';

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
