/**
 * OCEL 2.0 logs stored as SQLite databases (the standard's third serialisation, what PM4Py's
 * `write_ocel2_sqlite` writes), read from their tables into the same {@link OcelLog} as the JSON
 * and XML readers, so a map per object type, its rules and its account are the same whichever
 * copy is chosen.
 *
 * The SQLite engine is the caller's: the CLI's is Node's `node:sqlite`, the browser's event-log
 * worker's is sql.js (SQLite compiled to WebAssembly). Each gives one {@link SqlQuery} (run a
 * statement, get its rows); {@link ocelTablesOf} holds the only statements run, and
 * {@link readOcelTables} reads the log, so both read, refuse and account for a file the same way
 * and the core stays free of any engine and platform.
 *
 * Tables read (OCEL 2.0 relational layout): `event` (id, type) in its row order, which is the
 * order events at the same instant keep; `event_map_type` and each `event_<type>` table for the
 * events' times; `object` (id, type); `event_object` for the links. Not used, and said: the
 * qualifiers of links, `object_object` (links between objects), every event and object attribute
 * (named `event:<name>` and `object:<name>` as in JSON and XML, with an object attribute's changes
 * over time counted from `ocel_changed_field`), and any table or column OCEL 2.0 does not define.
 * A per-type table's columns are named with the placeholder `<type>` (`object_<type>.ocel_time`),
 * one line for all types, as the JSON reader names keys without array indices.
 *
 * Constraint: ids and values are never put into messages or the account; names only.
 */
import { createAccount } from '../../readerAccount/index.ts';
import {
  countObjectAttribute,
  createAttributeCounts,
  declareObject,
  finishOcelLog,
  OcelError,
  type OcelEvent,
  type OcelLog,
} from './ocel.ts';

/** What the reader needs of a SQLite database; the engine is the caller's. */
export interface OcelTables {
  /** the names of the database's tables */
  tables(): string[];
  /** the names of `table`'s columns, in order */
  columns(table: string): string[];
  /** the rows of `table` in their stored order, each as column name → value */
  rows(table: string): Iterable<Record<string, unknown>>;
}

/**
 * What {@link ocelTablesOf} needs of a SQLite engine: run `sql` (a read-only statement built here,
 * with only quoted table names the database lists) and give its rows, each as column name → value,
 * in the order the statement gives. Throws (synchronously, before any row) when SQLite refuses
 * the statement.
 */
export type SqlQuery = (sql: string) => Iterable<Record<string, unknown>>;

/** A name as a SQLite identifier. */
function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The {@link OcelTables} of a database an engine runs `query` on: its own tables (not SQLite's
 * `sqlite_*`), their columns, and each table's rows in their stored order (`rowid`: the order of
 * events at the same instant), not an index's.
 */
