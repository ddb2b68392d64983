/**
 * OCEL 2.0 XML logs (`.xmlocel`), streamed: bytes → strict UTF-8 text → `saxes` (no DOM; no run
 * of characters longer than {@link MAX_XML_TOKEN_CHARS} reaches it, xmlTokenLimit.ts) → the
 * events and object types kept in `OcelLog` (ocel.ts).
 *
 * Every element and attribute is used or in the account, named by its path from the root
 * (`log/events/event/objects/relationship@qualifier`); OCEL attributes are named `event:<name>`
 * and `object:<name>` (their values, the elements' text, are never named). Used: the type names,
 * each object's `id` and `type`, each event's `id` (positions), `type`, `time` and the
 * `object-id` of its relationships. Not used, and said: attribute declarations and values,
 * qualifiers, links between objects, and anything OCEL 2.0 does not define.
 */
import { SaxesParser } from 'saxes';
import { createAccount } from '../../readerAccount/index.ts';
import type { LogInput } from './csvLog.ts';
import {
  countObjectAttribute,
  createAttributeCounts,
  declareObject,
  finishOcelLog,
  OcelError,
  type OcelEvent,
  type OcelLog,
} from './ocel.ts';
import { type LogStream, pushLogText } from './streamText.ts';
import { createXmlTokenLimit, MAX_XML_TOKEN_CHARS } from './xmlTokenLimit.ts';

const EVENT = 'log/events/event';
const OBJECT = 'log/objects/object';
const EVENT_LINK = `${EVENT}/objects/relationship`;

/** The elements and attributes read. */
const USED: ReadonlySet<string> = new Set([
  'log',
  'log/object-types',
  'log/object-types/object-type',
  'log/object-types/object-type@name',
  'log/event-types',
  'log/event-types/event-type',
  'log/event-types/event-type@name',
  'log/objects',
  OBJECT,
  `${OBJECT}@id`,
  `${OBJECT}@type`,
  'log/events',
  EVENT,
  `${EVENT}@id`,
  `${EVENT}@type`,
  `${EVENT}@time`,
  `${EVENT}/objects`,
  EVENT_LINK,
  `${EVENT_LINK}@object-id`,
]);

const DECLARED =
  "an attribute's declaration: not needed, since attributes are not on the map (each one seen is listed by name)";
const VALUES = 'attributes are not on the map or its filters (each is listed by name)';
const OBJECT_LINKS = 'links between objects are not used: each object type has its own map';

/** What each known element or attribute that is not read means (by path). */
const NOT_USED: Readonly<Record<string, string>> = {
  'log/object-types/object-type/attributes': DECLARED,
  'log/object-types/object-type/attributes/attribute': DECLARED,
  'log/object-types/object-type/attributes/attribute@name': DECLARED,
  'log/object-types/object-type/attributes/attribute@type': DECLARED,
  'log/event-types/event-type/attributes': DECLARED,
  'log/event-types/event-type/attributes/attribute': DECLARED,
  'log/event-types/event-type/attributes/attribute@name': DECLARED,
  'log/event-types/event-type/attributes/attribute@type': DECLARED,
  [`${OBJECT}/attributes`]: VALUES,
  [`${OBJECT}/attributes/attribute`]: VALUES,
  [`${OBJECT}/attributes/attribute@name`]: VALUES,
  [`${OBJECT}/attributes/attribute@time`]: "the times of object attributes' values and changes are not used",
  [`${OBJECT}/objects`]: OBJECT_LINKS,
  [`${OBJECT}/objects/relationship`]: OBJECT_LINKS,
  [`${OBJECT}/objects/relationship@object-id`]: OBJECT_LINKS,
  [`${OBJECT}/objects/relationship@qualifier`]: OBJECT_LINKS,
  [`${EVENT}/attributes`]: VALUES,
  [`${EVENT}/attributes/attribute`]: VALUES,
  [`${EVENT}/attributes/attribute@name`]: VALUES,
  [`${EVENT_LINK}@qualifier`]:
    'qualifiers (the role an object plays in an event) are not used: each map takes every event linked to its objects',
};

const UNKNOWN = 'not a part of OCEL 2.0: not read';

