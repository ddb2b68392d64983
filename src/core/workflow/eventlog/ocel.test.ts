/**
 * OCEL 2.0: recognition by content, the flattening's stated rules (events at the same instant,
 * links to undeclared objects, an event linked twice), refusals with what to do, and the JSON
 * scanner on text split anywhere (fast-check prints the seed of a failure; pin it here).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unaccounted } from '../../readerAccount/index.ts';
import { flattenOcel, OcelError, OcelRefusedError, sniffOcel, UnknownObjectTypeError } from './ocel.ts';
import { readOcelJson, readOcelJsonText } from './ocelJson.ts';
import { readOcel } from './ocelLog.ts';
import { readOcelXml, readOcelXmlText } from './ocelXml.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const asInput = (text: string, name = 'log.jsonocel') => {
  const data = bytes(text);
  return {
    name,
    size: data.length,
    read: async (offset: number, length: number) => data.slice(offset, offset + length),
  };
};
const byType = (objectType: string) => ({ mapping: { case: objectType, activity: '', timestamp: '' } });

interface TestEvent {
  id: string;
  type: string;
  time: string;
  objects: string[];
}

/** An OCEL 2.0 JSON text of `events` and `objects` (id → type). */
function ocelJson(events: TestEvent[], objects: Record<string, string>, extra = ''): string {
  const types = [...new Set(Object.values(objects))];
  return JSON.stringify(
    {
      objectTypes: types.map((name) => ({ name, attributes: [] })),
      eventTypes: [...new Set(events.map((e) => e.type))].map((name) => ({ name, attributes: [] })),
      objects: Object.entries(objects).map(([id, type]) => ({ id, type })),
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        time: e.time,
        attributes: [{ name: 'clerk', value: 'x' }],
        relationships: e.objects.map((objectId) => ({ objectId, qualifier: 'q' })),
      })),
    },
    null,
    1,
  ).replace(/}\s*$/, `${extra}}`);
}

const attr = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** The same log as OCEL 2.0 XML. */
function ocelXml(events: TestEvent[], objects: Record<string, string>): string {
  const types = [...new Set(Object.values(objects))].map(attr);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<log>',
    '<object-types>',
    ...types.map((t) => `<object-type name="${t}"><attributes/></object-type>`),
    '</object-types>',
    '<objects>',
    ...Object.entries(objects).map(
      ([id, type]) => `<object id="${id}" type="${type}"><attributes/></object>`,
    ),
    '</objects>',
    '<events>',
    ...events.map(
      (e) =>
        `<event id="${attr(e.id)}" type="${attr(e.type)}" time="${e.time}"><objects>${e.objects.map((o) => `<relationship object-id="${attr(o)}" qualifier="q"/>`).join('')}</objects></event>`,
    ),
    '</events>',
    '</log>',
  ].join('\n');
}

/** Each case's activities in order. */
function paths(result: ReturnType<typeof flattenOcel>): Record<string, string[]> {
  const { log } = result;
  const out: Record<string, string[]> = {};
  log.cases.forEach((id, c) => {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    out[id] = [];
    for (let i = from; i < to; i++) out[id].push(log.activities[log.activity[i] as number] as string);
  });
  return out;
}

describe('sniffOcel: an OCEL log is recognised by its content, whatever its name', () => {
  const xes =
    '<?xml version="1.0"?>\n<log xes.version="1.0">\n<extension name="Concept" prefix="concept" uri="x"/>\n<trace/></log>';
  it.each([
    { description: 'OCEL 2.0 JSON', text: '{\n  "objectTypes": []}', expected: 'ocel-json' },
    { description: 'OCEL 2.0 JSON starting with events', text: '\ufeff {"events": [', expected: 'ocel-json' },
    { description: 'OCEL 1.0 JSON', text: '{"ocel:global-event": {}}', expected: 'ocel1-json' },
    { description: 'other JSON', text: '{"resourceType": "Bundle"}', expected: undefined },
    {
      description: "OCEL 2.0 JSON with a writer's key first",
      text: '{"generator": "x", "eventTypes": [], "objectTypes": [',
      expected: 'ocel-json',
    },
    { description: 'JSON naming one OCEL key only', text: '{"meta": {}, "events": [', expected: undefined },
    {
      description: 'OCEL 2.0 XML',
      text: '<?xml version="1.0"?>\n<log>\n  <object-types>',
      expected: 'ocel-xml',
    },
    { description: 'OCEL 2.0 XML, events first', text: '<log>\n<!-- x -->\n<events>', expected: 'ocel-xml' },
    {
      description: 'OCEL 1.0 XML',
      text: '<log>\n<global scope="event">\n<string key="ocel:activity" value="__INVALID__"/>',
      expected: 'ocel1-xml',
    },
    { description: 'XES', text: xes, expected: undefined },
    { description: 'CSV', text: 'case,activity,time\n1,a,2024-01-01', expected: undefined },
    {
      description: 'SQLite with OCEL tables',
      text: 'SQLite format 3\u0000....CREATE TABLE "event_object" (',
      expected: 'ocel-sqlite',
    },
    {
      description: 'another SQLite database',
      text: 'SQLite format 3\u0000...CREATE TABLE t',
      expected: 'sqlite',
    },
  ])('$description', ({ text, expected }) => {
    expect(sniffOcel(bytes(text))).toBe(expected);
  });
});

