/**
 * OCEL 2.0 JSON logs (`.jsonocel`), streamed: bytes → strict UTF-8 text → a scanner of the
 * top-level object that hands over one element of `objectTypes`, `eventTypes`, `objects` and
 * `events` at a time (each parsed alone with `JSON.parse`) → the events and object types kept in
 * `OcelLog` (ocel.ts). The text of the file is never held whole: memory holds the compact events
 * and one element's text, at most {@link MAX_OCEL_ELEMENT_CHARS} characters.
 *
 * Every key is used or in the account, named by its path without array indices
 * (`events.relationships.qualifier`); OCEL attributes are named `event:<name>` and
 * `object:<name>` (values are never named). Used: the type names, each object's `id` and `type`,
 * each event's `id` (positions), `type`, `time` and `relationships[].objectId`. Not used, and
 * said: attribute declarations and values, qualifiers, links between objects, and any key
 * OCEL 2.0 does not define.
 */
import { type AccountBuilder, createAccount } from '../../readerAccount/index.ts';
import type { LogInput } from './csvLog.ts';
import {
  countObjectAttribute,
  createAttributeCounts,
  declareObject,
  finishOcelLog,
  OCEL_JSON_KEYS,
  OcelError,
  type OcelEvent,
  type OcelLog,
} from './ocel.ts';
import { type LogStream, pushLogText } from './streamText.ts';

/** Characters of one element of a top-level array (one event, one object): far above any real one. */
export const MAX_OCEL_ELEMENT_CHARS = 16 * 1024 * 1024;

/** Where an element starts (1-based). */
interface Position {
  line: number;
  column: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Scans a JSON text whose root is an object and calls `onKey(key, at)` as each member begins and
 * `onMember(key, value, index, at)` for each element of an array member (`index` ≥ 0) and for
 * each member that is not an array (`index` −1).
 * Only the element in progress is held as text. Structure above the elements is checked here;
 * each element is checked by `JSON.parse`.
 */
function createTopLevelScanner(
  source: string,
  onMember: (key: string, value: unknown, index: number, at: Position) => void,
  onKey: (key: string, at: Position) => void,
  maxElementChars: number,
) {
  let line = 1;
  let column = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** at depth 1: what comes next; 'done' after the root closes */
  let phase: 'start' | 'key' | 'colon' | 'value' | 'comma' | 'done' = 'start';
  let key = '';
  /** the member's value is an array whose elements are being handed over */
  let inArray = false;
  let index = 0;
  /** the text being collected (a key, an element or a member's value), as parts across chunks */
  let collecting:
    | { what: 'key' | 'element' | 'value'; parts: string[]; chars: number; at: Position }
    | undefined;
  let from = 0;

  const fail = (what: string, at: Position = { line, column }): never => {
    throw new OcelError(source, at.line, at.column, what);
  };
  const start = (what: 'key' | 'element' | 'value', i: number) => {
    collecting = { what, parts: [], chars: 0, at: { line, column } };
    from = i;
  };
  const end = (text: string, i: number) => {
    const c = collecting as NonNullable<typeof collecting>;
    c.parts.push(text.slice(from, i));
    collecting = undefined;
    const whole = c.parts.join('');
    let value: unknown;
    try {
      value = JSON.parse(whole);
    } catch {
      fail('the JSON is not well-formed', c.at);
    }
    if (c.what === 'key') {
      key = value as string;
      phase = 'colon';
    } else if (c.what === 'element') onMember(key, value, index++, c.at);
    else {
      onMember(key, value, -1, c.at);
      phase = 'comma';
    }
  };

  /** a character inside a value being collected, outside its strings */
  const within = (c: number) => {
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  };
  /** the first character of a value */
  const first = (c: number) => {
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) fail('expected a value');
    within(c);
  };

