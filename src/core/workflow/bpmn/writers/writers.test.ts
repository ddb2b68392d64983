/** The writer table: each writer named once, saying what it writes; semantic writers before diagram ones. */
import { describe, expect, it } from 'vitest';
import { BPMN_WRITERS, DIAGRAM_WRITERS, SEMANTIC_WRITERS } from './index.ts';

describe('BPMN writers', () => {
  it('runs the semantic writers, then the diagram writers, the definitions last', () => {
    expect(BPMN_WRITERS).toEqual([...SEMANTIC_WRITERS, ...DIAGRAM_WRITERS]);
    expect(BPMN_WRITERS.at(-1)?.id).toBe('definitions');
  });

  it.each(BPMN_WRITERS.map((writer) => [writer.id, writer] as const))(
    '%s says what it writes',
    (_, writer) => {
      expect(writer.describe).not.toBe('');
      expect(writer.writes.length).toBeGreaterThan(0);
      for (const element of writer.writes) expect(element).toMatch(/^(bpmn|bpmndi):[A-Z]\w+$/);
    },
  );

  it('names each writer once', () => {
    const ids = BPMN_WRITERS.map((writer) => writer.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves only diagram elements to the diagram writers', () => {
    for (const writer of SEMANTIC_WRITERS)
      for (const element of writer.writes) expect(element).toMatch(/^bpmn:/);
    for (const writer of DIAGRAM_WRITERS.slice(0, -1))
      for (const element of writer.writes) expect(element).toMatch(/^bpmndi:/);
  });
});