/** An OCEL 2.0 XML reader: push text, then finish. */
function createOcelXmlReader(source: string, maxTokenChars = MAX_XML_TOKEN_CHARS) {
  const account = createAccount('ocel-xml');
  const counts = createAttributeCounts();
  const objectTypes = new Map<string, number>();
  const objectType = new Map<string, string>();
  const eventTypes = new Set<string>();
  const events: OcelEvent[] = [];
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  let event: OcelEvent | undefined;
  let elementId: string | undefined;
  let failure: OcelError | undefined;

  const fail = (what: string) => {
    failure ??= new OcelError(source, parser.line, parser.column, what);
  };
  const record = (name: string) => {
    if (USED.has(name)) account.use(name);
    else
      account.notUsed(name.includes('@') ? 'attribute' : 'element', name, NOT_USED[name] ?? UNKNOWN, {
        line: parser.line,
        column: parser.column,
        ...(elementId ? { elementId } : {}),
      });
  };
  parser.on('error', () => fail('the XML is not well-formed'));
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    const path = stack.join('/');
    if (stack.length === 1 && tag.name !== 'log') fail('the root element is not <log>');
    const attributes = tag.attributes as Record<string, string>;
    const text = (name: string) => attributes[name];
    if (path === OBJECT || path === EVENT) elementId = text('id');
    record(path);
    for (const name of Object.keys(attributes)) record(`${path}@${name}`);
    if (path === 'log/object-types/object-type') {
      const name = text('name');
      if (!name) return fail('an object type has no name');
      if (!objectTypes.has(name)) objectTypes.set(name, 0);
    } else if (path === 'log/event-types/event-type') {
      const name = text('name');
      if (!name) return fail('an event type has no name');
      eventTypes.add(name);
    } else if (path === OBJECT) {
      const id = text('id');
      const type = text('type');
      if (!id || !type) return fail(`an object has no ${id ? 'type' : 'id'}`);
      declareObject({ objectType, objectTypes }, counts, id, type);
    } else if (path === `${OBJECT}/attributes/attribute`) {
      const name = text('name');
      if (name !== undefined) countObjectAttribute(counts, name, text('time'));
    } else if (path === EVENT) {
      const type = text('type');
      if (!type) return fail('an event has no type');
      eventTypes.add(type);
      event = { type, time: text('time') ?? '', objects: [] };
    } else if (path === `${EVENT}/attributes/attribute`) {
      const name = text('name');
      if (name !== undefined) counts.event.set(name, (counts.event.get(name) ?? 0) + 1);
    } else if (path === EVENT_LINK && event) {
      const id = text('object-id');
      if (id !== undefined && !event.objects.includes(id)) event.objects.push(id);
    }
  });
  parser.on('closetag', () => {
    const path = stack.join('/');
    stack.pop();
    if (path === EVENT && event) {
      events.push(event);
      event = undefined;
    }
    if (path === EVENT || path === OBJECT) elementId = undefined;
  });

  const limit = createXmlTokenLimit(maxTokenChars);
  return {
    push(text: string) {
      if (failure) throw failure;
      const long = limit.scan(text);
      if (long) {
        throw new OcelError(
          source,
          long.line,
          long.column,
          `one element, attribute value, text or comment is longer than ${maxTokenChars.toLocaleString('en-US')} characters (an event log's names and values are short)`,
        );
      }
      parser.write(text);
      if (failure) throw failure;
    },
    finish(): OcelLog {
      if (!failure) parser.close();
      if (!failure && objectTypes.size === 0 && events.length === 0 && stack.length === 0)
        fail('the file holds no OCEL <log>');
      if (failure) throw failure;
      return finishOcelLog(
        'ocel-xml',
        account,
        counts,
        { objectTypes, objectType, events, eventTypes },
        `${EVENT_LINK}@object-id`,
        `${OBJECT}@id`,
      );
    },
  };
}

/** Reads a whole OCEL 2.0 XML text (tests, small logs). @throws {OcelError} */
export function readOcelXmlText(text: string, source = 'log.xmlocel'): OcelLog {
  const reader = createOcelXmlReader(source);
  reader.push(text);
  return reader.finish();
}

/**
 * Streams an OCEL 2.0 XML file into an {@link OcelLog}. @throws {OcelError}, `InputReadError`,
 * `Utf8DecodeError`, `JobCancelledError`
 */
export async function readOcelXml(input: LogInput, stream: LogStream = {}): Promise<OcelLog> {
  const reader = createOcelXmlReader(input.name);
  await pushLogText(input, reader, stream);
  return reader.finish();
}
