/**
 * Browser and CLI give the same reader account: for every reader, third-party files run through
 * the path the app takes (the worker APIs called as the app calls them, without a Worker) and
 * through the command a user runs (`runCli`), and the accounts compared whole: the same lines, in
 * the same order, with the same counts, places and effects. The capability lives once in the core;
 * this holds the adapters to it, so an adapter that drops, adds or rewords a line fails here.
 *
 * Readers the CLI has and the browser does not (Parquet, partitioned Parquet folders)
 * are listed by name with the reason, and skipped.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzippedFiles } from '../../src/app/migration/archiveFiles.ts';
import { runCli } from '../../src/cli/cliTestKit.ts';
import type { AccountLine, ReaderAccount } from '../../src/core/readerAccount/index.ts';
import { withNotRead } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { createBpmnApi } from '../../workers/bpmnApi.ts';
import { createEventLogApi } from '../../workers/eventLogApi.ts';
import { layoutOf } from '../../workers/testing/sniffedLayout.ts';
import { createValidateApi, type ValidateInputSpec } from '../../workers/validateApi.ts';
import { runValidation } from '../../workers/validateRun.ts';
import { externalFixture } from '../fixtures/external.ts';

/** What a table row compares: one account per reader, or the report's `notRead` per input. */
type Accounts = ReaderAccount | Record<string, AccountLine[] | undefined>;

interface Row {
  /** the reader whose account is compared */
  reader: string;
  /** the fixture, as `externalFixture` names it */
  fixture: readonly string[];
  /** read as the app reads it: the file's bytes and name */
  browser: (bytes: Uint8Array<ArrayBuffer>, name: string) => Promise<Accounts>;
  /** read as a user runs the command, in the fixture's folder */
  cli: (name: string, dir: string) => Promise<Accounts>;
}

/** A contract naming the first column only: the others are the CSV reader's account. */
const FIRST_COLUMN_CONTRACT = { type: 'object', properties: { id: { type: 'string' } } };

async function cliJson(argv: string[], dir: string): Promise<Record<string, unknown>> {
  const run = await runCli(argv, dir);
  expect([0, 1], run.err).toContain(run.code);
  return JSON.parse(run.out) as Record<string, unknown>;
}

