/**
 * `validate --engine postgres` on tables hash-partitioned over three PostgreSQL servers through
 * `postgres_fdw` (tests/setup/shards.ts), as a data team shards its extracts: the file loaded
 * through the coordinator keeps its row numbers, the report equals the default engine's and one
 * server's on the same files, and what the coordinator asks each shard (`EXPLAIN`'s `Remote SQL`)
 * is an aggregate, never the shard's rows. The tables are partitioned by another column than the
 * checked key, so a key's records sit on several shards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_COLUMNS, BENCH_CONTRACT, writeLegacyPatients } from '../../../tests/bench/legacyPatients.ts';
import { postgresBinDir } from '../../../tests/setup/postgres.ts';
import { SHARD_COUNT, type ShardedPostgres, startShards } from '../../../tests/setup/shards.ts';
import { compilePlan, withNotChecked } from '../../core/contract/index.ts';
import {
  type AggregatePart,
  type AggregateProfile,
  aggregatePlanSql,
  DEFAULT_EXAMPLES,
  decodeAggregate,
  decodePartsAggregate,
  failingGroupsSql,
  failingLinesSql,
  PROFILE_VALUES,
  partsAggregateSql,
  partsProfileSql,
  perPartSql,
  remoteSqlOf,
  sendsAggregates,
  shardedDuplicateKeysSql,
  shardedOrphansSql,
  withPartsProfile,
} from '../../core/sql/index.ts';
import { csvText, SQL_CHECK_CASES } from '../../core/sql/testing/checkCases.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { findings } from '../testing/sqlParity.ts';

/** Check cases not run on the shards, by name, with the reason. */
const NOT_SHARDED = new Map([
  [
    'required column missing from the header fails every record',
    'its contract requires a column it does not define, which the default engine refuses as a contract',
  ],
]);

const bin = postgresBinDir();
if (bin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );

let dir: string;
let cluster: ShardedPostgres;

/** Each input: its file, its columns, and the column its table is partitioned by (not its key). */
const INPUTS = {
  bench: { file: 'bench.csv', columns: [...BENCH_COLUMNS], partitionKey: 'last_name' },
  people: { file: 'people.csv', columns: ['id', 'last'], partitionKey: 'last' },
  visits: { file: 'visits.csv', columns: ['visit', 'person'], partitionKey: 'visit' },
  keys: { file: 'keys.csv', columns: ['id', 'spread'], partitionKey: 'spread' },
  // partitioned by the key itself: each shard sends only its repeated keys
  keysById: { file: 'keys.csv', columns: ['id', 'spread'], partitionKey: 'id' },
} as const;
type Input = keyof typeof INPUTS;