  const push = (text: string) => {
    from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (collecting?.what === 'key') end(text, i + 1);
        }
      } else if (collecting && collecting.what !== 'key') {
        const closesAt = collecting.what === 'element' ? 2 : 1;
        if (depth === closesAt && (c === COMMA || c === (closesAt === 2 ? CLOSE_ARRAY : CLOSE_OBJECT))) {
          end(text, i);
          // the same character then ends the array or the root, or separates
          i--;
          continue;
        }
        within(c);
      } else if (!isSpace(c)) {
        if (phase === 'start') {
          if (c !== OPEN_OBJECT) fail('the file is not a JSON object');
          depth = 1;
          phase = 'key';
        } else if (phase === 'done') fail('there is more after the end of the JSON object');
        else if (inArray) {
          if (c === CLOSE_ARRAY) {
            inArray = false;
            depth = 1;
            phase = 'comma';
          } else if (c === COMMA) {
            // between elements
          } else {
            start('element', i);
            first(c);
          }
        } else if (phase === 'key') {
          if (c === QUOTE) {
            start('key', i);
            inString = true;
          } else if (c === CLOSE_OBJECT) {
            depth = 0;
            phase = 'done';
          } else fail('expected a key');
        } else if (phase === 'colon') {
          if (c !== COLON) fail('expected ":" after a key');
          phase = 'value';
        } else if (phase === 'value') {
          // every member is said, an empty list too
          onKey(key, { line, column });
          if (c === OPEN_ARRAY) {
            inArray = true;
            index = 0;
            depth = 2;
          } else {
            start('value', i);
            first(c);
          }
        } else if (phase === 'comma') {
          if (c === COMMA) phase = 'key';
          else if (c === CLOSE_OBJECT) {
            depth = 0;
            phase = 'done';
          } else fail('expected "," or "}"');
        }
      }
      if (collecting && collecting.chars + (i - from) > maxElementChars) {
        fail(
          `one element is longer than ${maxElementChars.toLocaleString('en-US')} characters (an event's or object's are short)`,
          collecting.at,
        );
      }
      if (c === NEWLINE) {
        line++;
        column = 1;
      } else column++;
    }
    if (collecting) {
      const part = text.slice(from);
      collecting.parts.push(part);
      collecting.chars += part.length;
    }
  };

  return {
    push,
    finish() {
      if (phase !== 'done') fail('the file ends before its JSON does');
    },
  };
}

/** An OCEL 2.0 JSON reader: push text, then finish. */
function createOcelJsonReader(source: string, maxElementChars = MAX_OCEL_ELEMENT_CHARS) {
  const account = createAccount('ocel-json');
  const counts = createAttributeCounts();
  const objectTypes = new Map<string, number>();
  const objectType = new Map<string, string>();
  const eventTypes = new Set<string>();
  const events: OcelEvent[] = [];

  const isOcelKey = (key: string) => (OCEL_JSON_KEYS as readonly string[]).includes(key);
  const onKey = (top: string, at: Position) => {
    if (isOcelKey(top)) account.use(top);
    else
      account.notUsed('key', top, 'not a part of OCEL 2.0: not read', { line: at.line, column: at.column });
  };
  const onMember = (top: string, value: unknown, index: number, at: Position) => {
    const where = { line: at.line, column: at.column };
    if (!isOcelKey(top)) {
      walkUnknown(account, value, top, where);
      return;
    }
    if (index < 0) {
      throw new OcelError(source, at.line, at.column, `"${top}" is not a list`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new OcelError(source, at.line, at.column, `an entry of "${top}" is not a JSON object`);
    }
    const entry = value as Record<string, unknown>;
    const text = (name: string): string | undefined => {
      const v = entry[name];
      return typeof v === 'string' ? v : undefined;
    };
    const required = (name: string): string => {
      const v = text(name);
      if (v === undefined || v === '')
        throw new OcelError(source, at.line, at.column, `an entry of "${top}" has no "${name}"`);
      return v;
    };
    if (top === 'objectTypes' || top === 'eventTypes') {
      const name = required('name');
      if (top === 'objectTypes') {
        if (!objectTypes.has(name)) objectTypes.set(name, 0);
      } else eventTypes.add(name);
      walk(account, entry, top, where, { name: 'use' });
    } else if (top === 'objects') {
      const id = required('id');
      const type = required('type');
      declareObject({ objectType, objectTypes }, counts, id, type);
      for (const attribute of listOf(entry.attributes)) {
        const name = (attribute as { name?: unknown }).name;
        if (typeof name === 'string')
          countObjectAttribute(counts, name, (attribute as { time?: unknown }).time);
      }
      walk(account, entry, top, { ...where, elementId: id }, { id: 'use', type: 'use' });
    } else {
      const type = required('type');
      const id = text('id');
      const objects: string[] = [];
      for (const relationship of listOf(entry.relationships)) {
        const objectId = (relationship as { objectId?: unknown }).objectId;
        if (typeof objectId === 'string' && !objects.includes(objectId)) objects.push(objectId);
      }
      for (const attribute of listOf(entry.attributes)) {
        const name = (attribute as { name?: unknown }).name;
        if (typeof name === 'string') counts.event.set(name, (counts.event.get(name) ?? 0) + 1);
      }
      eventTypes.add(type);
      events.push({ type, time: text('time') ?? '', objects });
      walk(
        account,
        entry,
        top,
        { ...where, ...(id ? { elementId: id } : {}) },
        {
          id: 'use',
          type: 'use',
          time: 'use',
          relationships: 'use',
          'relationships.objectId': 'use',
        },
      );
    }
  };

  const scanner = createTopLevelScanner(source, onMember, onKey, maxElementChars);
  return {
    push: scanner.push,
    finish(): OcelLog {
      scanner.finish();
      return finishOcelLog(
        'ocel-json',
        account,
        counts,
        { objectTypes, objectType, events, eventTypes },
        'events.relationships.objectId',
        'objects.id',
      );
    },
  };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'object' && v !== null) : [];
}

