/**
 * Three PostgreSQL servers holding one table hash-partitioned across them, and a fourth that
 * coordinates them through `postgres_fdw`: PostgreSQL's own sharding, as a data team runs it. Each
 * server is a throwaway cluster of tests/setup/postgres.ts (its own folder, reached through a Unix
 * socket only), so a test of the sharded engine starts and stops everything it uses.
 *
 * Constraints:
 * - The coordinator reaches each shard through the shard's socket folder (`host` of its SERVER),
 *   with `async_capable` so the coordinator's Append runs the shards' foreign scans side by side.
 * - A sharded table's partitions are foreign tables named `<table>_shard<i>`, each over a table of
 *   the same name and columns on shard i; `preflight_row` is a plain bigint, given by the loader
 *   from the file's rows (an identity column would number each shard's rows on its own).
 * - `stop` stops the four servers side by side; when the process ends otherwise, each cluster's
 *   watcher stops it (tests/setup/postgres.ts).
 */
import { startPostgres, type TestPostgres } from './postgres.ts';

/** Shards a test starts: the issue's three servers. */
export const SHARD_COUNT = 3;

/** A coordinator over its shards. */
export interface ShardedPostgres {
  /** the coordinator, the only server a user's `--database` names */
  coordinator: TestPostgres;
  shards: readonly TestPostgres[];
  /**
   * Makes `table` on the coordinator: `preflight_row` and text `columns`, partitioned by the hash
   * of `partitionKey` into one foreign table per shard. Empty: the loader fills it.
   */
  shardTable(table: string, columns: readonly string[], partitionKey: string): Promise<void>;
  stop(): Promise<void>;
}

const quote = (name: string) => `"${name.split('"').join('""')}"`;
const literal = (text: string) => `'${text.split("'").join("''")}'`;

/** The socket folder a server is reached through, from its client address. */
function socketDir(server: TestPostgres): string {
  return decodeURIComponent(new URL(server.url()).searchParams.get('host') ?? '');
}

/** Starts {@link SHARD_COUNT} shards and a coordinator wired to them (four clusters, side by side). */
export async function startShards(bin: string): Promise<ShardedPostgres> {
  const started = await Promise.allSettled(Array.from({ length: SHARD_COUNT + 1 }, () => startPostgres(bin)));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [coordinator, ...shards] = servers as [TestPostgres, ...TestPostgres[]];
  try {
    const wiring = shards.flatMap((shard, i) => [
      `CREATE SERVER shard${i} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host ${literal(socketDir(shard))}, dbname 'postgres', async_capable 'true')`,
      `CREATE USER MAPPING FOR CURRENT_USER SERVER shard${i} OPTIONS (user 'preflight')`,
    ]);
    await coordinator.query(['CREATE EXTENSION postgres_fdw', ...wiring].join(';\n'));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    coordinator,
    shards,
    async shardTable(table, columns, partitionKey) {
      const cells = [`${quote('preflight_row')} bigint NOT NULL`, ...columns.map((c) => `${quote(c)} text`)];
      await Promise.all(
        shards.map((shard, i) =>
          shard.query(`CREATE TABLE ${quote(`${table}_shard${i}`)} (${cells.join(', ')})`),
        ),
      );
      const parts = shards.map(
        (_, i) =>
          `CREATE FOREIGN TABLE ${quote(`${table}_shard${i}`)} PARTITION OF ${quote(table)} FOR VALUES WITH (MODULUS ${SHARD_COUNT}, REMAINDER ${i}) SERVER shard${i} OPTIONS (table_name ${literal(`${table}_shard${i}`)})`,
      );
      await coordinator.query(
        [
          `CREATE TABLE ${quote(table)} (${cells.join(', ')}) PARTITION BY HASH (${quote(partitionKey)})`,
          ...parts,
        ].join(';\n'),
      );
    },
    stop,
  };
}
