/**
 * Object-centric (OCEL 2.0) logs through the path the browser's import takes (eventLogClient →
 * pool → comlink → eventLogApi → core, the Worker faked): recognised by content in the preview
 * (object types to choose from, the account), and the same map, account and flattening as the
 * CLI gives for the same file and object type, whichever of the three serialisations (the SQLite
 * copy read by sql.js here, by `node:sqlite` in the CLI).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import {
  createEventLogApi,
  type EventLogWorkerApi,
  OCEL_SQLITE_MAX_BYTES,
  readOcelSqlite,
} from '../../workers/eventLogApi.ts';
import { discoverInPool, previewInPool } from '../../workers/eventLogClient.ts';
import { fakePools } from '../../workers/testing/fakePools.ts';
import { externalFixture } from '../fixtures/external.ts';

const { createPool } = fakePools<EventLogWorkerApi>('event log', createEventLogApi);

const fixture = (name: string) => externalFixture('pm4py-ocel2', name);
const blobOf = (name: string) => new Blob([readFileSync(fixture(name))]);

describe('OCEL 2.0 in the event-log worker', () => {
  it('previews an OCEL log by its content, even named .csv: object types and the account, no columns', async () => {
    const outcome = await previewInPool(createPool(), blobOf('ocel20_example.jsonocel'), 'export.csv');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.preview.kind).toBe('ocel');
    expect(outcome.preview.columns).toEqual([]);
    expect(outcome.preview.proposal.case).toBe('');
    expect(outcome.preview.ocel?.objectTypes.map((t) => [t.name, t.objects, t.events])).toEqual([
      ['Invoice', 3, 9],
      ['Payment', 3, 3],
      ['Purchase Order', 2, 5],
      ['Purchase Requisition', 1, 3],
    ]);
    expect(outcome.preview.ocel?.account.reader).toBe('ocel-json');
  });

  it.each(['ocel20_example.jsonocel', 'ocel20_example.xmlocel', 'ocel20_example.sqlite'])(
    '%s: the same map, account and flattening as the CLI',
    async (name) => {
      const objectType = 'Invoice';
      const preview = await previewInPool(createPool(), blobOf(name), name);
      if (!preview.ok) throw new Error(preview.message);
      const outcome = await discoverInPool(createPool(), blobOf(name), name, {
        mapping: { ...preview.preview.proposal, case: objectType },
        timeZone: 'UTC',
        discover: { source: name },
      });
      if (!outcome.ok) throw new Error(outcome.message);
      const dir = path.dirname(fixture(name));
      const waits = await runCli(['workflow', 'waits', name, '--object-type', objectType, '--json'], dir);
      const discovered = await runCli(['workflow', 'discover', name, '--object-type', objectType], dir);
      expect(waits.code, waits.err).toBe(0);
      const cli = JSON.parse(waits.out) as { account: unknown; ocel: unknown };
      expect(outcome.reading.account).toEqual(cli.account);
      expect(outcome.reading.ocel).toEqual(cli.ocel);
      expect(outcome.reading.account).toEqual(preview.preview.ocel?.account);
      expect(outcome.workflow.steps).toEqual((JSON.parse(discovered.out) as typeof outcome.workflow).steps);
      expect(outcome.reading).toMatchObject({ cases: 3, problems: [] });
    },
  );

  it('refuses a SQLite log past the bound before reading a byte, saying what to do', async () => {
    let reads = 0;
    const huge = {
      name: 'big.sqlite',
      size: OCEL_SQLITE_MAX_BYTES + 1,
      read: async () => {
        reads += 1;
        return new Uint8Array(0);
      },
    };
    await expect(readOcelSqlite(huge as never, {})).rejects.toThrow(
      /^big\.sqlite is 513 MB: the app reads OCEL 2\.0 SQLite logs up to 512 MB\. Read it with `preflight workflow discover`/,
    );
    expect(reads).toBe(0);
  });
});