/** What each key of an OCEL 2.0 entry means when it is not used (by path below the top key). */
const NOT_USED_EFFECTS: Readonly<Record<string, string>> = {
  attributes: 'attributes are not on the map or its filters (each is listed by name)',
  'attributes.name': 'attributes are not on the map or its filters (each is listed by name)',
  'attributes.type': "an attribute's declared type: not needed, since attributes are not used",
  'attributes.value': 'attribute values are not used',
  'attributes.time': "the times of object attributes' values and changes are not used",
  relationships: 'links between objects are not used: each object type has its own map',
  'relationships.objectId': 'links between objects are not used: each object type has its own map',
  'relationships.qualifier':
    'qualifiers (the role an object plays in an event or for another object) are not used: each map takes every event linked to its objects',
};

/**
 * Records each key of `entry` (and below) under `top`: as used when `used` says so, else as not
 * used with its effect; a key OCEL 2.0 does not define is said as such.
 */
function walk(
  account: AccountBuilder,
  value: unknown,
  top: string,
  where: { line: number; column: number; elementId?: string },
  used: Readonly<Record<string, 'use'>>,
  prefix = '',
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(account, item, top, where, used, prefix);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const name = `${top}.${path}`;
    if (used[path]) account.use(name);
    else {
      account.notUsed('key', name, NOT_USED_EFFECTS[path] ?? 'not a part of OCEL 2.0: not read', where);
    }
    if (typeof inner === 'object' && inner !== null) walk(account, inner, top, where, used, path);
  }
}

/** Every key below a top-level key OCEL 2.0 does not define, as not read. */
function walkUnknown(
  account: AccountBuilder,
  value: unknown,
  prefix: string,
  where: { line: number; column: number },
): void {
  if (Array.isArray(value)) {
    for (const item of value) walkUnknown(account, item, prefix, where);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const name = `${prefix}.${key}`;
    account.notUsed('key', name, 'not a part of OCEL 2.0: not read', where);
    walkUnknown(account, inner, name, where);
  }
}

/** Reads a whole OCEL 2.0 JSON text (tests, small logs). @throws {OcelError} */
export function readOcelJsonText(text: string, source = 'log.jsonocel', maxElementChars?: number): OcelLog {
  const reader = createOcelJsonReader(source, maxElementChars);
  reader.push(text);
  return reader.finish();
}

/**
 * Streams an OCEL 2.0 JSON file into an {@link OcelLog}. @throws {OcelError},
 * `InputReadError`, `Utf8DecodeError`, `JobCancelledError`
 */
export async function readOcelJson(input: LogInput, stream: LogStream = {}): Promise<OcelLog> {
  const reader = createOcelJsonReader(input.name);
  await pushLogText(input, reader, stream);
  return reader.finish();
}