beforeAll(async () => {
  if (bin === undefined) return;
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-shards-'));
  cluster = await startShards(bin);
  await writeLegacyPatients(path.join(dir, 'bench.csv'), 3000);
  await writeFile(path.join(dir, 'bench.contract.json'), JSON.stringify(BENCH_CONTRACT));
  await writeFile(
    path.join(dir, 'people.csv'),
    'id,last\nP1,Smith\nP2,Lee\nP1, smith \nP3,\nP4,Kim\nP4,Ng\nP4,Diaz\n',
  );
  await writeFile(path.join(dir, 'visits.csv'), 'visit,person\nV1,P1\nV2,P9\nV3,\nV4,p2\nV5,P9\nV6,P4\n');
  // more repeated keys than a report lists, each key's records spread over the shards by `spread`
  const keys = Array.from({ length: 1001 }, (_, i) => `k${i + 1}`);
  const records = [...keys, ...keys.slice(1), 'k1'].map((k, i) => `${k},${i % 7}`);
  await writeFile(path.join(dir, 'keys.csv'), `id,spread\n${records.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  if (bin === undefined) return;
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

let tables = 0;

/** The files checked by the default engine, by one server (the coordinator alone) and by the shards. */
async function threeWays(inputs: readonly Input[], extra: readonly string[]) {
  const files = inputs.map((i) => INPUTS[i].file);
  const js = await runCli(['validate', ...files, ...extra, '--json'], dir);
  const database = ['--engine', 'postgres', '--database', cluster.coordinator.url()];
  const round = ++tables;
  /** The inputs loaded into tables named `<prefix>_<input>_<round>` and checked there. */
  const onTables = (prefix: string) =>
    runCli(
      [
        'validate',
        ...database,
        ...inputs.flatMap((i) => ['--table', `${prefix}_${i}_${round}`, '--load', INPUTS[i].file]),
        ...extra,
        '--json',
      ],
      dir,
    );
  const single = await onTables('one');
  for (const i of inputs)
    await cluster.shardTable(`sharded_${i}_${round}`, INPUTS[i].columns, INPUTS[i].partitionKey);
  const sharded = await onTables('sharded');
  for (const run of [single, sharded]) expect(run.code, run.err).toBe(js.code);
  return {
    js: JSON.parse(js.out) as Report,
    single: JSON.parse(single.out) as Report,
    sharded: JSON.parse(sharded.out) as Report,
    said: sharded.err,
    round,
  };
}

describe.skipIf(bin === undefined)('a table sharded over three PostgreSQL servers', () => {
  it('is loaded through the coordinator onto every shard, its records numbered in file order', async () => {
    await cluster.shardTable('loaded', INPUTS.people.columns, 'last');
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        cluster.coordinator.url(),
        '--table',
        'loaded',
        '--load',
        'people.csv',
        '--json',
      ],
      dir,
    );
    expect(run.code, run.err).toBe(0);
    const onShards = await Promise.all(
      cluster.shards.map((s, i) => s.query(`SELECT preflight_row, id FROM loaded_shard${i}`)),
    );
    // the rows went to more than one shard, and together they are the file, by its row numbers
    expect(onShards.filter((rows) => rows.length > 0).length).toBeGreaterThan(1);
    const loaded = onShards.flat().sort((a, b) => Number(a.preflight_row) - Number(b.preflight_row));
    const file = (await readFile(path.join(dir, 'people.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(loaded).toEqual(file.map((line, i) => ({ preflight_row: String(i + 1), id: line.split(',')[0] })));
  });

  it('refuses to load into a sharded table that already holds records', async () => {
    await cluster.shardTable('held', INPUTS.people.columns, 'last');
    const args = [
      'validate',
      '--engine',
      'postgres',
      '--database',
      cluster.coordinator.url(),
      '--table',
      'held',
      '--load',
      'people.csv',
    ];
    expect((await runCli(args, dir)).code).toBe(0);
    const again = await runCli(args, dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds records');
  });

  it('refuses to load a file into a sharded table without its columns, naming them', async () => {
    await cluster.shardTable('narrow', ['id'], 'id');
    const args = ['validate', '--engine', 'postgres', '--database', cluster.coordinator.url()];
    const run = await runCli([...args, '--table', 'narrow', '--load', 'people.csv'], dir);
    expect(run.code).toBe(2);
    expect(run.err).toContain('"last" only in the file');
    expect(await cluster.coordinator.query('SELECT count(*) AS n FROM narrow')).toEqual([{ n: '0' }]);
  });

  const cases: { description: string; inputs: Input[]; extra: string[] }[] = [
    {
      description: "the benchmark generator's planted defects (3,000 rows), key across shards",
      inputs: ['bench'],
      extra: ['--schema', 'bench.contract.json', '--key', 'mrn'],
    },
    {
      description: 'a reference from one sharded table into another: orphans, keys and a blank cell',
      inputs: ['people', 'visits'],
      extra: ['--key', 'people.id', '--references', 'visits.person=people.id'],
    },
    {
      description: 'more repeated keys than a report lists, each key over several shards',
      inputs: ['keys'],
      extra: ['--key', 'id'],
    },
    {
      description: 'more repeated keys than a report lists, the table partitioned by the key',
      inputs: ['keysById'],
      extra: ['--key', 'id'],
    },
  ];
  it.each(cases)('reports as the default engine and one server: $description', async ({ inputs, extra }) => {
    const { js, single, sharded, said } = await threeWays(inputs, extra);
    expect(findings(sharded)).toEqual(findings(js));
    expect(findings(single)).toEqual(findings(js));
    expect(said).toMatch(new RegExp(`split over ${SHARD_COUNT} servers \\(shard0, shard1, shard2\\)`));
  });

  it('exports the same failing rows as the default engine, byte for byte (--failing-rows)', async () => {
    const round = ++tables;
    await cluster.shardTable(`export_${round}`, INPUTS.bench.columns, 'last_name');
    const args = ['--schema', 'bench.contract.json', '--key', 'mrn'];
    const js = await runCli(['validate', 'bench.csv', ...args, '--failing-rows', `js${round}.csv`], dir);
    const database = ['--engine', 'postgres', '--database', cluster.coordinator.url()];
    const load = ['--table', `export_${round}`, '--load', 'bench.csv'];
    const sharded = await runCli(
      ['validate', ...database, ...load, ...args, '--failing-rows', `shards${round}.csv`],
      dir,
    );
    expect(sharded.code, sharded.err).toBe(js.code);
    const exported = await readFile(path.join(dir, `shards${round}.csv`), 'utf8');
    expect(exported.split('\n').length).toBeGreaterThan(10);
    expect(exported).toBe(await readFile(path.join(dir, `js${round}.csv`), 'utf8'));
  });

  it('every check case of the SQL engines: the same report as the default engine, in one run on the shards', async () => {
    const round = ++tables;
    const cases = SQL_CHECK_CASES.filter((c) => !NOT_SHARDED.has(c.name));
    const args: string[] = [];
    const files: string[] = [];
    for (const [i, c] of cases.entries()) {
      // a second column keeps a case's records from being blank, and spreads them over the shards
      const header = c.header.length === 1 ? [...c.header, 'n'] : c.header;
      const rows = c.header.length === 1 ? c.rows.map((r, k) => [...r, String(k + 1)]) : c.rows;
      const file = `case${round}_${i}.csv`;
      files.push(file);
      await writeFile(path.join(dir, file), csvText(header, rows));
      await writeFile(path.join(dir, `${file}.contract.json`), JSON.stringify(c.contract));
      await cluster.shardTable(`case${round}_${i}`, header, header.at(-1) as string);
      args.push('--table', `case${round}_${i}`, '--load', file, '--schema', `${file}=${file}.contract.json`);
    }
    const schemas = args.filter((_, k) => args[k - 1] === '--schema').flatMap((s) => ['--schema', s]);
    const js = await runCli(
      ['validate', ...files, '--continue-on-header-mismatch', ...schemas, '--json'],
      dir,
    );
    const sharded = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        cluster.coordinator.url(),
        ...args,
        '--continue-on-header-mismatch',
        '--json',
      ],
      dir,
    );
    expect(sharded.code, sharded.err).toBe(js.code);
    const byPlace = (report: Report) => ({
      ...findings(report),
      issues: Object.fromEntries(
        report.issues.map((i) => [`${i.examples[0]?.input} ${i.rule} ${i.location}`, i]),
      ),
    });
    const expected = JSON.parse(js.out) as Report;
    expect(expected.issues.length).toBeGreaterThan(cases.length);
    expect(byPlace(JSON.parse(sharded.out) as Report)).toEqual(byPlace(expected));
    expect(sharded.err.match(/split over 3 servers/g)).toHaveLength(cases.length);
  });

  it('reports blank lines, blank and "no value" records and spaces before a quote as the default engine, on the shards', async () => {
    const round = ++tables;
    const file = `blank${round}.csv`;
    // blank lines, a blank record, one of "no value" texts only, a cell with spaces before a quote
    await writeFile(
      path.join(dir, file),
      'id,note,n\nA1,ok,1\n\n,,\nN/A,NULL,\nA2, "x",4\n\n\nA3,"say ""hi""",7\nN/A,,8\n',
    );
    await writeFile(
      path.join(dir, `${file}.contract.json`),
      JSON.stringify(
        withNotChecked(
          {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'string', pattern: '^A[0-9]+$' },
              note: { type: 'string', maxLength: 3 },
            },
          },
          { notChecked: [], missingValues: ['N/A', 'NULL'] },
        ),
      ),
    );
    await cluster.shardTable(`blank${round}`, ['id', 'note', 'n'], 'n');
    const extra = ['--schema', `${file}.contract.json`, '--key', 'id', '--json'];
    const js = await runCli(['validate', file, ...extra], dir);
    const url = cluster.coordinator.url();
    const sharded = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        url,
        '--table',
        `blank${round}`,
        '--load',
        file,
        ...extra,
      ],
      dir,
    );
    expect(sharded.code, sharded.err).toBe(js.code);
    const expected = JSON.parse(js.out) as Report;
    expect(expected.issues.map((i) => i.rule)).toEqual(
      expect.arrayContaining([
        'csv.blank-line',
        'csv.blank-row',
        'contract.required',
        'csv.space-before-quote',
      ]),
    );
    expect(findings(JSON.parse(sharded.out) as Report)).toEqual(findings(expected));
  });

  it("asks each shard only for aggregates (EXPLAIN's Remote SQL), and catches a plan that ships rows", async () => {
    const round = ++tables;
    for (const input of ['people', 'visits', 'bench'] as const) await loadSharded(input, round);
    const plans = {
      keys: shardedDuplicateKeysSql(parts(`people_${round}`), 'id', [], false),
      orphans: shardedOrphansSql(
        { parts: parts(`visits_${round}`), column: 'person' },
        { parts: parts(`people_${round}`), column: 'id' },
      ),
      checks: perPartSql(parts(`bench_${round}`), checkAggregate),
    };
    for (const [name, sql] of Object.entries(plans)) {
      const asked = await remote(sql);
      expect(asked.length, name).toBeGreaterThanOrEqual(SHARD_COUNT);
      expect(
        asked.filter((s) => !sendsAggregates(s)),
        name,
      ).toEqual([]);
    }
    // the plan the engine ran on one server before: every record, in row order, through a cursor
    const shipped = await remote(`SELECT * FROM "people_${round}" ORDER BY preflight_row`);
    expect(shipped.length).toBe(SHARD_COUNT);
    expect(shipped.filter((s) => !sendsAggregates(s))).toHaveLength(SHARD_COUNT);
  });

  it("asks each shard only for aggregates for the contract's own checks", async () => {
    const round = ++tables;
    await loadSharded('bench', round);
    const options = {
      dialect: 'postgres',
      header: INPUTS.bench.columns,
      plan: compilePlan(BENCH_CONTRACT),
    } as const;
    const asked = await remote(partsAggregateSql(names(`bench_${round}`), options).sql);
    // the summary and, per column, its grouped values and tracked counts, from every shard
    expect(asked.length).toBeGreaterThanOrEqual(SHARD_COUNT * (1 + 2 * INPUTS.bench.columns.length));
    expect(asked.filter((s) => !sendsAggregates(s, EXAMPLES))).toEqual([]);
    // the same checks with each record's flags computed apart (as on one server) ship the records
    const apart = aggregatePlanSql({ ...options, relation: names(`bench_${round}`)[0] as string });
    expect((await remote(apart.sql)).filter((s) => !sendsAggregates(s, EXAMPLES)).length).toBeGreaterThan(0);
  });

  it('asks each shard for the first rows of the failing-rows export as aggregates, then for failing records only', async () => {
    const round = ++tables;
    await loadSharded('bench', round);
    const table = `"bench_${round}"`;
    const header = INPUTS.bench.columns;
    const found = failingGroupsSql({
      relation: table,
      parts: parts(`bench_${round}`),
      header,
      plan: compilePlan(BENCH_CONTRACT),
    });
    const firsts = await remote(found.sql);
    expect(firsts.length).toBeGreaterThanOrEqual(SHARD_COUNT);
    expect(firsts.filter((s) => !sendsAggregates(s))).toEqual([]);
    // the lines: each shard filters its records by the checks before any leaves it
    const text = { beforeRow: '', beforeValue: '', index: 0, value: 'csv', after: [{ text: '' }] } as const;
    const lines = await remote(
      failingLinesSql(
        found,
        table,
        header,
        found.groups.map((_, group) => ({ group, text })),
      ),
    );
    expect(lines).toHaveLength(SHARD_COUNT);
    for (const asked of lines) expect(asked).toMatch(/\bWHERE\b.* ~ /s);
  });

  it("--explain prints each shard's estimate of its records, which add up to the table's", async () => {
    const round = ++tables;
    await loadSharded('bench', round);
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        cluster.coordinator.url(),
        '--table',
        `bench_${round}`,
        '--explain',
      ],
      dir,
    );
    expect(run.code, run.err).toBe(0);
    const whole = /about ([0-9,]+) records to read/.exec(run.out);
    const shards = [
      ...run.out.matchAll(/^ {2}"?bench_\d+_shard(\d)"? on server shard(\d): about ([0-9,]+) records\.$/gm),
    ];
    expect(shards.map((m) => [m[1], m[2]])).toEqual([
      ['0', '0'],
      ['1', '1'],
      ['2', '2'],
    ]);
    const count = (text: string | undefined) => Number(text?.replaceAll(',', ''));
    expect(shards.reduce((n, m) => n + count(m[3]), 0)).toBe(count(whole?.[1]));
  });

  it("merges the shards' aggregates into one server's, at most checks × k + 1 rows from each", async () => {
    const round = ++tables;
    await loadSharded('bench', round);
    await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        cluster.coordinator.url(),
        '--table',
        `bench_one_${round}`,
        '--load',
        'bench.csv',
      ],
      dir,
    );
    const options = {
      dialect: 'postgres',
      header: INPUTS.bench.columns,
      plan: compilePlan(BENCH_CONTRACT),
    } as const;
    const sharded = partsAggregateSql(names(`bench_${round}`), options);
    const fromShards = await cluster.coordinator.query(sharded.sql);
    const checks = sharded.queries[0]?.checks.length ?? 0;
    expect(fromShards.length).toBeLessThanOrEqual(SHARD_COUNT * (checks * EXAMPLES + 1));
    const one = aggregatePlanSql({ ...options, relation: `bench_one_${round}` });
    const merged = decodePartsAggregate(sharded, fromShards);
    const whole = decodeAggregate(one, await cluster.coordinator.query(one.sql));
    // a column past the tracked values is profiled from all its distinct values, read apart: of
    // its listed values only that it overflowed matters
    const listed = (part: AggregatePart) => ({
      ...part,
      profiles: part.profiles.map((p) => (p.overflowed ? { overflowed: true } : p)),
    });
    expect(listed(merged)).toEqual(listed(whole));
    expect(whole.profiles.filter((p) => !p.overflowed).length).toBeGreaterThan(10);
    // such a column's values added by value at the coordinator, each shard sending its values
    // grouped: at most PROFILE_VALUES rows reach the client, and they are one server's profile
    const overflowed = INPUTS.bench.columns.filter((_, k) => merged.profiles[k]?.overflowed);
    expect(overflowed.length).toBeGreaterThan(2);
    for (const column of overflowed) {
      const k = INPUTS.bench.columns.indexOf(column);
      const sql = partsProfileSql(parts(`bench_${round}`), column, []);
      const rows = await cluster.coordinator.query(sql);
      expect(rows.length).toBe(PROFILE_VALUES);
      expect(withPartsProfile(merged.profiles[k] as AggregateProfile, rows), column).toEqual(
        whole.profiles[k],
      );
      expect((await remote(sql)).filter((s) => !sendsAggregates(s))).toEqual([]);
    }
    // several checks fail, so the merge had first rows to choose among
    expect(merged.checks.filter((c) => c.failing > 1).length).toBeGreaterThan(3);
  });
});

/** Failing rows listed per check (the aggregate's default). */
const EXAMPLES = DEFAULT_EXAMPLES;

/** Each shard's part of a sharded table, as SQL names it, and as a plain name. */
const parts = (table: string) => Array.from({ length: SHARD_COUNT }, (_, i) => `"${table}_shard${i}"`);
const names = (table: string) => Array.from({ length: SHARD_COUNT }, (_, i) => `${table}_shard${i}`);

/** What the coordinator asks each shard for `sql`: every `Remote SQL` of its plan. */
async function remote(sql: string): Promise<string[]> {
  const [plan] = await cluster.coordinator.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`);
  return remoteSqlOf(JSON.parse(Object.values(plan ?? {})[0] ?? 'null'));
}

/** A sharded table of `input` made and loaded by the CLI's loader. */
async function loadSharded(input: Input, round: number): Promise<void> {
  const table = `${input}_${round}`;
  await cluster.shardTable(table, INPUTS[input].columns, INPUTS[input].partitionKey);
  const load = [
    'validate',
    '--engine',
    'postgres',
    '--database',
    cluster.coordinator.url(),
    '--table',
    table,
  ];
  const run = await runCli([...load, '--load', INPUTS[input].file], dir);
  expect(run.err).not.toContain('refused');
}

/**
 * Checks written as postgres_fdw sends them (a pattern, a length, a list of codes): each check's
 * failing count and first rows, per shard.
 */
function checkAggregate(relation: string): string {
  const fails = [`"mrn" !~ '^[0-9]{8}$'`, `char_length("last_name") > 12`, `"sex" NOT IN ('M', 'F', 'U')`];
  return [
    'SELECT COUNT(*) AS records,',
    ...fails.map(
      (f, i) =>
        `  COUNT(*) FILTER (WHERE ${f}) AS failing_${i}, (array_agg(preflight_row ORDER BY preflight_row) FILTER (WHERE ${f}))[1:${EXAMPLES}] AS rows_${i},`,
    ),
    `  COUNT(*) FILTER (WHERE ${fails.join(' OR ')}) AS invalid`,
    `FROM ${relation}`,
  ].join('\n');
}
