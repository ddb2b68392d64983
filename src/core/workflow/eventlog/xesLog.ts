/**
 * XES event logs (IEEE 1849-2016), streamed: bytes → strict UTF-8 text → `saxes` (a streaming,
 * well-formedness-checking XML parser; no DOM, so a log of any size is never held as a tree) →
 * mapped rows → events, through the same stage as CSV (`readEvents.ts`).
 *
 * What is read: each `<trace>`'s `concept:name` (the case id) and its `<event>`s'
 * `concept:name` (activity), `time:timestamp`, `lifecycle:transition`, `org:resource`,
 * `org:role`. Only attributes that are direct children of a trace or an event count (nested
 * meta-attributes and lists are skipped). The keys can be changed through the column mapping
 * (e.g. `--activity "activity_name"`). An event without a lifecycle is one instant event; a log
 * whose events are all `complete` is a log of atomic events (eventLog.ts). `<global scope="event">`
 * defaults are applied to events that lack the lifecycle, resource, role or system, never the
 * activity or the time: there a global's value is a placeholder, and an event without its own
 * time is reported (`missing-timestamp`) and left out.
 *
 * An interval log (a date key named like a start beside `time:timestamp`, no lifecycle: Simod,
 * Prosimos, PM4Py) is read with each event's start, as its CSV copy is ({@link xesStartKey}).
 * Everything else the file holds — log, trace and event keys, nested attributes, globals,
 * extensions, classifiers — is said in the result's `account` (names in logAccount.ts): keys are
 * counted in plain maps while reading and the account is built once at the end, so it costs one
 * map lookup per attribute.
 *
 * Rows in problems are event numbers (1-based, in document order). Messages never quote values.
 * No run of characters longer than {@link MAX_XML_TOKEN_CHARS} reaches the parser (xmlTokenLimit.ts).
 */
import { SaxesParser } from 'saxes';
import { createAccount, type ReaderAccount } from '../../readerAccount/index.ts';
import type { LogInput } from './csvLog.ts';
import { type EventLogBuilderOptions, LOG_PROBLEM_CODES } from './eventLog.ts';
import { accountLeftOutTransitions, unusedKeyEffect } from './logAccount.ts';
import { startColumnBeside } from './logColumns.ts';
import {
  createRowSink,
  type ReadLogOptions,
  type ReadLogResult,
  withCaseStreaming,
  withCaseStreamingAsync,
} from './readEvents.ts';
import { type LogStream, pushLogText } from './streamText.ts';
import { createXmlTokenLimit, MAX_XML_TOKEN_CHARS } from './xmlTokenLimit.ts';

/** An XES file that is not well-formed XML, or not a log. */
export class XesError extends Error {
  override name = 'XesError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    what: string,
    /** what to do, when the place and the kind do not say it already */
    todo?: string,
  ) {
    super(
      `${source} is not a readable XES log: ${what} at line ${line}, column ${column}${todo ? `. ${todo}` : ''}`,
    );
  }
}

/** Standard XES keys (the "concept", "time", "lifecycle" and "org" extensions). */
export const XES_KEYS = {
  case: 'concept:name',
  activity: 'concept:name',
  timestamp: 'time:timestamp',
  lifecycle: 'lifecycle:transition',
  resource: 'org:resource',
  role: 'org:role',
} as const;

const ATTRIBUTE_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id']);

/** A streaming XES reader: push text, then finish. */
interface XesLogReader {
  push(text: string): void;
  finish(): ReadLogResult;
}

/** An attribute key seen at one level: how often, whether typed `date`, and the first event or trace. */
interface SeenKey {
  count: number;
  date: boolean;
  first: number;
}

/**
 * The key beside the event time that holds when each event started (an interval log: Simod,
 * Prosimos and PM4Py write `start_timestamp` beside `time:timestamp`), or undefined. Only when the
 * events carry no lifecycle: with one, starts are their own events. The same rule as a CSV log's
 * columns (`startColumnBeside` in logColumns.ts), so a log gives one map from either copy.
 */
export function xesStartKey(
  dateKeys: readonly string[],
  timestampKey: string,
  hasLifecycle: boolean,
): string | undefined {
  return hasLifecycle ? undefined : startColumnBeside(dateKeys, timestampKey);
}

