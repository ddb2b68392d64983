/**
 * The PostgreSQL servers of test workers are stopped by the run, in the runner's own process: a
 * worker thread lists its server in the folder the global set-up made, and the teardown's
 * `stopListedClusters` stops each listed server and deletes its folder, asynchronously.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLUSTER_LIST_ENV,
  postgresBinDir,
  startPostgres,
  stopListedClusters,
  testPostgres,
} from '../setup/postgres.ts';

const bin = postgresBinDir();
/** The socket folder of a server, from the address a client connects with. */
const socketDir = (url: string) => decodeURIComponent(new URL(url).searchParams.get('host') ?? '');

describe.skipIf(bin === undefined)("a test worker's PostgreSQL server", () => {
  const lists: string[] = [];
  afterAll(() => {
    for (const dir of lists) rmSync(dir, { recursive: true, force: true });
  });

  it("is listed for the run's teardown, in the folder the global set-up made", async () => {
    const listDir = process.env[CLUSTER_LIST_ENV];
    expect(listDir).toBeTruthy();
    const pg = await testPostgres(bin as string);
    try {
      const listed = readdirSync(listDir as string).map(
        (name) => JSON.parse(readFileSync(path.join(listDir as string, name), 'utf8')) as { dir: string },
      );
      expect(listed.map((place) => place.dir)).toContain(socketDir(pg.url()));
    } finally {
      await pg.stop();
    }
  });

  it('is stopped and its folder deleted by the teardown', async () => {
    const server = await startPostgres(bin as string);
    const dir = socketDir(server.url());
    const listDir = mkdtempSync(path.join(tmpdir(), 'preflight-pg-list-test-'));
    lists.push(listDir);
    writeFileSync(
      path.join(listDir, 'server.json'),
      JSON.stringify({ bin, dir, data: path.join(dir, 'data'), asRoot: userInfo().uid === 0 }),
    );
    // running: its socket is there (no client connects, which the stop would cut off)
    expect(readdirSync(dir).some((name) => name.startsWith('.s.PGSQL.'))).toBe(true);
    await stopListedClusters(listDir);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(listDir)).toEqual([]);
    await server.stop(); // the server is gone: a stop then finds nothing to do
  });
});
