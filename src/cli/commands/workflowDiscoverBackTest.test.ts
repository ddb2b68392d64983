import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { playQueuedLog, QUEUED_CLINIC, queuedCsv } from '../../core/workflow/eventlog/index.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { runCli } from '../cliTestKit.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-backtest-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};
const COLUMNS = [
  '--case',
  'case',
  '--activity',
  'activity',
  '--timestamp',
  'timestamp',
  '--lifecycle',
  'lifecycle',
  '--resource',
  'resource',
  '--role',
  'role',
];

const clinic = QUEUED_CLINIC;

describe('preflight workflow discover --back-test', () => {
  it('reports that the model reproduces a log played with its own staff, and writes the JSON', async () => {
    const log = file('clinic.csv', queuedCsv(playQueuedLog(clinic, { seed: 4 })));
    const report = path.join(dir, 'back-test.json');
    const { code, out, err } = await runCli(
      [
        'workflow',
        'discover',
        log,
        ...COLUMNS,
        '--back-test',
        '--back-test-report',
        report,
        '--replications',
        '10',
      ],
      dir,
    );
    expect(err).toMatch(
      /Back-test \(\d+ cases, 10 replications, seed 20240701\): the model reproduces the log/,
    );
    expect(err).toMatch(
      / {2}Vitals: [\d.]+ min \([\d.]+, n \d+\) \| [\d.]+ min \[[\d.]+–[\d.]+\] \| [\d.]+ min \| reproduced/,
    );
    expect(code).toBe(EXIT_OK);
    // stdout still carries only the workflow
    expect(loadWorkflow(JSON.parse(out)).ok).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ verdict: 'trusted', replications: 10 });
    expect(json.steps.map((s: { label: string }) => s.label)).toEqual(['Check in', 'Vitals', 'Checkout']);
  });

  it('exits 1 and says so when the log queued for staff the model does not have', async () => {
    // one nurse on duty a day, three named on the rota: the discovered workflow says three nurses
    const log = file(
      'rota.csv',
      queuedCsv(playQueuedLog(clinic, { seed: 5, onDuty: { nurse: 1 }, names: { nurse: 3 } })),
    );
    const { code, err } = await runCli(['workflow', 'discover', log, ...COLUMNS, '--back-test'], dir);
    expect(err).toMatch(/the model does NOT reproduce the log: 1 of 2 steps out of range/);
    expect(err).toMatch(/ {2}Vitals: .*NOT reproduced: waited longer than the model/);
    expect(code).toBe(EXIT_FINDINGS);
  });

  it('checks a given workflow instead: the corrected staff reproduce the rota log', async () => {
    const log = file(
      'rota2.csv',
      queuedCsv(playQueuedLog(clinic, { seed: 5, onDuty: { nurse: 1 }, names: { nurse: 3 } })),
    );
    const discovered = path.join(dir, 'rota-current.json');
    const first = await runCli(['workflow', 'discover', log, ...COLUMNS, '-o', discovered], dir);
    expect(first.code).toBe(EXIT_OK);
    const workflow = JSON.parse(readFileSync(discovered, 'utf8'));
    const nurse = workflow.lanes.find((l: { name: string }) => l.name === 'Nurse');
    expect(nurse.staff).toBe(3);
    nurse.staff = 1; // what the analyst corrects after the flag: one nurse on duty at a time
    const corrected = file('rota-corrected.json', JSON.stringify(workflow));
    const { code, err } = await runCli(
      ['workflow', 'discover', log, ...COLUMNS, '--back-test', '--back-test-workflow', corrected],
      dir,
    );
    expect(err).toMatch(/the model reproduces the log: 2 of 2 steps within range/);
    expect(code).toBe(EXIT_OK);
    const unusable = await runCli(
      ['workflow', 'discover', log, ...COLUMNS, '--back-test', '--back-test-workflow', log],
      dir,
    );
    expect(unusable.err).toMatch(/rota2\.csv/);
    expect(unusable.code).toBe(EXIT_USAGE);
  });

  it('exits 1 with the reason when the log has one time per activity', async () => {
    const events = playQueuedLog(clinic, { seed: 6, days: 2 }).filter((e) => e.lifecycle === 'complete');
    const log = file('completes.csv', queuedCsv(events));
    const { code, err } = await runCli(['workflow', 'discover', log, ...COLUMNS, '--back-test'], dir);
    expect(err).toMatch(/Back-test: The log has one time per activity/);
    expect(code).toBe(EXIT_FINDINGS);
  });

  it.each([
    { args: ['--seed', '7'], message: /--seed needs --back-test/ },
    {
      args: ['--back-test', '--replications', '1'],
      message: /--replications takes a whole number from 2 to 500/,
    },
  ])('rejects $args', async ({ args, message }) => {
    const log = file('small.csv', queuedCsv(playQueuedLog(clinic, { seed: 8, days: 1 })));
    const { code, err } = await runCli(['workflow', 'discover', log, ...COLUMNS, ...args], dir);
    expect(err).toMatch(message);
    expect(code).toBe(EXIT_USAGE);
  });
});
