/**
 * The reader table: each reader named once, saying what it reads; the document read before its
 * parts are joined, the workflow last; and every element the export writes has a reader, so
 * import mirrors export element by element.
 */
import { describe, expect, it } from 'vitest';
import { BPMN_WRITERS } from '../writers/index.ts';
import { BPMN_READERS, DOCUMENT_READERS, FLOW_ELEMENT_READERS, READ_ELEMENTS } from './index.ts';

/** What the export writes that no reader reads, with why. */
const WRITTEN_NOT_READ: Readonly<Record<string, string>> = {
  'bpmndi:BPMNEdge': 'Preflight routes the lines between shapes itself',
  'bpmn:inputOutputSpecification': 'read only as a process’s own data (the account names its path)',
  'bpmn:inputSet': 'BPMN’s bookkeeping of which inputs go together; nothing for the workflow',
  'bpmn:outputSet': 'BPMN’s bookkeeping of which outputs go together; nothing for the workflow',
  'bpmn:property': 'the end inside an activity of a data association; the association is read',
};

/** `bpmn:UserTask` (a moddle type) → `bpmn:userTask` (its tag, as the readers and the account name it). */
function tagOf(type: string): string {
  const [prefix, local = ''] = type.split(':');
  return prefix === 'bpmn' ? `bpmn:${local.charAt(0).toLowerCase()}${local.slice(1)}` : type;
}

describe('BPMN readers', () => {
  it('reads the definitions first and the workflow last, the flow elements through the walk', () => {
    expect(DOCUMENT_READERS[0]?.id).toBe('definitions');
    expect(DOCUMENT_READERS.at(-1)?.id).toBe('workflow');
    expect(BPMN_READERS).toEqual([...DOCUMENT_READERS, ...FLOW_ELEMENT_READERS]);
  });

  it.each(BPMN_READERS.map((reader) => [reader.id, reader] as const))(
    '%s says what it reads',
    (_, reader) => {
      expect(reader.describe).not.toBe('');
      for (const tag of reader.reads) expect(tag).toMatch(/^(bpmn:[a-z]|bpmndi:[A-Z])\w+$/);
    },
  );

  it('names each reader once', () => {
    const ids = BPMN_READERS.map((reader) => reader.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves no flow element without a reader: the walk’s last reader takes any', () => {
    const last = FLOW_ELEMENT_READERS.at(-1);
    expect(last?.id).toBe('other-flow-elements');
    expect(FLOW_ELEMENT_READERS.slice(0, -1).every((reader) => reader.reads.length > 0)).toBe(true);
  });

  it.each(BPMN_WRITERS.flatMap((writer) => writer.writes.map((type) => [writer.id, type] as const)))(
    'reads what the %s writer writes: %s',
    (_, type) => {
      const tag = tagOf(type);
      if (WRITTEN_NOT_READ[tag] !== undefined) expect(READ_ELEMENTS.has(tag)).toBe(false);
      else expect(READ_ELEMENTS.has(tag)).toBe(true);
    },
  );
});
