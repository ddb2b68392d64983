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
 * Rows in problems are event numbers (1-based, in document order). Messages never quote values.
 * No run of characters longer than {@link MAX_XML_TOKEN_CHARS} reaches the parser (xmlTokenLimit.ts).
 */
import { SaxesParser } from 'saxes';
import { createUtf8StreamDecoder } from '../../csv/index.ts';
import { JobCancelledError, readInputChunk } from '../../jobs/errors.ts';
import type { LogInput } from './csvLog.ts';
import type { EventLogBuilderOptions } from './eventLog.ts';
import {
  createRowSink,
  type ReadLogOptions,
  type ReadLogResult,
  withCaseStreaming,
  withCaseStreamingAsync,
} from './readEvents.ts';
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

/** Creates a reader over decoded XES text (`build`: see `createRowSink`). */
function createXesLogReader(
  options: ReadLogOptions,
  source: string,
  build: EventLogBuilderOptions = {},
  maxTokenChars = MAX_XML_TOKEN_CHARS,
): XesLogReader {
  const m = options.mapping;
  const keys = {
    case: m.case || XES_KEYS.case,
    activity: m.activity || XES_KEYS.activity,
    timestamp: m.timestamp || XES_KEYS.timestamp,
    lifecycle: m.lifecycle || XES_KEYS.lifecycle,
    resource: m.resource || XES_KEYS.resource,
    role: m.role || XES_KEYS.role,
    system: m.system,
  };
  const sink = createRowSink(
    {
      ...options,
      mapping: {
        case: keys.case,
        activity: keys.activity,
        timestamp: keys.timestamp,
        lifecycle: keys.lifecycle,
        resource: keys.resource,
        role: keys.role,
        ...(keys.system ? { system: keys.system } : {}),
        ...(m.keep && m.keep.length > 0 ? { keep: m.keep } : {}),
      },
    },
    build,
  );
  const kept = m.keep ?? [];
  const parser = new SaxesParser({ position: true });
  /** element names from the root to the current element */
  const stack: string[] = [];
  let scope: 'trace' | 'event' | undefined;
  let traceAttrs = new Map<string, string>();
  let eventAttrs = new Map<string, string>();
  const eventDefaults = new Map<string, string>();
  let globalScope: string | undefined;
  let events = 0;
  let sawLog = false;
  let failure: XesError | undefined;

  const fail = (what: string) => {
    failure ??= new XesError(source, parser.line, parser.column, what);
  };
  parser.on('error', () => fail('the XML is not well-formed'));
  parser.on('opentag', (tag) => {
    const name = tag.name;
    const parent = stack[stack.length - 1];
    stack.push(name);
    if (stack.length === 1) {
      if (name !== 'log') fail('the root element is not <log>');
      sawLog = true;
      return;
    }
    if (name === 'global' && parent === 'log') {
      globalScope = String(tag.attributes.scope ?? 'event');
      return;
    }
    if (name === 'trace' && parent === 'log') {
      scope = 'trace';
      traceAttrs = new Map();
      return;
    }
    if (name === 'event' && parent === 'trace') {
      scope = 'event';
      eventAttrs = new Map();
      return;
    }
    if (!ATTRIBUTE_TAGS.has(name)) return;
    const key = tag.attributes.key;
    const value = tag.attributes.value;
    if (typeof key !== 'string' || typeof value !== 'string') return;
    if (parent === 'global' && globalScope === 'event') eventDefaults.set(key, value);
    else if (parent === 'trace' && scope === 'trace') traceAttrs.set(key, value);
    else if (parent === 'event' && scope === 'event') eventAttrs.set(key, value);
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'event' && scope === 'event') {
      events++;
      const get = (key: string | undefined) =>
        key === undefined ? undefined : (eventAttrs.get(key) ?? eventDefaults.get(key));
      // the time, the activity and the case are the event's own or missing: a `<global>` value
      // for them is a declaration's placeholder (often 1970-01-01 or "__INVALID__"), never data
      const own = (key: string) => eventAttrs.get(key);
      sink.add({
        row: events,
        caseId: traceAttrs.get(keys.case),
        activity: own(keys.activity),
        timestamp: own(keys.timestamp),
        start: undefined,
        complete: undefined,
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
      return sink.finish();
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
  stream: { chunkBytes?: number; signal?: AbortSignal; onProgress?: (bytesRead: number) => void } = {},
): Promise<ReadLogResult> {
  return withCaseStreamingAsync((build) => readXesLogOnce(input, options, stream, build));
}

async function readXesLogOnce(
  input: LogInput,
  options: ReadLogOptions,
  stream: { chunkBytes?: number; signal?: AbortSignal; onProgress?: (bytesRead: number) => void },
  build: EventLogBuilderOptions,
): Promise<ReadLogResult> {
  const chunkBytes = Math.max(stream.chunkBytes ?? 1024 * 1024, 1);
  const decoder = createUtf8StreamDecoder(input.name);
  const reader = createXesLogReader(options, input.name, build);
  let offset = 0;
  while (offset < input.size) {
    if (stream.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, input.size - offset);
    const chunk = await readInputChunk(input, offset, length, stream.signal);
    reader.push(decoder.decode(chunk));
    offset += chunk.byteLength;
    stream.onProgress?.(offset);
  }
  reader.push(decoder.end());
  return reader.finish();
}