describe('flattening on an object type', () => {
  const objects = { o1: 'Order', o2: 'Order', i1: 'Item' };
  const events: TestEvent[] = [
    { id: 'e1', type: 'Place order', time: '2024-01-01T09:00:00Z', objects: ['o1', 'i1'] },
    // two events at the same instant: listed B before A
    { id: 'e2', type: 'Check stock', time: '2024-01-01T10:00:00Z', objects: ['o1', 'ghost'] },
    { id: 'e3', type: 'Approve', time: '2024-01-01T10:00:00Z', objects: ['o1', 'o1'] },
    { id: 'e4', type: 'Pack', time: '2024-01-01T11:00:00Z', objects: ['i1', 'ghost', 'ghost2'] },
    { id: 'e5', type: 'Place order', time: '2024-01-02T09:00:00Z', objects: ['o2'] },
  ];
  it.each([
    { description: 'JSON', read: () => readOcelJsonText(ocelJson(events, objects)) },
    { description: 'XML', read: () => readOcelXmlText(ocelXml(events, objects)) },
  ])('$description: a case is an object of the chosen type, its events those linked to it', ({ read }) => {
    const log = read();
    const orders = flattenOcel(log, byType('Order'), 'log');
    // e3 links o1 twice: one event of o1's case; same-instant e2 and e3 keep the log's order
    expect(paths(orders)).toEqual({
      o1: ['Place order', 'Check stock', 'Approve'],
      o2: ['Place order'],
    });
    expect(orders.ocel.eventsNotOnMap).toBe(1);
    expect(orders.ocel.sameInstant).toMatch(/order the log lists them/);
    expect(paths(flattenOcel(log, byType('Item'), 'log'))).toEqual({ i1: ['Place order', 'Pack'] });
    // links to objects the log never declares: counted and said, on no map
    expect(orders.ocel.undeclared).toEqual({ links: 3, objects: 2 });
    const line = orders.account.lines.find((l) => /never declares/.test(l.effect));
    expect(line?.count).toBe(3);
    expect(line?.effect).toMatch(/3 links from events to 2 objects the log never declares/);
    expect(orders.ocel.objectTypes).toEqual([
      { name: 'Item', objects: 1, objectsWithEvents: 1, events: 2 },
      { name: 'Order', objects: 2, objectsWithEvents: 2, events: 4 },
    ]);
  });

  it('events at the same instant follow the order the log lists them in, in any order listed', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D', 'E'), { minLength: 2, maxLength: 5 }),
        (types) => {
          const same = types.map((type, k) => ({
            id: `e${k}`,
            type,
            time: '2024-03-01T08:00:00Z',
            objects: ['o1'],
          }));
          const result = flattenOcel(
            readOcelJsonText(ocelJson(same, { o1: 'Order' })),
            byType('Order'),
            'log',
          );
          expect(paths(result).o1).toEqual(types);
        },
      ),
    );
  });

  it('counts an object declared twice once, under the type given last, and says so', () => {
    const text = JSON.stringify({
      objects: [
        { id: 'o1', type: 'Order' },
        { id: 'o1', type: 'Invoice' },
        { id: 'o2', type: 'Order' },
      ],
      events: [{ id: 'e1', type: 'a', time: '2024-01-01T00:00:00Z', relationships: [{ objectId: 'o1' }] }],
    });
    const log = readOcelJsonText(text);
    expect(Object.fromEntries(log.objectTypes)).toEqual({ Order: 1, Invoice: 1 });
    expect(log.account.lines.find((l) => l.name === 'objects.id')).toMatchObject({
      handling: 'interpreted',
      count: 1,
      effect: expect.stringMatching(
        /declared more than once under one id: each is one object, of the type given last/,
      ),
    });
  });

  it('refuses an object type the log does not have, naming those it has', () => {
    const log = readOcelJsonText(ocelJson(events, objects));
    expect(() => flattenOcel(log, byType('Invoice'), 'log.jsonocel')).toThrow(UnknownObjectTypeError);
    expect(() => flattenOcel(log, byType(''), 'log.jsonocel')).toThrow(
      /choose the object type .*Item, Order/,
    );
  });
});

