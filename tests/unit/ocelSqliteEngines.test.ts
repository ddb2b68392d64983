/**
 * The two SQLite engines under the one OCEL 2.0 SQLite reader: the browser's (sql.js, as the
 * event-log worker loads it) and the CLI's (`node:sqlite`) give the same log from the same file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOcelSqliteFile } from '../../src/cli/ocelSqliteFile.ts';
import { OcelError } from '../../src/core/workflow/eventlog/index.ts';
import { readOcelSqliteBytes } from '../../workers/ocelSqlJs.ts';
import { externalFixture } from '../fixtures/external.ts';

const file = externalFixture('pm4py-ocel2', 'ocel20_example.sqlite');

describe("sql.js under the core's OCEL SQLite reader (the browser's engine)", () => {
  it("reads pm4py's SQLite log into the log node:sqlite gives: events, objects, types and account", async () => {
    const browser = await readOcelSqliteBytes(new Uint8Array(readFileSync(file)), 'log.sqlite');
    const cli = await readOcelSqliteFile(file, 'log.sqlite');
    expect(browser).toEqual(cli);
    expect(browser.events.length).toBeGreaterThan(0);
    expect(browser.account.lines.length).toBeGreaterThan(0);
  });

  it('refuses a cut-short copy in words, as a log the person can fix', async () => {
    const bytes = new Uint8Array(readFileSync(file)).slice(0, 4096);
    await expect(readOcelSqliteBytes(bytes, 'log.sqlite')).rejects.toThrow(
      /^log\.sqlite is not a readable OCEL 2\.0 log: SQLite cannot read it \(.+\)\.$/,
    );
    await expect(readOcelSqliteBytes(bytes, 'log.sqlite')).rejects.toBeInstanceOf(OcelError);
  });
});