/** The app's BPMN import: the worker reads the chosen file's bytes. */
async function browserBpmn(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<ReaderAccount> {
  return (await createBpmnApi().importFile(new File([bytes], name))).account;
}

/** The app's log import: the preview proposes the columns, the discovery reads the log with them. */
async function browserLog(
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
  objectType?: string,
): Promise<ReaderAccount> {
  const api = createEventLogApi();
  const file = new File([bytes], name, { lastModified: 1_700_000_000_000 });
  const preview = await api.preview(file, name);
  if (!preview.ok) throw new Error(preview.message);
  const mapping = { ...preview.preview.proposal, ...(objectType ? { case: objectType } : {}) };
  const outcome = await api.discover('parity', file, name, { mapping, timeZone: 'UTC' }, () => {});
  if (!outcome.ok) throw new Error(outcome.message);
  if (!outcome.reading.account) throw new Error(`${name}: the import gave no account`);
  return outcome.reading.account;
}

/** `preflight workflow waits <log> --json`: the account beside the waits. */
async function cliLog(name: string, dir: string, objectType?: string): Promise<ReaderAccount> {
  const extra = objectType ? ['--object-type', objectType] : [];
  return (await cliJson(['workflow', 'waits', name, ...extra, '--json'], dir)).account as ReaderAccount;
}

/** Each input's `notRead` on a report, by input name. */
function notReadOf(report: Report): Record<string, AccountLine[] | undefined> {
  return Object.fromEntries(report.inputs.map((input) => [input.name, input.notRead]));
}

/**
 * The app's Check extracts run: a `.zip` unzipped on the page, each file sniffed and validated by
 * the validator worker's API, the archive's account put on the report as the screen puts it.
 */
async function browserExtracts(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<Accounts> {
  const api = createValidateApi();
  const { files, problems, notRead } = await unzippedFiles([new File([bytes], name)]);
  expect(problems).toEqual([]);
  const inputs: ValidateInputSpec[] = [];
  for (const file of files)
    inputs.push({
      file,
      name: file.name,
      layout: await layoutOf(api, file, file.name),
      keys: [],
      contract: { id: 'c', name: 'contract.json', schema: FIRST_COLUMN_CONTRACT },
    });
  const outcome = await runValidation(
    { inputs, links: [], toolVersion: '0.0.0-test' },
    { filesAtOnce: 1, runFile: (task, onProgress) => api.validateFile('parity', task, onProgress) },
  );
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return notReadOf(withNotRead(outcome.report, notRead));
}

/** `preflight validate <file> --schema contract.json --json`, from the fixture's folder. */
async function cliExtracts(name: string, dir: string): Promise<Accounts> {
  const contract = path.join(await mkdtemp(path.join(tmpdir(), 'parity-')), 'contract.json');
  await writeFile(contract, JSON.stringify(FIRST_COLUMN_CONTRACT));
  return notReadOf(
    (await cliJson(['validate', name, '--schema', contract, '--json'], dir)) as unknown as Report,
  );
}

const ROWS: Row[] = [
  ...[
    ['bpmn-miwg', 'Reference', 'C.1.0.bpmn'],
    ['camunda-bpmn-models', 'bpmn-js-properties-panel', 'camunda-platform-TimerProps.bpmn'],
  ].map((fixture) => ({
    reader: 'bpmn',
    fixture,
    browser: browserBpmn,
    cli: async (name: string, dir: string) =>
      (await cliJson(['workflow', 'import-bpmn', name, '--json'], dir)).account as ReaderAccount,
  })),
  ...[
    ['pm4py-running-example', 'running-example.csv'],
    ['simod-assets', 'Simple_log_with_batching.csv'],
  ].map((fixture) => ({ reader: 'csv-log', fixture, browser: browserLog, cli: cliLog })),
  ...[
    ['pm4py-running-example', 'running-example.xes'],
    ['pm4py-input-data', 'roadtraffic50traces.xes'],
  ].map((fixture) => ({ reader: 'xes', fixture, browser: browserLog, cli: cliLog })),
  ...[
    ['ocel-json', 'ocel20_example.jsonocel'],
    ['ocel-xml', 'ocel20_example.xmlocel'],
    ['ocel-sqlite', 'ocel20_example.sqlite'],
  ].map(([reader, file]) => ({
    reader: reader as string,
    fixture: ['pm4py-ocel2', file as string],
    browser: (bytes: Uint8Array<ArrayBuffer>, name: string) => browserLog(bytes, name, 'Invoice'),
    cli: (name: string, dir: string) => cliLog(name, dir, 'Invoice'),
  })),
  ...[
    ['frictionless-py', 'data', 'table.csv'],
    ['frictionless-py', 'data', 'latin1.csv'],
  ].map((fixture) => ({ reader: 'csv', fixture, browser: browserExtracts, cli: cliExtracts })),
  {
    reader: 'zip',
    fixture: ['frictionless-py', 'data', 'package.zip'],
    browser: browserExtracts,
    cli: cliExtracts,
  },
];

/** Readers the CLI has and the browser does not: no account to compare, each with the reason. */
const BROWSER_DOES_NOT_READ = [
  {
    reader: 'parquet',
    why: 'the Check extracts screen reads no Parquet: a Parquet file is an account line naming the command',
  },
  { reader: 'parquet-folder', why: 'the browser chooses files, not folders of partitions' },
];

describe('the reader account: the same from the browser and the CLI', () => {
  it('covers every reader, each compared or named with why the browser has none', () => {
    expect(new Set([...ROWS, ...BROWSER_DOES_NOT_READ].map((row) => row.reader))).toEqual(
      new Set([
        'bpmn',
        'csv-log',
        'xes',
        'ocel-json',
        'ocel-xml',
        'ocel-sqlite',
        'csv',
        'parquet',
        'zip',
        'parquet-folder',
      ]),
    );
  });

  it.skip.each(BROWSER_DOES_NOT_READ)('$reader: not compared, as $why', () => {});

  it.each(ROWS.map((row) => [`${row.reader}: ${row.fixture.at(-1)}`, row] as const))('%s', async (_, row) => {
    const file = externalFixture(...row.fixture);
    const name = path.basename(file);
    const bytes = new Uint8Array(readFileSync(file));
    const [browser, cli] = await Promise.all([row.browser(bytes, name), row.cli(name, path.dirname(file))]);
    expect(browser).toEqual(cli);
    // a comparison of two empty accounts would prove nothing about the lines
    const lines = Object.values(browser).flatMap((v: unknown) =>
      Array.isArray(v) ? v.filter((l) => typeof l === 'object' && l !== null && 'effect' in l) : [],
    );
    expect(lines.length).toBeGreaterThan(0);
  });
});
