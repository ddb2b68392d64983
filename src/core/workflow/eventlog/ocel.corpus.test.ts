/**
 * The OCEL 2.0 readers on the standard's example log as PM4Py ships it in its three formats
 * (tests/fixtures/external/pm4py-ocel2): every JSON key, XML element and attribute, and OCEL
 * attribute name the file holds is used or in the account (walked here independently of the
 * readers), and the counts per object type and per event type agree with a count of the file
 * made here. The SQLite copy is recognised and refused with what to do.
 */
import { readFileSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { unaccounted } from '../../readerAccount/index.ts';
import { flattenOcel, OcelRefusedError, summarizeOcel } from './ocel.ts';
import { readOcel, sniffOcelInput } from './ocelLog.ts';

const SUITE = 'pm4py-ocel2';

function fileInput(name: string) {
  const data = new Uint8Array(readFileSync(externalFixture(SUITE, name)));
  return {
    name,
    size: data.length,
    read: async (offset: number, length: number) => data.slice(offset, offset + length),
  };
}

/** What a count of the file itself says, per object type and per event type. */
interface Counted {
  seen: Set<string>;
  objectsPerType: Map<string, number>;
  /** events linked to at least one object of the type */
  eventsPerObjectType: Map<string, number>;
  eventsPerEventType: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

function countJson(text: string): Counted {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const seen = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) for (const item of value) walk(item, path);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        const name = path === '' ? key : `${path}.${key}`;
        seen.add(name);
        walk(inner, name);
      }
    }
  };
  walk(doc, '');
  type Entry = {
    id: string;
    type: string;
    attributes?: { name: string }[];
    relationships?: { objectId: string }[];
  };
  const objects = doc.objects as Entry[];
  const events = doc.events as Entry[];
  const typeOf = new Map(objects.map((o) => [o.id, o.type]));
  const counted: Counted = {
    seen,
    objectsPerType: new Map(),
    eventsPerObjectType: new Map(),
    eventsPerEventType: new Map(),
  };
  for (const o of objects) {
    bump(counted.objectsPerType, o.type);
    for (const a of o.attributes ?? []) seen.add(`object:${a.name}`);
  }
  for (const e of events) {
    bump(counted.eventsPerEventType, e.type);
    for (const a of e.attributes ?? []) seen.add(`event:${a.name}`);
    const types = new Set((e.relationships ?? []).map((r) => typeOf.get(r.objectId)));
    for (const t of types) if (t !== undefined) bump(counted.eventsPerObjectType, t);
  }
  return counted;
}

function countXml(text: string): Counted {
  const counted: Counted = {
    seen: new Set(),
    objectsPerType: new Map(),
    eventsPerObjectType: new Map(),
    eventsPerEventType: new Map(),
  };
  const parser = new SaxesParser();
  const stack: string[] = [];
  const typeOf = new Map<string, string>();
  const links: Array<{ type: string; objects: string[] }> = [];
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    const path = stack.join('/');
    counted.seen.add(path);
    const a = tag.attributes as Record<string, string>;
    for (const name of Object.keys(a)) counted.seen.add(`${path}@${name}`);
    if (path === 'log/objects/object') {
      typeOf.set(a.id as string, a.type as string);
      bump(counted.objectsPerType, a.type as string);
    } else if (path === 'log/objects/object/attributes/attribute') counted.seen.add(`object:${a.name}`);
    else if (path === 'log/events/event/attributes/attribute') counted.seen.add(`event:${a.name}`);
    else if (path === 'log/events/event') {
      bump(counted.eventsPerEventType, a.type as string);
      links.push({ type: a.type as string, objects: [] });
    } else if (path === 'log/events/event/objects/relationship')
      links.at(-1)?.objects.push(a['object-id'] as string);
  });
  parser.on('closetag', () => stack.pop());
  parser.write(text).close();
  for (const event of links) {
    const types = new Set(event.objects.map((id) => typeOf.get(id)));
    for (const t of types) if (t !== undefined) bump(counted.eventsPerObjectType, t);
  }
  return counted;
}

describe.each([
  { file: 'ocel20_example.jsonocel', kind: 'ocel-json', count: countJson },
  { file: 'ocel20_example.xmlocel', kind: 'ocel-xml', count: countXml },
])('OCEL 2.0 example log: $file', ({ file, kind, count }) => {
  it('is recognised by its content, and everything it holds is used or in the account', async () => {
    const input = fileInput(file);
    expect(await sniffOcelInput(input)).toBe(kind);
    const log = await readOcel(input, kind as 'ocel-json' | 'ocel-xml');
    const counted = count(readFileSync(externalFixture(SUITE, file), 'utf8'));
    expect(log.account.reader).toBe(kind);
    expect(unaccounted(counted.seen, log.account)).toEqual([]);
    // timed changes of object attributes are said (R3's is_blocked changes twice, PO1's quantity once)
    const blocked = log.account.lines.find((l) => l.name === 'object:is_blocked');
    expect(blocked?.effect).toMatch(/2 changes over time/);
    expect(log.account.lines.find((l) => l.name === 'object:po_quantity')?.effect).toMatch(
      /1 change over time/,
    );
  });

  it('counts per object type and event type as the file does', async () => {
    const log = await readOcel(fileInput(file), kind as 'ocel-json' | 'ocel-xml');
    const counted = count(readFileSync(externalFixture(SUITE, file), 'utf8'));
    const summary = summarizeOcel(log);
    expect(summary.objectTypes.map((t) => [t.name, t.objects])).toEqual(
      [...counted.objectsPerType].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    expect(new Map(summary.objectTypes.map((t) => [t.name, t.events]))).toEqual(counted.eventsPerObjectType);
    const perEventType = new Map<string, number>();
    for (const event of log.events) bump(perEventType, event.type);
    expect(perEventType).toEqual(counted.eventsPerEventType);
    expect(summary.undeclared).toEqual({ links: 0, objects: 0 });
    // each object type's map holds exactly the events linked to its objects
    for (const type of summary.objectTypes) {
      const flat = flattenOcel(log, { mapping: { case: type.name, activity: '', timestamp: '' } }, file);
      expect(flat.log.cases).toHaveLength(type.objectsWithEvents);
      expect(flat.problems.list()).toEqual([]);
      expect(flat.ocel.eventsNotOnMap).toBe(summary.events - type.events);
    }
  });
});

it('the SQLite copy of the example log is recognised and refused with what to do', async () => {
  const input = fileInput('ocel20_example.sqlite');
  const kind = await sniffOcelInput(input);
  expect(kind).toBe('ocel-sqlite');
  expect(() => readOcel(input, kind as 'ocel-sqlite')).toThrow(OcelRefusedError);
  expect(() => readOcel(input, kind as 'ocel-sqlite')).toThrow(/export the log as OCEL 2\.0 JSON/i);
});