export function ocelTablesOf(query: SqlQuery): OcelTables {
  const tables = [...query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    .map((row) => String(row.name))
    .filter((name) => !name.startsWith('sqlite_'));
  return {
    tables: () => tables,
    columns: (table) => [...query(`PRAGMA table_info(${quoted(table)})`)].map((c) => String(c.name)),
    rows: (table) => {
      try {
        return query(`SELECT * FROM ${quoted(table)} ORDER BY rowid`);
      } catch {
        return query(`SELECT * FROM ${quoted(table)}`); // a table WITHOUT ROWID
      }
    },
  };
}

/** The columns of a type table that are OCEL's own, not attributes. */
const OWN_COLUMNS = new Set(['ocel_id', 'ocel_time', 'ocel_changed_field']);

/** What each OCEL table and column means when it is not used. */
const NOT_USED: Readonly<Record<string, string>> = {
  'event_object.ocel_qualifier':
    'qualifiers (the role an object plays in an event) are not used: each map takes every event linked to its objects',
  object_object: 'links between objects are not used: each object type has its own map',
  'object_<type>':
    "objects' attribute values and their changes over time: not on the map (each attribute is listed by name)",
  'object_<type>.ocel_id':
    'ties attribute values to their objects: not used, since object attributes are not',
  'object_<type>.ocel_time': "the times of object attributes' values and changes are not used",
  'object_<type>.ocel_changed_field':
    "which attribute an object's change is of: not used, since object attributes are not",
};

/** Every column the reader uses, by table (a type table as `event_<type>`). */
const USED: Readonly<Record<string, readonly string[]>> = {
  event: ['ocel_id', 'ocel_type'],
  object: ['ocel_id', 'ocel_type'],
  event_object: ['ocel_event_id', 'ocel_object_id'],
  event_map_type: ['ocel_type', 'ocel_type_map'],
  object_map_type: ['ocel_type', 'ocel_type_map'],
  'event_<type>': ['ocel_id', 'ocel_time'],
};

const UNKNOWN = 'not a part of OCEL 2.0: not read';

/** A time that says its zone: `Z` or an offset at its end. */
const ZONE_AT_END = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;

/** A database that is not shaped as OCEL 2.0: the table or row kind, never a value. */
function notOcel(source: string, what: string): OcelError {
  const error = new OcelError(source, 0, 0, what);
  error.message = `${source} is not a readable OCEL 2.0 log: ${what}`;
  return error;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Reads an OCEL 2.0 SQLite database into an {@link OcelLog}. `source` names the file in
 * messages. @throws {OcelError} when a table the layout needs (`event`, `object`,
 * `event_object`) is missing
 */
export function readOcelTables(db: OcelTables, source: string): OcelLog {
  const account = createAccount('ocel-sqlite');
  const counts = createAttributeCounts();
  const tables = new Set(db.tables());
  for (const needed of ['event', 'object', 'event_object']) {
    if (!tables.has(needed)) throw notOcel(source, `it has no table "${needed}"`);
  }
  const mapOf = (table: string): Map<string, string> => {
    const map = new Map<string, string>();
    if (!tables.has(table)) return map;
    for (const row of db.rows(table)) {
      const type = text(row.ocel_type);
      const suffix = text(row.ocel_type_map);
      if (type !== undefined && suffix !== undefined) map.set(`${table.split('_')[0]}_${suffix}`, type);
    }
    return map;
  };
  /** table → the event or object type its rows are of */
  const eventTables = mapOf('event_map_type');
  const objectTables = mapOf('object_map_type');
  const generic = (table: string): string =>
    eventTables.has(table) ? 'event_<type>' : objectTables.has(table) ? 'object_<type>' : table;

  // every table and column is used or said, before any row is read
  for (const table of tables) {
    const name = generic(table);
    const used = USED[name];
    if (used !== undefined) {
      account.use(name);
      for (const column of db.columns(table)) {
        const path = `${name}.${column}`;
        if (used.includes(column)) account.use(path);
        else if (name === 'event_<type>' && !OWN_COLUMNS.has(column))
          continue; // an attribute: counted below
        else if (path !== 'event_object.ocel_qualifier') account.notUsed('column', path, UNKNOWN);
      }
    } else if (name === 'object_<type>') {
      let rows = 0;
      for (const _ of db.rows(table)) rows++;
      account.notUsed('entry', name, NOT_USED[name] as string, undefined, rows);
      for (const column of db.columns(table)) {
        const path = `${name}.${column}`;
        if (OWN_COLUMNS.has(column)) account.notUsed('column', path, NOT_USED[path] as string);
      }
    } else {
      let rows = 0;
      for (const _ of db.rows(table)) rows++;
      account.notUsed('entry', table, NOT_USED[table] ?? `a table ${UNKNOWN}`, undefined, rows);
    }
  }

  const objectTypes = new Map<string, number>();
  const objectType = new Map<string, string>();
  for (const row of db.rows('object')) {
    const id = text(row.ocel_id);
    const type = text(row.ocel_type);
    if (id === undefined || type === undefined)
      throw notOcel(source, `an object has no ${id === undefined ? 'id' : 'type'}`);
    declareObject({ objectType, objectTypes }, counts, id, type);
  }
  for (const type of objectTables.values()) if (!objectTypes.has(type)) objectTypes.set(type, 0);

  // times by event id, from each event type's table
  const times = new Map<string, string>();
  for (const [table] of eventTables) {
    if (!tables.has(table)) continue;
    const attributes = db.columns(table).filter((c) => !OWN_COLUMNS.has(c));
    for (const row of db.rows(table)) {
      const id = text(row.ocel_id);
      const time = text(row.ocel_time);
      if (id !== undefined && time !== undefined) times.set(id, time);
      for (const name of attributes)
        if (row[name] !== null && row[name] !== undefined)
          counts.event.set(name, (counts.event.get(name) ?? 0) + 1);
    }
  }
  for (const [table] of objectTables) {
    if (!tables.has(table)) continue;
    const attributes = db.columns(table).filter((c) => !OWN_COLUMNS.has(c));
    for (const row of db.rows(table)) {
      // a row that names a changed field is a change at its time; any other row is the start
      const change = text(row.ocel_changed_field) !== undefined ? text(row.ocel_time) : undefined;
      for (const name of attributes)
        if (row[name] !== null && row[name] !== undefined)
          countObjectAttribute(counts, name, change ?? '1970-01-01');
    }
  }

  const links = new Map<string, string[]>();
  let qualifiers = 0;
  for (const row of db.rows('event_object')) {
    const event = text(row.ocel_event_id);
    const object = text(row.ocel_object_id);
    if (text(row.ocel_qualifier) !== undefined) qualifiers++;
    if (event === undefined || object === undefined) continue;
    const list = links.get(event) ?? [];
    if (!list.includes(object)) list.push(object);
    links.set(event, list);
  }
  if (db.columns('event_object').includes('ocel_qualifier'))
    account.notUsed(
      'column',
      'event_object.ocel_qualifier',
      NOT_USED['event_object.ocel_qualifier'] as string,
      undefined,
      qualifiers,
    );

  const eventTypes = new Set(eventTables.values());
  const events: OcelEvent[] = [];
  for (const row of db.rows('event')) {
    const id = text(row.ocel_id);
    const type = text(row.ocel_type);
    if (type === undefined) throw notOcel(source, 'an event has no type');
    eventTypes.add(type);
    events.push({
      type,
      time: (id !== undefined ? times.get(id) : undefined) ?? '',
      objects: (id !== undefined ? links.get(id) : undefined) ?? [],
    });
  }
  // PM4Py writes the clock time of the machine it ran on, without a zone: said, as it sets the figures' day
  const zoneless = events.filter((e) => e.time !== '' && !ZONE_AT_END.test(e.time)).length;
  if (zoneless > 0)
    account.interpreted(
      'column',
      'event_<type>.ocel_time',
      'times are written without a time zone: read as clock times in the zone chosen for the log (UTC unless another is chosen)',
      undefined,
      zoneless,
    );
  return finishOcelLog(
    'ocel-sqlite',
    account,
    counts,
    { objectTypes, objectType, events, eventTypes },
    'event_object.ocel_object_id',
    'object.ocel_id',
  );
}
