/**
 * OCEL 2.0 object-centric event logs (ocel-standard.org): recognising one by its content,
 * the log as read (`OcelLog`), and a process map per object type — the log flattened on one
 * object type, as PM4Py's `ocel_flattening` and Celonis' object-centric process mining do: a case
 * is an object of that type, its events are the events linked to it. The flattened events go
 * through the same row stage as CSV and XES (`readEvents.ts`), so discovery, the process map,
 * conformance and the back-test read them unchanged.
 *
 * Rules stated to the user (in {@link OCEL_SAME_INSTANT_RULE} and the flattening's account):
 * - Events at the same instant keep the order the log lists them in (the order of `events` in
 *   JSON, of `<event>` in XML): OCEL gives no other order, and the event builder's sort is
 *   stable (eventLog.ts), as PM4Py's is.
 * - A link from an event to an object the log never declares (no entry in `objects`) has no
 *   type, so it is on no object type's map: such links are counted and said, never dropped
 *   silently nor given a guessed type.
 * - An event linked to the same object twice (two qualifiers) is one event of that object's case.
 *
 * OCEL 2.0 SQLite files are read from their tables by ocelSqlite.ts, with the engine the caller
 * brings (the CLI's `node:sqlite`, the event-log worker's sql.js), not as text: {@link readOcel}
 * refuses one, naming the command that reads the file and the export to make instead.
 *
 * Constraint: names (types, keys, attribute names) come from the file and are shown escaped by
 * the callers; ids and values are never put into messages or the account.
 */
import type { AccountBuilder, ReaderAccount } from '../../readerAccount/index.ts';
import { createRowSink, type ReadLogOptions, type ReadLogResult } from './readEvents.ts';

/** Which OCEL serialisation a file holds, recognised by its content (see {@link sniffOcel}). */
export type OcelKind = 'ocel-json' | 'ocel-xml' | 'ocel-sqlite' | 'ocel1-json' | 'ocel1-xml' | 'sqlite';

/** Bytes looked at to recognise an OCEL file. */
export const OCEL_SNIFF_BYTES = 64 * 1024;

/** The 16 bytes every SQLite 3 database starts with. */
const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Tables of the OCEL 2.0 SQLite layout, any of which marks a SQLite file as an OCEL log. */
const OCEL_SQLITE_TABLES = ['event_object', 'object_object', 'event_map_type', 'object_map_type'];

/** The top-level keys of OCEL 2.0 JSON. */
export const OCEL_JSON_KEYS = ['objectTypes', 'eventTypes', 'objects', 'events'] as const;

/**
 * What an OCEL file is, from its first bytes (at most {@link OCEL_SNIFF_BYTES}), or undefined
 * for anything else (a CSV or XES log). JSON: an object whose first key is OCEL 2.0's
 * `objectTypes`, `eventTypes`, `objects` or `events`, or that declares both `objectTypes` and
 * `eventTypes` after a key of its own (OCEL 1.0's `ocel:` keys are told apart).
 * XML: a `<log>` whose first child is one of `<object-types>`, `<event-types>`, `<objects>`,
 * `<events>` (an XES `<log>` holds extensions, globals and traces). SQLite: its header, and an
 * OCEL table named in the schema on its first pages.
 */
