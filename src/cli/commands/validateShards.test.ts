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
import {
  mergePartCounts,
  type PartCounts,
  perPartSql,
  remoteSqlOf,
  sendsAggregates,
  shardedDuplicateKeysSql,
  shardedOrphansSql,
} from '../../core/sql/index.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { findings } from '../testing/sqlParity.ts';

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
  const single = await runCli(
    [
      'validate',
      ...database,
      ...inputs.flatMap((i) => ['--table', `one_${i}_${round}`, '--load', INPUTS[i].file]),
      ...extra,
      '--json',
    ],
    dir,
  );
  for (const i of inputs)
    await cluster.shardTable(`sharded_${i}_${round}`, INPUTS[i].columns, INPUTS[i].partitionKey);
  const sharded = await runCli(
    [
      'validate',
      ...database,
      ...inputs.flatMap((i) => ['--table', `sharded_${i}_${round}`, '--load', INPUTS[i].file]),
      ...extra,
      '--json',
    ],
    dir,
  );
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
    const args = [
      'validate',
      '--engine',
      'postgres',
      '--database',
      cluster.coordinator.url(),
      '--table',
      'loaded',
      '--load',
      'people.csv',
    ];
    const again = await runCli(args, dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds records');
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
  ];
  it.each(cases)('reports as the default engine and one server: $description', async ({ inputs, extra }) => {
    const { js, single, sharded, said } = await threeWays(inputs, extra);
    expect(findings(sharded)).toEqual(findings(js));
    expect(findings(single)).toEqual(findings(js));
    expect(said).toMatch(new RegExp(`split over ${SHARD_COUNT} servers \\(shard0, shard1, shard2\\)`));
  });

  it("asks each shard only for aggregates (EXPLAIN's Remote SQL), and catches a plan that ships rows", async () => {
    const { coordinator } = cluster;
    const round = ++tables;
    await cluster.shardTable(`people_${round}`, INPUTS.people.columns, 'last');
    await cluster.shardTable(`visits_${round}`, INPUTS.visits.columns, 'visit');
    await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        coordinator.url(),
        '--table',
        `people_${round}`,
        '--load',
        'people.csv',
        '--table',
        `visits_${round}`,
        '--load',
        'visits.csv',
      ],
      dir,
    );
    const parts = (table: string) => Array.from({ length: SHARD_COUNT }, (_, i) => `"${table}_shard${i}"`);
    const remote = async (sql: string) => {
      const [plan] = await coordinator.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`);
      return remoteSqlOf(JSON.parse(Object.values(plan ?? {})[0] ?? 'null'));
    };
    const plans = {
      keys: shardedDuplicateKeysSql(parts(`people_${round}`), 'id', [], false),
      orphans: shardedOrphansSql(
        { parts: parts(`visits_${round}`), column: 'person' },
        { parts: parts(`people_${round}`), column: 'id' },
      ),
      checks: perPartSql(parts(`people_${round}`), handWrittenAggregate),
    };
    for (const [name, sql] of Object.entries(plans)) {
      const asked = await remote(sql);
      expect(asked.length, name).toBeGreaterThanOrEqual(SHARD_COUNT);
      expect(
        asked.filter((s) => !sendsAggregates(s)),
        name,
      ).toEqual([]);
    }
    // the plan the engine runs on one server: every record, in row order, through a cursor
    const shipped = await remote(`SELECT * FROM "people_${round}" ORDER BY preflight_row`);
    expect(shipped.length).toBe(SHARD_COUNT);
    expect(shipped.filter((s) => !sendsAggregates(s))).toHaveLength(SHARD_COUNT);
  });

  it('merges per-shard counts into the counts of the whole table (a hand-written aggregate)', async () => {
    const { coordinator } = cluster;
    const round = ++tables;
    await cluster.shardTable(`bench_${round}`, INPUTS.bench.columns, 'last_name');
    await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        coordinator.url(),
        '--table',
        `bench_${round}`,
        '--load',
        'bench.csv',
        '--table',
        `bench_one_${round}`,
        '--load',
        'bench.csv',
      ],
      dir,
    );
    const parts = Array.from({ length: SHARD_COUNT }, (_, i) => `"bench_${round}_shard${i}"`);
    const perShard = await coordinator.query(perPartSql(parts, handWrittenAggregate));
    // rows reaching the client: one per shard
    expect(perShard).toHaveLength(SHARD_COUNT);
    const merged = mergePartCounts(perShard.map(partCounts), EXAMPLES);
    const [whole] = await coordinator.query(handWrittenAggregate(`"bench_one_${round}"`));
    expect(merged).toEqual(partCounts(whole ?? {}));
    expect(merged.checks.get(0)?.failing).toBeGreaterThan(EXAMPLES);
  });
});

/** Failing rows listed per check in the hand-written aggregate. */
const EXAMPLES = 20;

/** One check as an aggregate plan counts it (an identifier ending in an odd digit), with its first rows. */
function handWrittenAggregate(relation: string): string {
  const column = relation.includes('people') ? '"id"' : '"mrn"';
  const fails = `${column} ~ '[13579]$'`;
  return [
    'SELECT COUNT(*) AS records,',
    `  COUNT(*) FILTER (WHERE ${fails}) AS failing,`,
    `  (array_agg(preflight_row ORDER BY preflight_row) FILTER (WHERE ${fails}))[1:${EXAMPLES}] AS first_rows`,
    `FROM ${relation}`,
  ].join('\n');
}

/** A row of {@link handWrittenAggregate} (as text) as a part's counts. */
function partCounts(row: Record<string, string>): PartCounts {
  const rows = (row.first_rows ?? '')
    .replace(/[{}]/g, '')
    .split(',')
    .filter((r) => r !== '')
    .map(Number);
  const failing = Number(row.failing);
  return { records: Number(row.records), invalid: failing, checks: new Map([[0, { failing, rows }]]) };
}
