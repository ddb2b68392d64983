/**
 * The log commands on object-centric (OCEL 2.0) logs, recognised by their content whatever their
 * name: the object types listed to choose from, a map per object type (the same from the JSON, XML
 * and SQLite copies of the standard's example log), the reader's account in `--json` (every table
 * and column of the SQLite copy used or said), and names from the file escaped for the terminal.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { type ReaderAccount, unaccounted } from '../../core/readerAccount/index.ts';
import { runCli } from '../cliTestKit.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { isSqliteExperimentalWarning } from '../ocelSqliteFile.ts';

const JSON_LOG = externalFixture('pm4py-ocel2', 'ocel20_example.jsonocel');
const XML_LOG = externalFixture('pm4py-ocel2', 'ocel20_example.xmlocel');
const SQLITE_LOG = externalFixture('pm4py-ocel2', 'ocel20_example.sqlite');
const DIR = path.dirname(JSON_LOG);

interface DiscoveredJson {
  steps: Array<{ label: string; kind: string }>;
}

describe('preflight workflow discover on an OCEL 2.0 log', () => {
  it('lists the object types to choose from, with what each map would hold', async () => {
    const { code, err } = await runCli(['workflow', 'discover', JSON_LOG], DIR);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('object-centric (OCEL 2.0) log: give --object-type <type>');
    expect(err).toContain(
      'Invoice (3 objects, 9 events); Payment (3 objects, 3 events); Purchase Order (2 objects, 5 events); Purchase Requisition (1 object, 3 events)',
    );
  });

  it.each([
    { type: 'Purchase Order', steps: ['Change PO Quantity', 'Create Purchase Order', 'Insert Invoice'] },
    {
      type: 'Invoice',
      steps: [
        'Create Purchase Order',
        'Insert Invoice',
        'Insert Payment',
        'Remove Payment Block',
        'Set Payment Block',
      ],
    },
  ])('maps object type $type, the same from JSON, XML and SQLite', async ({ type, steps }) => {
    const runs = await Promise.all(
      [JSON_LOG, XML_LOG, SQLITE_LOG].map((file) =>
        runCli(['workflow', 'discover', file, '--object-type', type], DIR),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.err).toBe(EXIT_OK);
      const workflow = JSON.parse(run.out) as DiscoveredJson;
      expect(
        workflow.steps
          .filter((s) => s.kind !== 'start' && s.kind !== 'end')
          .map((s) => s.label)
          .sort(),
      ).toEqual(steps);
      expect(run.err).toContain(`read for object type "${type}"`);
      expect(run.err).toContain('Events at the same instant keep the order the log lists them in');
      // said once, under the account's heading
      expect(
        run.err.match(
          /Not used: attribute object:is_blocked \(seen 5 times\): an object attribute with 2 changes over time/g,
        ),
      ).toHaveLength(1);
    }
    const [fromJson, ...others] = runs.map((run) => JSON.parse(run.out) as DiscoveredJson);
    for (const other of others) expect(other.steps).toEqual(fromJson?.steps);
  });

  it.each(['Invoice', 'Payment', 'Purchase Order', 'Purchase Requisition'])(
    'gives the same waits for object type %s from the JSON, XML and SQLite copies',
    async (type) => {
      const waits = await Promise.all(
        [JSON_LOG, XML_LOG, SQLITE_LOG].map(async (file) => {
          const run = await runCli(['workflow', 'waits', file, '--object-type', type, '--json'], DIR);
          expect(run.code, run.err).toBe(EXIT_OK);
          const {
            account: _,
            ocel,
            ...map
          } = JSON.parse(run.out) as { account: unknown; ocel: { kind: string } };
          return { map, kind: ocel.kind };
        }),
      );
      expect(waits.map((w) => w.kind)).toEqual(['ocel-json', 'ocel-xml', 'ocel-sqlite']);
      expect(waits[0]?.map).toHaveProperty('activities');
      expect(waits[1]?.map).toEqual(waits[0]?.map);
      expect(waits[2]?.map).toEqual(waits[0]?.map);
    },
  );

  it('reads an OCEL log by its content, whatever the file is called', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocel-'));
    copyFileSync(JSON_LOG, path.join(dir, 'export.csv'));
    const { code, err } = await runCli(
      ['workflow', 'discover', 'export.csv', '--object-type', 'Payment'],
      dir,
    );
    expect(code, err).toBe(EXIT_OK);
    expect(err).toContain('Object-centric log (OCEL 2.0 JSON)');
  });

  it('refuses a column option on an object-centric log, naming --object-type', async () => {
    const { code, err } = await runCli(['workflow', 'discover', JSON_LOG, '--case', 'Invoice'], DIR);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('choose its cases with --object-type <type>');
  });

  it('refuses a condition on a column, which an object-centric log does not have', async () => {
    const { code, err } = await runCli(
      ['workflow', 'discover', JSON_LOG, '--object-type', 'Invoice', '--with', 'is_blocked=Yes'],
      DIR,
    );
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('--with and --without name columns');
  });

  it('accounts for every table and column of the SQLite copy, naming a type table by <type>', async () => {
    const run = await runCli(['workflow', 'waits', SQLITE_LOG, '--object-type', 'Invoice', '--json'], DIR);
    expect(run.code, run.err).toBe(EXIT_OK);
    const { account } = JSON.parse(run.out) as { account: ReaderAccount };
    expect(account.reader).toBe('ocel-sqlite');
    // the database walked here, apart from the reader
    const db = new DatabaseSync(SQLITE_LOG, { readOnly: true });
    const seen = new Set<string>();
    try {
      const typeTables = new Set(
        ['event_map_type', 'object_map_type'].flatMap((map) =>
          (db.prepare(`SELECT ocel_type_map FROM ${map}`).all() as Array<{ ocel_type_map: string }>).map(
            (row) => `${map.split('_')[0]}_${row.ocel_type_map}`,
          ),
        ),
      );
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string;
      }>;
      for (const { name } of tables) {
        const kind = name.split('_')[0] as string;
        const table = typeTables.has(name) ? `${kind}_<type>` : name;
        seen.add(table);
        if (table === 'object_object') continue; // a table not read: one line for it
        for (const { name: column } of db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{
          name: string;
        }>)
          seen.add(
            typeTables.has(name) && !column.startsWith('ocel_') ? `${kind}:${column}` : `${table}.${column}`,
          );
      }
    } finally {
      db.close();
    }
    expect(seen.size).toBeGreaterThan(30);
    expect(unaccounted(seen, account)).toEqual([]);
    expect(account.lines.find((l) => l.name === 'object_object')).toMatchObject({ kind: 'entry', count: 7 });
    expect(account.lines.find((l) => l.name === 'event_object.ocel_qualifier')).toMatchObject({ count: 20 });
    expect(account.lines.find((l) => l.name === 'event_<type>.ocel_time')).toMatchObject({
      handling: 'interpreted',
      count: 13,
    });
    expect(run.err).toContain('Object-centric log (OCEL 2.0 SQLite)');
  });

  it.each([
    {
      warning: 'SQLite is an experimental feature and might change at any time',
      type: 'ExperimentalWarning',
      dropped: true,
    },
    { warning: 'SQLite is an experimental feature', type: { type: 'ExperimentalWarning' }, dropped: true },
    { warning: 'VM Modules is an experimental feature', type: 'ExperimentalWarning', dropped: false },
    { warning: 'SQLite database locked', type: 'Warning', dropped: false },
  ])("drops only node:sqlite's experimental notice from stderr: $warning", ({ warning, type, dropped }) => {
    expect(isSqliteExperimentalWarning(warning, type)).toBe(dropped);
  });

  it('asks for a gzipped SQLite copy to be unzipped first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocel-'));
    writeFileSync(path.join(dir, 'log.sqlite.gz'), gzipSync(readFileSync(SQLITE_LOG)));
    const { code, err } = await runCli(
      ['workflow', 'discover', 'log.sqlite.gz', '--object-type', 'Invoice'],
      dir,
    );
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('compressed with gzip: unzip it (gunzip) and give the .sqlite file');
  });

  it('says where an event cannot be used by its number in the log, never its value', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocel-'));
    writeFileSync(
      path.join(dir, 'log.jsonocel'),
      JSON.stringify({
        objectTypes: [{ name: 'Order', attributes: [] }],
        eventTypes: [],
        objects: [{ id: 'o1', type: 'Order' }],
        events: [
          { id: 'e1', type: 'a', time: '2024-01-01T00:00:00Z', relationships: [{ objectId: 'o1' }] },
          {
            id: 'e2',
            type: 'b',
            time: 'secret-text',
            relationships: [{ objectId: 'o1' }, { objectId: 'x' }],
          },
          { id: 'e3', type: 'c', time: '2024-01-01T02:00:00Z', relationships: [{ objectId: 'o1' }] },
        ],
      }),
    );
    const { code, err } = await runCli(
      ['workflow', 'discover', 'log.jsonocel', '--object-type', 'Order'],
      dir,
    );
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('unparseable-timestamp (1 event: 2)');
    expect(err).toContain('Fix these events, or give --skip-bad-rows');
    expect(err).toContain(
      "1 link from events to 1 object the log never declares: with no type, it is on no object type's map",
    );
    expect(err).not.toContain('secret-text');
  });

  it('escapes names from the file for the terminal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocel-'));
    const type = 'Ord\u001b[2Jer';
    writeFileSync(
      path.join(dir, 'log.jsonocel'),
      JSON.stringify({
        objectTypes: [{ name: type, attributes: [] }],
        eventTypes: [],
        objects: [{ id: 'o1', type }],
        events: [{ id: 'e1', type: 'a', time: '2024-01-01T00:00:00Z', relationships: [{ objectId: 'o1' }] }],
      }),
    );
    const { code, err } = await runCli(['workflow', 'discover', 'log.jsonocel'], dir);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('Ord\\u{1b}[2Jer (1 object, 1 event)');
    expect(err).not.toContain('\u001b');
  });
});

describe('preflight workflow waits --json on an OCEL 2.0 log', () => {
  it('carries the reader account and how the log was flattened', async () => {
    const { code, out, err } = await runCli(
      ['workflow', 'waits', XML_LOG, '--object-type', 'Invoice', '--json'],
      DIR,
    );
    expect(code, err).toBe(EXIT_OK);
    const result = JSON.parse(out) as {
      activities: unknown[];
      account: { reader: string; used: string[]; lines: Array<{ name: string; count: number }> };
      ocel: { objectType: string; sameInstant: string; eventsNotOnMap: number; undeclared: object };
    };
    expect(result.activities.length).toBeGreaterThan(0);
    expect(result.account.reader).toBe('ocel-xml');
    expect(result.account.used).toContain('log/events/event@time');
    expect(result.account.lines.find((l) => l.name === 'event:invoice_inserter')?.count).toBe(3);
    expect(result.ocel).toMatchObject({
      objectType: 'Invoice',
      eventsNotOnMap: 4,
      undeclared: { links: 0, objects: 0 },
    });
    expect(result.ocel.sameInstant).toMatch(/order the log lists them in/);
  });
});
