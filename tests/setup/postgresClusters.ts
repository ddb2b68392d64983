/**
 * vitest global setup: a folder in which the test workers list the PostgreSQL servers they start
 * (tests/setup/postgres.ts), handed to them in `$PREFLIGHT_PG_CLUSTERS`, and a teardown that stops
 * those servers at the end of the run, asynchronously and in the runner's own process, where it
 * always runs. A worker thread cannot do it itself: the runner ends its threads without an 'exit'
 * or a signal they could act on. Costs a folder when no test starts a server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLUSTER_LIST_ENV, stopListedClusters } from './postgres.ts';

export default function setup(): () => Promise<void> {
  const listDir = mkdtempSync(path.join(tmpdir(), 'preflight-pg-list-'));
  process.env[CLUSTER_LIST_ENV] = listDir;
  return async () => {
    await stopListedClusters(listDir);
    rmSync(listDir, { recursive: true, force: true });
  };
}