export function sniffOcel(prefix: Uint8Array): OcelKind | undefined {
  const head = new TextDecoder('latin1').decode(prefix.subarray(0, OCEL_SNIFF_BYTES));
  if (head.startsWith(SQLITE_HEADER)) {
    return OCEL_SQLITE_TABLES.some((table) => head.includes(table)) ? 'ocel-sqlite' : 'sqlite';
  }
  const text = head.replace(/^\u00ef\u00bb\u00bf/, '').trimStart();
  if (text.startsWith('{')) {
    const key = /^\{\s*"((?:[^"\\]|\\.)*)"\s*:/.exec(text)?.[1];
    if (key === undefined) return undefined;
    if ((OCEL_JSON_KEYS as readonly string[]).includes(key)) return 'ocel-json';
    if (key.startsWith('ocel:')) return 'ocel1-json';
    // a writer's own key first: both type declarations further on still say OCEL 2.0
    return /"objectTypes"\s*:\s*\[/.test(text) && /"eventTypes"\s*:\s*\[/.test(text)
      ? 'ocel-json'
      : undefined;
  }
  if (!text.startsWith('<')) return undefined;
  // the first element after the root <log>, skipping the declaration, comments and whitespace
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  const match = /^\s*<log(?:\s[^>]*)?>\s*<([A-Za-z][\w:.-]*)([^>]*)>/.exec(body);
  if (!match) return undefined;
  const [, child, attributes] = match;
  if (child === 'object-types' || child === 'event-types' || child === 'objects' || child === 'events')
    return 'ocel-xml';
  if (child === 'global' && /key\s*=\s*["']ocel:/.test(`${attributes} ${body.slice(0, 4096)}`))
    return 'ocel1-xml';
  return undefined;
}

/** An OCEL log the reader refuses (a SQLite file, OCEL 1.0), with what to do instead. */
export class OcelRefusedError extends Error {
  override name = 'OcelRefusedError';
  constructor(
    readonly source: string,
    readonly kind: Exclude<OcelKind, 'ocel-json' | 'ocel-xml'>,
  ) {
    super(`${source}: ${REFUSALS[kind]}`);
  }
}

const EXPORT_ADVICE =
  'Export the log as OCEL 2.0 JSON (.jsonocel) or OCEL 2.0 XML (.xmlocel) with the tool that wrote it — in PM4Py, pm4py.write_ocel2_json(pm4py.read_ocel2_sqlite("log.sqlite"), "log.jsonocel"); in Celonis or OCEL tools, choose the OCEL 2.0 JSON or XML export — then choose the new file.';

const REFUSALS: Record<Exclude<OcelKind, 'ocel-json' | 'ocel-xml'>, string> = {
  'ocel-sqlite': `this is an OCEL 2.0 log stored as a SQLite database, which is not read here. Read it with the preflight command (preflight workflow discover log.sqlite --object-type <type>), or ${EXPORT_ADVICE.replace(/^Export/, 'export')}`,
  sqlite:
    'this is a SQLite database, not an event log. Export the events as a CSV or XES log, or an OCEL 2.0 JSON or XML log, then choose that file.',
  'ocel1-json': `this is an OCEL 1.0 log (keys starting "ocel:"); Preflight reads OCEL 2.0. ${EXPORT_ADVICE.replace('pm4py.read_ocel2_sqlite("log.sqlite")', 'pm4py.read_ocel("log.jsonocel")')}`,
  'ocel1-xml': `this is an OCEL 1.0 log (keys starting "ocel:"); Preflight reads OCEL 2.0. ${EXPORT_ADVICE.replace('pm4py.read_ocel2_sqlite("log.sqlite")', 'pm4py.read_ocel("log.xmlocel")')}`,
};

/** What each readable OCEL serialisation is called on screen and in the CLI. */
export const OCEL_KIND_WORDS: Readonly<Record<OcelLog['kind'], string>> = {
  'ocel-json': 'OCEL 2.0 JSON',
  'ocel-xml': 'OCEL 2.0 XML',
  'ocel-sqlite': 'OCEL 2.0 SQLite',
};

/** An OCEL file that cannot be read (not well-formed, or not shaped as OCEL 2.0). */
export class OcelError extends Error {
  override name = 'OcelError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(`${source} is not a readable OCEL 2.0 log: ${what} at line ${line}, column ${column}`);
  }
}

/** One event as kept: its type, its time as written, and the objects it is linked to. */
export interface OcelEvent {
  type: string;
  /** as the file writes it; parsed with the rest when flattened */
  time: string;
  /** the linked object ids, each once, in the log's order */
  objects: string[];
}

/** An OCEL 2.0 log as read: the events, each object's type, and the account of the file. */
export interface OcelLog {
  kind: 'ocel-json' | 'ocel-xml' | 'ocel-sqlite';
  /** object type → number of objects declared of it */
  objectTypes: Map<string, number>;
  /** object id → its type */
  objectType: Map<string, string>;
  /** in the log's order (the order events at the same instant keep) */
  events: OcelEvent[];
  /** event types declared in `eventTypes` and seen on events, sorted */
  eventTypes: string[];
  account: ReaderAccount;
}

/** Per object type, what its map would hold: shown beside the choice of object type. */
export interface OcelTypeSummary {
  /** the object type, as the log names it */
  name: string;
  /** objects of this type the log declares */
  objects: number;
  /** objects of this type linked to at least one event (the cases of its map) */
  objectsWithEvents: number;
  /** events linked to at least one object of this type */
  events: number;
}

/** What an OCEL log offers before an object type is chosen, with the account of the file. */
export interface OcelSummary {
  kind: OcelLog['kind'];
  /** every event of the log */
  events: number;
  /** sorted by name */
  objectTypes: OcelTypeSummary[];
  /** links from events to objects the log never declares, and how many such objects */
  undeclared: { links: number; objects: number };
  /** the order events at the same instant keep, in words */
  sameInstant: string;
  account: ReaderAccount;
}

/** The rule for events at the same instant, said with every OCEL result. */
export const OCEL_SAME_INSTANT_RULE =
  'Events at the same instant keep the order the log lists them in (OCEL gives no other order).';

/** What is read for the case, activity and time of a flattened event (the OCEL names). */
export const OCEL_ACTIVITY = 'type';
export const OCEL_TIME = 'time';

/** Per object type and for links to undeclared objects: see {@link OcelSummary}. */
export function summarizeOcel(log: OcelLog): OcelSummary {
  const eventsPerType = new Map<string, number>();
  const withEvents = new Map<string, Set<string>>();
  const undeclared = new Set<string>();
  let undeclaredLinks = 0;
  for (const event of log.events) {
    const types = new Set<string>();
    for (const id of event.objects) {
      const type = log.objectType.get(id);
      if (type === undefined) {
        undeclaredLinks++;
        undeclared.add(id);
        continue;
      }
      types.add(type);
      const ids = withEvents.get(type) ?? new Set<string>();
      ids.add(id);
      withEvents.set(type, ids);
    }
    for (const type of types) eventsPerType.set(type, (eventsPerType.get(type) ?? 0) + 1);
  }
  return {
    kind: log.kind,
    events: log.events.length,
    objectTypes: [...log.objectTypes.keys()].sort(compareNames).map((name) => ({
      name,
      objects: log.objectTypes.get(name) ?? 0,
      objectsWithEvents: withEvents.get(name)?.size ?? 0,
      events: eventsPerType.get(name) ?? 0,
    })),
    undeclared: { links: undeclaredLinks, objects: undeclared.size },
    sameInstant: OCEL_SAME_INSTANT_RULE,
    account: log.account,
  };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An object type the log does not have (a typo in --object-type, a stale choice). */
export class UnknownObjectTypeError extends Error {
  override name = 'UnknownObjectTypeError';
  constructor(
    readonly source: string,
    readonly objectType: string,
    readonly known: readonly string[],
  ) {
    super(
      objectType === ''
        ? `${source} is an object-centric (OCEL 2.0) log: choose the object type whose objects are the cases (${known.join(', ')})`
        : `${source} has no object type "${objectType}"; its object types are ${known.join(', ')}`,
    );
  }
}

/** The result of reading an OCEL log flattened on one object type. */
export interface OcelReadLogResult extends ReadLogResult {
  /** what the file holds and what was not used (the file's account and the flattening's lines) */
  account: ReaderAccount;
  ocel: OcelSummary & {
    /** the object type the map is of */
    objectType: string;
    /** events of the log on no map of this type (linked to no object of it) */
    eventsNotOnMap: number;
  };
}

/**
 * The log flattened on `options.mapping.case`, the object type whose objects are the cases: one
 * event per (event, linked object of that type), in the log's order, through the row stage of
 * CSV and XES (time format detection, problems by event number). The activity is the event's
 * type. @throws {UnknownObjectTypeError}
 */
export function flattenOcel(log: OcelLog, options: ReadLogOptions, source: string): OcelReadLogResult {
  const objectType = options.mapping.case;
  const summary = summarizeOcel(log);
  if (!log.objectTypes.has(objectType)) {
    throw new UnknownObjectTypeError(
      source,
      objectType,
      summary.objectTypes.map((t) => t.name),
    );
  }
  const sink = createRowSink({
    ...options,
    mapping: { case: objectType, activity: OCEL_ACTIVITY, timestamp: OCEL_TIME },
  });
  let onMap = 0;
  log.events.forEach((event, index) => {
    let linked = false;
    for (const id of event.objects) {
      if (log.objectType.get(id) !== objectType) continue;
      linked = true;
      sink.add({
        row: index + 1,
        caseId: id,
        activity: event.type,
        timestamp: event.time,
        start: undefined,
        complete: undefined,
        lifecycle: undefined,
        resource: undefined,
        role: undefined,
        system: undefined,
      });
    }
    if (linked) onMap++;
  });
  const result = sink.finish();
  return {
    ...result,
    account: log.account,
    ocel: { ...summary, objectType, eventsNotOnMap: log.events.length - onMap },
  };
}

/**
 * Account lines a reader of either serialisation adds once the whole file is read: links to
 * undeclared objects, and per OCEL attribute how often it was seen (object attributes with
 * their timed changes).
 */
export interface OcelAttributeCounts {
  /** `event:<name>` → values seen */
  event: Map<string, number>;
  /** `object:<name>` → values seen, and how many are changes at a time after the first */
  object: Map<string, { values: number; timed: number }>;
  /** objects declared again under an id already declared */
  redeclared: number;
}

/** A new, empty {@link OcelAttributeCounts}. */
export function createAttributeCounts(): OcelAttributeCounts {
  return { event: new Map(), object: new Map(), redeclared: 0 };
}

/**
 * Records an object's declaration. An id declared again keeps the type given last (counted, and
 * said by {@link finishOcelAccount}), so each object is counted once, under one type.
 */
export function declareObject(
  log: Pick<OcelLog, 'objectType' | 'objectTypes'>,
  counts: OcelAttributeCounts,
  id: string,
  type: string,
): void {
  const before = log.objectType.get(id);
  if (before !== undefined) {
    counts.redeclared++;
    log.objectTypes.set(before, (log.objectTypes.get(before) ?? 1) - 1);
  }
  log.objectType.set(id, type);
  log.objectTypes.set(type, (log.objectTypes.get(type) ?? 0) + 1);
}

/**
 * Counts one object attribute value; `time` is its OCEL time (the epoch, 1970-01-01, marks the
 * value the object starts with; any other time is a change).
 */
export function countObjectAttribute(counts: OcelAttributeCounts, name: string, time: unknown): void {
  const line = counts.object.get(name) ?? { values: 0, timed: 0 };
  line.values++;
  if (typeof time === 'string' && !time.startsWith('1970-01-01')) line.timed++;
  counts.object.set(name, line);
}

/**
 * Adds the redeclared objects, the attribute lines and the undeclared-links line to `account`
 * (names only, never values).
 */
function finishOcelAccount(
  account: AccountBuilder,
  counts: OcelAttributeCounts,
  log: Pick<OcelLog, 'events' | 'objectType'>,
  linkName: string,
  idName: string,
): void {
  if (counts.redeclared > 0) {
    account.interpreted(
      'key',
      idName,
      `${counts.redeclared} ${counts.redeclared === 1 ? 'object is' : 'objects are'} declared more than once under one id: each is one object, of the type given last`,
      undefined,
      counts.redeclared,
    );
  }
  for (const [name, count] of counts.event) {
    account.notUsed(
      'attribute',
      `event:${name}`,
      'an event attribute: not on the map, its times or its filters',
      undefined,
      count,
    );
  }
  for (const [name, { values, timed }] of counts.object) {
    account.notUsed(
      'attribute',
      `object:${name}`,
      timed > 0
        ? `an object attribute with ${timed} ${timed === 1 ? 'change' : 'changes'} over time: neither its values nor its changes are on the map`
        : 'an object attribute: not on the map or its filters',
      undefined,
      values,
    );
  }
  let links = 0;
  const objects = new Set<string>();
  for (const event of log.events) {
    for (const id of event.objects) {
      if (log.objectType.has(id)) continue;
      links++;
      objects.add(id);
    }
  }
  if (links > 0) {
    account.notUsed(
      'key',
      linkName,
      `${links} ${links === 1 ? 'link' : 'links'} from events to ${objects.size} ${objects.size === 1 ? 'object' : 'objects'} the log never declares: with no type, ${links === 1 ? 'it is' : 'they are'} on no object type's map`,
      undefined,
      links,
    );
  }
}

/**
 * The log a reader of any serialisation gives once the whole file is read: its account finished
 * ({@link finishOcelAccount}: `linkName` and `idName` are how that serialisation names an event's
 * link to an object and an object's id) and its event types sorted.
 */
export function finishOcelLog(
  kind: OcelLog['kind'],
  account: AccountBuilder,
  counts: OcelAttributeCounts,
  read: Pick<OcelLog, 'objectTypes' | 'objectType' | 'events'> & { eventTypes: Iterable<string> },
  linkName: string,
  idName: string,
): OcelLog {
  finishOcelAccount(account, counts, read, linkName, idName);
  return {
    kind,
    objectTypes: read.objectTypes,
    objectType: read.objectType,
    events: read.events,
    eventTypes: [...read.eventTypes].sort(),
    account: account.finish(),
  };
}