describe('the JSON reader streams', () => {
  const events: TestEvent[] = Array.from({ length: 12 }, (_, k) => ({
    id: `e${k}`,
    type: `step "${k % 3}" [x]`,
    time: `2024-01-01T${String(8 + (k % 9)).padStart(2, '0')}:00:00Z`,
    objects: [`o${k % 4}`, k % 5 === 0 ? 'ghost' : `o${(k + 1) % 4}`],
  }));
  const objects = { o0: 'A', o1: 'A', o2: 'B', o3: 'B' };
  const text = ocelJson(events, objects, ',\n "vendor": {"note": [1, {"a": "}"}]}');
  const whole = readOcelJsonText(text);

  it('gives the same log and account however the text is split into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (chunkBytes) => {
        const log = await readOcelJson(asInput(text), { chunkBytes });
        expect(log.events).toEqual(whole.events);
        expect(log.account).toEqual(whole.account);
      }),
      { numRuns: 40 },
    );
    expect(whole.events).toHaveLength(12);
    expect(whole.account.lines.map((l) => l.name)).toContain('vendor.note.a');
  });

  it('refuses a text cut short anywhere, never reading it as a smaller log', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        expect(() => readOcelJsonText(text.slice(0, cut))).toThrow(OcelError);
      }),
      { numRuns: 200 },
    );
  });

  it('accounts for every key of any JSON beside the OCEL keys, at any depth', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })),
        (extra) => {
          const keys = Object.keys(extra).filter(
            (k) => !['objectTypes', 'eventTypes', 'objects', 'events'].includes(k),
          );
          const document = { events: [], ...Object.fromEntries(keys.map((k) => [k, extra[k]])) };
          const log = readOcelJsonText(JSON.stringify(document));
          const seen: string[] = [];
          const walk = (value: unknown, prefix: string) => {
            if (Array.isArray(value)) for (const item of value) walk(item, prefix);
            else if (typeof value === 'object' && value !== null)
              for (const [key, inner] of Object.entries(value)) {
                const name = prefix === '' ? key : `${prefix}.${key}`;
                seen.push(name);
                walk(inner, name);
              }
          };
          walk(document, '');
          expect(unaccounted(seen, log.account)).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the XML reader too', async () => {
    const xml = ocelXml(events, objects);
    const wholeXml = readOcelXmlText(xml, 'log.xmlocel');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 97 }), async (chunkBytes) => {
        const log = await readOcelXml(asInput(xml, 'log.xmlocel'), { chunkBytes });
        expect(log.events).toEqual(wholeXml.events);
        expect(log.account).toEqual(wholeXml.account);
      }),
      { numRuns: 20 },
    );
    expect(wholeXml.events.map((e) => e.objects)).toEqual(whole.events.map((e) => e.objects));
  });

  it.each([
    { description: 'not an object', text: '[1, 2]', what: /not a JSON object at line 1, column 1/ },
    {
      description: 'a broken event',
      text: '{"events": [\n {"type": "a",, "time": "x"}]}',
      what: /not well-formed at line 2, column 2/,
    },
    { description: 'cut short', text: '{"events": [{"type": "a"}', what: /ends before its JSON does/ },
    { description: 'an event without a type', text: '{"events": [{"id": "e1"}]}', what: /has no "type"/ },
    {
      description: 'an element too long',
      text: `{"events": [{"type": "${'a'.repeat(200)}"}]}`,
      what: /longer than 100 characters/,
    },
  ])('says where a file is not OCEL 2.0 JSON: $description', ({ text: bad, what }) => {
    expect(() => readOcelJsonText(bad, 'bad.jsonocel', 100)).toThrow(OcelError);
    expect(() => readOcelJsonText(bad, 'bad.jsonocel', 100)).toThrow(what);
  });
});

describe('refusals say what to do', () => {
  it.each([
    { kind: 'ocel-sqlite' as const, says: /SQLite database.*pm4py\.write_ocel2_json/ },
    { kind: 'sqlite' as const, says: /not an event log/ },
    { kind: 'ocel1-json' as const, says: /OCEL 1\.0.*OCEL 2\.0 JSON/ },
  ])('$kind', ({ kind, says }) => {
    expect(() => readOcel(asInput('x', 'log.sqlite'), kind)).toThrow(OcelRefusedError);
    expect(() => readOcel(asInput('x', 'log.sqlite'), kind)).toThrow(says);
  });
});