/** Creates a reader over decoded XES text (`build`: see `createRowSink`). */
function createXesLogReader(
  options: ReadLogOptions,
  source: string,
  build: EventLogBuilderOptions = {},
  maxTokenChars = MAX_XML_TOKEN_CHARS,
): XesLogReader {
  const m = options.mapping;
  // no time given at all: the standard time, with the start beside it when the first event has one
  const timesGiven = [m.timestamp, m.start, m.complete, m.lifecycle].some((k) => k !== undefined);
  const keys = {
    case: m.case || XES_KEYS.case,
    activity: m.activity || XES_KEYS.activity,
    timestamp: m.start !== undefined ? undefined : m.timestamp || XES_KEYS.timestamp,
    start: m.start,
    complete: m.complete,
    lifecycle: m.lifecycle || XES_KEYS.lifecycle,
    resource: m.resource || XES_KEYS.resource,
    role: m.role || XES_KEYS.role,
    system: m.system,
  };
  const kept = m.keep ?? [];
  let sink: ReturnType<typeof createRowSink> | undefined;
  const openSink = (startKey: string | undefined, untimed = false) => {
    if (untimed) keys.timestamp = undefined;
    if (startKey !== undefined) {
      keys.start = startKey;
      keys.complete = keys.timestamp;
      keys.timestamp = undefined;
    }
    const interval = keys.start !== undefined;
    return createRowSink(
      {
        ...options,
        mapping: {
          case: keys.case,
          activity: keys.activity,
          ...(interval
            ? { start: keys.start as string, complete: keys.complete as string }
            : keys.timestamp !== undefined
              ? { timestamp: keys.timestamp, lifecycle: keys.lifecycle }
              : {}),
          resource: keys.resource,
          role: keys.role,
          ...(keys.system ? { system: keys.system } : {}),
          ...(kept.length > 0 ? { keep: kept } : {}),
        },
      },
      build,
    );
  };
  if (timesGiven) sink = openSink(undefined);
  const parser = new SaxesParser({ position: true });
  /** element names from the root to the current element */
  const stack: string[] = [];
  /** per open element: its account name when it is an attribute (`event@key`, `event@key/key`) */
  const paths: Array<string | undefined> = [];
  let scope: 'trace' | 'event' | undefined;
  let traceAttrs = new Map<string, string>();
  let eventAttrs = new Map<string, string>();
  let eventDates: string[] = [];
  const eventDefaults = new Map<string, string>();
  let globalScope: string | undefined;
  let events = 0;
  let traces = 0;
  let sawLog = false;
  let failure: XesError | undefined;
  // keys are counted in plain maps (one lookup per attribute): the account is built once, at the end
  const eventKeys = new Map<string, SeenKey>();
  const traceKeys = new Map<string, SeenKey>();
  /** everything else: log keys, globals, nested attributes, extensions, classifiers, other elements */
  const other = new Map<
    string,
    { kind: 'element' | 'attribute'; count: number; line: number; keys?: string }
  >();
  const see = (level: Map<string, SeenKey>, key: string, date: boolean, first: number) => {
    const seen = level.get(key);
    if (seen) seen.count++;
    else level.set(key, { count: 1, date, first });
  };
  const seeOther = (kind: 'element' | 'attribute', name: string, keys?: string) => {
    const seen = other.get(name);
    if (seen) seen.count++;
    else other.set(name, { kind, count: 1, line: parser.line, ...(keys !== undefined ? { keys } : {}) });
  };

  const fail = (what: string) => {
    failure ??= new XesError(source, parser.line, parser.column, what);
  };
  parser.on('error', () => fail('the XML is not well-formed'));
  parser.on('opentag', (tag) => {
    const name = tag.name;
    const parent = stack[stack.length - 1];
    const parentPath = paths[paths.length - 1];
    stack.push(name);
    paths.push(undefined);
    if (stack.length === 1) {
      if (name !== 'log') fail('the root element is not <log>');
      sawLog = true;
      return;
    }
    if (name === 'global' && parent === 'log') {
      globalScope = String(tag.attributes.scope ?? 'event');
      seeOther('element', `global[${globalScope}]`);
      return;
    }
    if (name === 'trace' && parent === 'log') {
      scope = 'trace';
      traces++;
      traceAttrs = new Map();
      return;
    }
    if (name === 'event' && parent === 'trace') {
      scope = 'event';
      eventAttrs = new Map();
      if (sink === undefined) eventDates = [];
      return;
    }
    if (name === 'extension' && parent === 'log') {
      seeOther('element', `extension[${String(tag.attributes.prefix ?? '')}]`);
      return;
    }
    if (name === 'classifier' && parent === 'log') {
      seeOther(
        'element',
        `classifier[${String(tag.attributes.name ?? '')}]`,
        String(tag.attributes.keys ?? ''),
      );
      return;
    }
    const key = tag.attributes.key;
    if (!ATTRIBUTE_TAGS.has(name) && name !== 'list' && name !== 'container') {
      // `values` of a list, or an element the standard does not have
      if (name !== 'values') seeOther('element', parent ? `${parent}/${name}` : name);
      paths[paths.length - 1] = parentPath;
      return;
    }
    if (typeof key !== 'string') return;
    const value = tag.attributes.value;
    if (parentPath !== undefined) {
      // a meta-attribute, or an item of a list or container: the path keeps its owner's key
      const path = `${parentPath}/${key}`;
      paths[paths.length - 1] = path;
      seeOther('attribute', path);
      return;
    }
    if (parent === 'event' && scope === 'event') {
      paths[paths.length - 1] = `event@${key}`;
      see(eventKeys, key, name === 'date', events + 1);
      if (typeof value === 'string' && ATTRIBUTE_TAGS.has(name)) eventAttrs.set(key, value);
      if (name === 'date' && sink === undefined) eventDates.push(key);
    } else if (parent === 'trace' && scope === 'trace') {
      paths[paths.length - 1] = `trace@${key}`;
      see(traceKeys, key, name === 'date', traces);
      if (typeof value === 'string' && ATTRIBUTE_TAGS.has(name)) traceAttrs.set(key, value);
    } else if (parent === 'global' && globalScope !== undefined) {
      const path = `global[${globalScope}]@${key}`;
      paths[paths.length - 1] = path;
      seeOther('attribute', path);
      if (globalScope === 'event' && typeof value === 'string') eventDefaults.set(key, value);
    } else if (parent === 'log') {
      const path = `log@${key}`;
      paths[paths.length - 1] = path;
      seeOther('attribute', path);
    } else {
      const path = `${parent ?? ''}@${key}`;
      paths[paths.length - 1] = path;
      seeOther('attribute', path);
    }
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    paths.pop();
    if (tag.name === 'event' && scope === 'event') {
      events++;
      if (sink === undefined) {
        const lifecycle = eventAttrs.has(keys.lifecycle) || eventDefaults.has(keys.lifecycle);
        // no time given and the first event has no date (a time written as text is no XES time):
        // a log without times, read in event order
        const untimed = eventDates.length === 0;
        sink = untimed
          ? openSink(undefined, true)
          : openSink(xesStartKey(eventDates, keys.timestamp as string, lifecycle));
      }
      const get = (key: string | undefined) =>
        key === undefined ? undefined : (eventAttrs.get(key) ?? eventDefaults.get(key));
      // the time, the activity and the case are the event's own or missing: a `<global>` value
      // for them is a declaration's placeholder (often 1970-01-01 or "__INVALID__"), never data
      const own = (key: string | undefined) => (key === undefined ? undefined : eventAttrs.get(key));
      sink.add({
        row: events,
        caseId: traceAttrs.get(keys.case),
        activity: own(keys.activity),
        timestamp: own(keys.timestamp),
        start: own(keys.start),
        complete: own(keys.complete),
        lifecycle: get(keys.lifecycle) ?? '',
        resource: get(keys.resource),
        role: get(keys.role),
        system: get(keys.system),
        // a kept key is the event's own value, else its trace's (the case's); a `<global>` default is a placeholder
        ...(kept.length > 0 ? { extra: kept.map((key) => eventAttrs.get(key) ?? traceAttrs.get(key)) } : {}),
      });
      scope = 'trace';
    } else if (tag.name === 'trace') scope = undefined;
    else if (tag.name === 'global') globalScope = undefined;
  });

  /** The account of the log read: every key and element, used or said. */
  const accountOf = (result: Omit<ReadLogResult, 'account'>): ReaderAccount => {
    const account = createAccount('xes');
    for (const element of ['log', 'trace', 'event']) account.use(element);
    const eventUsed = new Set(
      [
        keys.activity,
        keys.timestamp,
        keys.start,
        keys.complete,
        keys.resource,
        keys.role,
        keys.system,
        ...kept,
      ].filter((k): k is string => k !== undefined),
    );
    if (keys.start === undefined && keys.timestamp !== undefined) eventUsed.add(keys.lifecycle);
    const at = (event: number) => ({ file: source, elementId: `event ${event}` });
    for (const [key, seen] of eventKeys) {
      const name = `event@${key}`;
      if (eventUsed.has(key)) account.use(name);
      else if (result.log.untimed && key === XES_KEYS.timestamp)
        account.notUsed(
          'attribute',
          name,
          'not a date (written as text): the log is read without times, so the map has frequencies only',
          at(seen.first),
          seen.count,
        );
      else if (key === keys.case)
        account.notUsed(
          'attribute',
          name,
          'not used: cases are told apart by their trace',
          at(seen.first),
          seen.count,
        );
      else
        account.notUsed(
          'attribute',
          name,
          unusedKeyEffect(key, 'event', seen.date),
          at(seen.first),
          seen.count,
        );
    }
    for (const [key, seen] of traceKeys) {
      const name = `trace@${key}`;
      if (key === keys.case || kept.includes(key)) account.use(name);
      else
        account.notUsed(
          'attribute',
          name,
          unusedKeyEffect(key, 'trace', seen.date),
          { file: source, elementId: `trace ${seen.first}` },
          seen.count,
        );
    }
    const defaults = new Set([keys.lifecycle, keys.resource, keys.role, keys.system]);
    for (const [name, seen] of other) {
      const where = { file: source, line: seen.line };
      if (name.startsWith('extension[')) {
        account.interpreted(
          'element',
          name,
          'declares a family of keys; each key is read by its full name',
          where,
          seen.count,
        );
      } else if (name.startsWith('classifier[')) {
        const classifierKeys = (seen.keys ?? '').split(/\s+/).filter(Boolean);
        const same = classifierKeys.every((k) => k === keys.activity || k === keys.lifecycle);
        if (same)
          account.interpreted(
            'element',
            name,
            `activities are named by "${keys.activity}"`,
            where,
            seen.count,
          );
        else
          account.notUsed(
            'element',
            name,
            `not used: activities are named by "${keys.activity}" alone, not by this classifier's keys`,
            where,
            seen.count,
          );
      } else if (name.startsWith('global[') && !name.includes('@')) {
        account.use(name);
      } else if (name.startsWith('global[event]@')) {
        const key = name.slice('global[event]@'.length);
        if (defaults.has(key)) account.use(name);
        else
          account.notUsed(
            'attribute',
            name,
            'a declared default, not used: the figures use each event’s own value',
            where,
            seen.count,
          );
      } else if (name.startsWith('global[')) {
        account.notUsed(
          'attribute',
          name,
          'a declared default for cases, not used in the figures',
          where,
          seen.count,
        );
      } else if (name.startsWith('log@')) {
        account.notUsed('attribute', name, unusedKeyEffect(name.slice(4), 'log'), where, seen.count);
      } else if (seen.kind === 'attribute') {
        account.notUsed(
          'attribute',
          name,
          'a value nested inside another attribute, not read',
          where,
          seen.count,
        );
      } else {
        account.notUsed('element', name, 'not part of the XES standard, not read', where, seen.count);
      }
    }
    const leftOut = result.problems.list().find((p) => p.code === LOG_PROBLEM_CODES.ignoredLifecycle);
    accountLeftOutTransitions(account, 'attribute', `event@${keys.lifecycle}`, leftOut?.detail?.byTransition);
    return account.finish();
  };

  // saxes holds a whole attribute value or text run before it reports it: a bound keeps memory flat
  const limit = createXmlTokenLimit(maxTokenChars);
  return {
    push(text) {
      if (failure) return;
      const long = limit.scan(text);
      if (long) {
        failure = new XesError(
          source,
          long.line,
          long.column,
          `one element, attribute value, text or comment is longer than ${maxTokenChars.toLocaleString('en-US')} characters (an event log's names and values are short)`,
          'Export the log again without that long value, then choose the new file',
        );
        throw failure;
      }
      parser.write(text);
      if (failure) throw failure;
    },
    finish() {
      if (!failure) parser.close();
      if (!failure && !sawLog) fail('the file holds no <log> element');
      if (failure) throw failure;
      const result = (sink ?? openSink(undefined)).finish();
      return { ...result, account: accountOf(result) };
    },
  };
}

/** Reads a whole XES text (tests, small logs). @throws {XesError} */
export function readXesLogText(text: string, options: ReadLogOptions, source = 'log.xes'): ReadLogResult {
  return withCaseStreaming((build) => {
    const reader = createXesLogReader(options, source, build);
    reader.push(text);
    return reader.finish();
  });
}

/**
 * Streams an XES file into an event log: traces are cases, so it is read grouped by case (only the
 * trace in progress held as events) unless a trace id comes back. @throws {XesError},
 * {@link InputReadError}, `Utf8DecodeError`
 */
export function readXesLog(
  input: LogInput,
  options: ReadLogOptions,
  stream: LogStream = {},
): Promise<ReadLogResult> {
  return withCaseStreamingAsync((build) => readXesLogOnce(input, options, stream, build));
}

async function readXesLogOnce(
  input: LogInput,
  options: ReadLogOptions,
  stream: LogStream,
  build: EventLogBuilderOptions,
): Promise<ReadLogResult> {
  const reader = createXesLogReader(options, input.name, build);
  await pushLogText(input, reader, stream);
  return reader.finish();
}
