/**
 * `preflight workflow analyze` through main() with a captured CliIo, on the demo pairs
 * (samples/workflows) and on broken inputs: what it prints, its `--json` document and its exit
 * codes, and that messages name files and JSON Pointers but never values from the files.
 */

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeWorkflow,
  compareWorkflows,
  runCapacityStudy,
  type WorkflowComparison,
} from '../../core/workflow/index.ts';
import type { Finding } from '../../core/workflow/rules/index.ts';
import { waitSaving } from '../../core/workflow/waits/index.ts';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { runCli } from '../cliTestKit.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.ts';
import { DEFAULT_SIMULATION_SEED, type FindingOutput, WORKFLOW_ANALYSIS_FORMAT } from './workflowAnalyze.ts';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples/workflows');
const SECRET = 'Jane Q. Patient';
let dir: string;

function run(args: string[], cwd = SAMPLES) {
  return runCli(['workflow', 'analyze', ...args], cwd);
}

async function runJson(args: string[]) {
  const result = await run([...args, '--json']);
  expect(result.err).toBe('');
  return { ...result, json: JSON.parse(result.out) as Record<string, unknown> };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-workflow-analyze-'));
  const { readFile } = await import('node:fs/promises');
  const future = JSON.parse(await readFile(path.join(SAMPLES, 'patient-intake.future.json'), 'utf8'));
  const current = JSON.parse(await readFile(path.join(SAMPLES, 'patient-intake.current.json'), 'utf8'));
  const files: Record<string, string | Uint8Array> = {
    'bad-lane.json': JSON.stringify({
      ...future,
      steps: future.steps.map((s: { lane: string }, i: number) => (i === 3 ? { ...s, lane: SECRET } : s)),
    }),
    'syntax.json': `{\n  "format": "preflight.workflow/v1",\n  "name": "${SECRET}",,\n}`,
    'latin1.json': new Uint8Array([...`{"name":"Caf\u00e9 ${SECRET}"}`].map((c) => c.charCodeAt(0))),
    'not-workflow.json': JSON.stringify({ format: 'preflight.mapping/v1', name: SECRET }),
    'ghost-replaces.json': JSON.stringify({
      ...future,
      steps: future.steps.map((s: { replaces?: string[] }, i: number) =>
        i === 1 ? { ...s, replaces: [SECRET] } : s,
      ),
    }),
    'other-baseline.json': JSON.stringify({ ...current, id: SECRET }),
    'relaxed.json': JSON.stringify({
      format: 'preflight.analysissettings/v1',
      // manual-transcription is raised one level for clinical data, so `info` shows as a warning
      severities: { 'click-burden': 'off', 'manual-transcription': 'info', structure: 'warn' },
    }),
    'bad-settings.json': JSON.stringify({
      format: 'preflight.analysissettings/v1',
      description: SECRET,
      thresholds: { utilisationLimit: 7 },
      severities: { 'click-burden': SECRET },
    }),
    'understaffed.json': JSON.stringify({
      ...current,
      lanes: current.lanes.map((l: { id: string }) => (l.id === 'front-desk' ? { ...l, staff: 1 } : l)),
    }),
    'trapped.json': JSON.stringify({
      ...current,
      flows: [...current.flows, { from: 'visit-closed', to: 'enter-charges', transfer: 'none' }],
    }),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight workflow analyze on the demo pairs', () => {
  const pairs: {
    name: string;
    untraced: string[];
    retired: string[];
    planted: Array<[string, string[]]>;
  }[] = [
    {
      name: 'patient-intake',
      untraced: ['copy-insurance-card', 'fax-referral'],
      retired: ['carry-superbill'],
      // samples/README.md, "Planted digitized bottlenecks"
      planted: [
        ['digitized-paper-step', ['manager-approves-selfpay-eform']],
        ['carried-over-wait', ['manager-approves-selfpay-eform']],
        ['serial-approval', ['manager-approves-selfpay-eform', 'billing-lead-approves-discount']],
        ['duplicate-entry', ['portal-preregistration', 'ma-allergy-med-entry']],
        ['manual-transcription', ['portal-preregistration', 'ma-allergy-med-entry']],
        ['print-scan-loop', ['print-consent', 'sign-consent-paper', 'scan-consent']],
        ['click-burden', ['checkout']],
        ['no-op-decision', ['attest-fall-risk']],
        ['untraced-current-step', ['copy-insurance-card']],
        ['untraced-current-step', ['fax-referral']],
      ],
    },
    {
      name: 'lab-results',
      untraced: [],
      retired: ['sort-fax'],
      planted: [['open-loop-order', ['cpoe-lab-order']]],
    },
  ];

  it.each(pairs)(
    '$name: --json gives metrics, findings, go-live and the comparison',
    async ({ name, untraced, retired, planted }) => {
      const { code, json } = await runJson([`${name}.future.json`, '--baseline', `${name}.current.json`]);
      expect(json.format).toBe(WORKFLOW_ANALYSIS_FORMAT);
      expect(json.workflow).toMatchObject({
        file: `${name}.future.json`,
        id: `${name}-future`,
        state: 'future',
      });
      expect(json.baseline).toMatchObject({ file: `${name}.current.json`, id: `${name}-current` });
      expect(json.metrics).toMatchObject({ touchMin: expect.any(Number), handoffs: expect.any(Number) });
      expect(json.goLive).toMatchObject({ cut: { reduction: expect.any(Number) } });
      const findings = json.findings as FindingOutput[];
      for (const finding of findings) {
        // one root cause: every rule id it carries, and the rules' own findings when it has several
        const keys = ['rule', 'rules', 'severity', 'stepIds', 'message', 'evidence'];
        expect(Object.keys(finding)).toEqual(finding.parts ? [...keys, 'parts'] : keys);
        expect(finding.rules[0]).toBe(finding.rule);
        expect(finding.parts?.map((p) => p.rule) ?? [finding.rule]).toEqual(
          expect.arrayContaining(finding.rules),
        );
      }
      for (const [rule, steps] of planted) {
        expect(
          findings.some((f) => f.rules.includes(rule) && steps.every((id) => f.stepIds.includes(id))),
          `${rule} on ${steps.join(', ')}`,
        ).toBe(true);
      }
      // exit 1 exactly when a finding is an error
      expect(code).toBe(findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK);
      const compare = json.compare as WorkflowComparison<FindingOutput>;
      expect(compare.removed.untraced.map((r) => r.step.stepId)).toEqual(untraced);
      expect(compare.removed.retired.map((r) => r.step.stepId)).toEqual(retired);
      expect(compare.metrics.deltas).toHaveLength(7);
      // every future finding is introduced, carried over from today or persisting; the
      // baseline's were analysed too
      const sorted = compare.findings;
      expect(
        (sorted?.introduced.length ?? 0) +
          (sorted?.carriedOver.length ?? 0) +
          (sorted?.persisting.length ?? 0),
      ).toBe(findings.length);
      expect(sorted?.resolved.length).toBeGreaterThan(0);
      // a wait kept from today (both demos keep some) is carried over, never introduced by the plan
      expect(sorted?.carriedOver.length).toBeGreaterThan(0);
      for (const f of sorted?.introduced ?? []) {
        expect(f.rules.filter((r) => r === 'carried-over-wait' || r === 'digitized-paper-step')).toEqual([]);
      }
      expect(json.simulation).toBeUndefined();
    },
  );

  it('exits 1 on an error finding and 0 when the settings make none an error', async () => {
    const plain = await run(['patient-intake.future.json', '--json']);
    const findings = (JSON.parse(plain.out) as { findings: FindingOutput[] }).findings;
    expect(findings.some((f) => f.severity === 'error')).toBe(true);
    expect(plain.code).toBe(EXIT_FINDINGS);
    const relaxed = await run(
      [path.join(SAMPLES, 'patient-intake.future.json'), '--settings', 'relaxed.json', '--json'],
      dir,
    );
    const output = JSON.parse(relaxed.out) as {
      findings: FindingOutput[];
      settingsFile: string;
      settings: unknown;
    };
    expect(output.findings.some((f) => f.severity === 'error')).toBe(false);
    expect(output.findings.some((f) => f.rule === 'click-burden')).toBe(false); // switched off
    expect(output.settingsFile).toBe('relaxed.json');
    expect(output.settings).toMatchObject({ severities: { 'click-burden': 'off' } });
    expect(relaxed.code).toBe(EXIT_OK);
  });

  it('the intake comparison carries the medical assistant’s checklist', async () => {
    const { json } = await runJson(['patient-intake.future.json', '--baseline=patient-intake.current.json']);
    const ma = (json.compare as WorkflowComparison).roles.find((r) => r.name === 'Medical assistant');
    expect(ma?.changes.map((c) => c.step.stepId)).toEqual(['vitals-device', 'ma-allergy-med-entry']);
  });

  it('prints a readable report: metrics, go-live, comparison and each role’s checklist', async () => {
    const { code, out, err } = await run([
      'patient-intake.future.json',
      '--baseline',
      'patient-intake.current.json',
    ]);
    expect(code).toBe(EXIT_FINDINGS);
    expect(err).toBe('');
    expect(out).toContain('Patient intake — future (new EHR) (future workflow, 22 steps, 6 roles)');
    expect(out).toMatch(/^Findings: \d+ errors, \d+ warnings, \d+ notes \(one per root cause\)$/m);
    expect(out).toContain('  ERROR untraced-current-step [copy-insurance-card]\n    The current step');
    expect(out).toMatch(/findings \(root causes\): \d+ resolved, \d+ introduced, \d+ still there/);
    // one approval that is three rules' finding is one root cause, listed with its three rule ids
    expect(out).toContain(
      '  ERROR digitized-paper-step + carried-over-wait + serial-approval [manager-approves-selfpay-eform, billing-lead-approves-discount]',
    );
    expect(out).toMatch(/^ {4}also carried-over-wait: /m);
    expect(out).not.toContain('Give the current workflow with --baseline');
    expect(out).toMatch(/staff touch time +40\.3 min/);
    expect(out).toContain('Go-live week (bookings at 50 %, staff at 70 % speed)');
    expect(out).toContain('2 untraced');
    expect(out).toContain('untraced: Photocopy insurance card and photo ID (Front desk)');
    expect(out).toMatch(/clicks +182\.0 +297\.7 +\+115\.7 +worse/);
    expect(out).toContain('  Medical assistant:\n    new: Attest "fall-risk screening reviewed" (hard stop)');
    expect(out).toContain(
      '    stops: Re-key paper intake form into registration (now done by Patient (self-service))',
    );
    expect(out).toContain('    no longer enters: blood pressure (vitals), height (vitals)');
  });

  it('analyses a current workflow on its own (no baseline, no comparison)', async () => {
    const { json } = await runJson(['patient-intake.current.json']);
    expect(json.workflow).toMatchObject({ state: 'current' });
    expect(json.compare).toBeUndefined();
    const rules = (json.findings as FindingOutput[]).map((f) => f.rule);
    expect(rules).toContain('duplicate-entry'); // the paper era's re-keying (samples/README.md)
    expect(rules).not.toContain('untraced-current-step'); // needs a baseline
    expect((json.metrics as { waitMin: number }).waitMin).toBeCloseTo(188.75, 2);
  });

  it('--simulate adds a seeded peak day and four go-live weeks; the same seed gives the same JSON', async () => {
    const first = await runJson(['lab-results.future.json', '--simulate', '--seed', '42']);
    const again = await runJson(['lab-results.future.json', '--simulate', '--seed=42']);
    expect(again.out).toBe(first.out);
    const simulation = first.json.simulation as {
      seed: number;
      peak: { casesArrived: number };
      goLiveWeeks: unknown[];
    };
    expect(simulation.seed).toBe(42);
    expect(simulation.peak.casesArrived).toBeGreaterThan(0);
    expect(simulation.goLiveWeeks).toHaveLength(4);
    const other = await runJson(['lab-results.future.json', '--simulate', '--seed', '0x2b']);
    expect(other.json.simulation).toMatchObject({ seed: 43 });
    expect(other.out).not.toBe(first.out);
  });

  it('--simulate gives exactly the capacity study the browser runs (capacity.ts) for the same seed', async () => {
    const { json } = await runJson(['patient-intake.future.json', '--simulate', '--seed', '7']);
    const workflow = loadWorkflow(
      JSON.parse(
        readFileSync(
          new URL('../../../samples/workflows/patient-intake.future.json', import.meta.url),
          'utf8',
        ),
      ),
    );
    if (!workflow.ok) throw new Error('sample did not load');
    const outcome = runCapacityStudy(workflow.value, { seed: 7 });
    if (!outcome.ok) throw new Error('no study');
    expect(json.simulation).toEqual(JSON.parse(JSON.stringify({ seed: 7, ...outcome.study })));
  });

  it(`--simulate without --seed uses seed ${DEFAULT_SIMULATION_SEED}`, async () => {
    const { json, out } = await runJson(['lab-results.future.json', '--simulate']);
    expect(json.simulation).toMatchObject({ seed: DEFAULT_SIMULATION_SEED });
    const readable = await run(['lab-results.future.json', '--simulate']);
    expect(readable.out).toContain(`Simulation (seed ${DEFAULT_SIMULATION_SEED}`);
    expect(readable.out).toContain('Give the current workflow with --baseline <current.json>');
    expect(readable.out).toMatch(/go-live week 4 \(staff at \d+ % speed\)/);
    expect(out.length).toBeGreaterThan(0);
  });

  it('--simulate gives each figure a 95 % interval over --replications runs, after --warmup minutes', async () => {
    const { json } = await runJson([
      'lab-results.future.json',
      '--simulate',
      '--seed',
      '9',
      '--replications',
      '5',
      '--warmup',
      '45',
    ]);
    type Interval = { mean: number; low: number; high: number; halfWidth: number; n: number };
    const simulation = json.simulation as {
      options: { replications: number; warmupMin: number };
      peak: { seed: number };
      peakIntervals: {
        replications: number;
        warmupMin: number;
        seeds: number[];
        throughputPerHour: Interval;
        meanCycleMin: Interval;
        lanes: { queued: boolean; meanWaitMin: Interval; utilisation: Interval | null }[];
      };
      goLiveWeeks: { intervals: { replications: number } }[];
    };
    expect(simulation.options).toMatchObject({ replications: 5, warmupMin: 45 });
    expect(simulation.peakIntervals).toMatchObject({ replications: 5, warmupMin: 45 });
    expect(simulation.peakIntervals.seeds).toHaveLength(5);
    expect(simulation.peakIntervals.seeds[0]).toBe(simulation.peak.seed);
    expect(simulation.peakIntervals.throughputPerHour.n).toBe(5);
    const queued = simulation.peakIntervals.lanes.filter((l) => l.queued);
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.some((lane) => (lane.utilisation?.low ?? 0) < (lane.utilisation?.high ?? 0))).toBe(true);
    for (const lane of queued) expect(lane.meanWaitMin.low).toBeLessThanOrEqual(lane.meanWaitMin.high);
    expect(simulation.goLiveWeeks.map((w) => w.intervals.replications)).toEqual([5, 5, 5, 5]);

    const readable = await run(['lab-results.future.json', '--simulate', '--replications=5', '--warmup=45']);
    expect(readable.out).toContain(
      'each figure is the mean of 5 independent replications with its 95 % confidence interval; the first 45 min',
    );
    expect(readable.out).toMatch(/utilisation \d+ % \(95 % CI \d+ %–\d+ %\)/);
    expect(readable.out).toMatch(/wait \d+\.\d min \(95 % CI \d+\.\d min–\d+\.\d min\)/);
    expect(readable.out).toMatch(/go-live week 1 \(staff at \d+ % speed\): throughput \d+\.\d\/h \(95 % CI/);
  });

  it('--help lists the options and exit codes', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('Usage: preflight workflow analyze [options] [--] <workflow.json>');
    expect(out).toContain('  --baseline <current.json>  ');
    expect(out).toContain('Exit codes: 0 ok, 1 the workflow has a finding of severity "error"');
  });
});

describe('preflight workflow analyze: bad usage and bad files exit 2 without values', () => {
  const table: { description: string; args: string[]; cwd?: 'tmp'; message: RegExp }[] = [
    { description: 'no file', args: [], message: /give the workflow file to analyse/ },
    { description: 'two files', args: ['a.json', 'b.json'], message: /exactly one workflow file/ },
    { description: 'unknown option', args: ['x.json', '--fast'], message: /unknown option "--fast"/ },
    {
      description: '--seed without --simulate',
      args: ['lab-results.future.json', '--seed', '3'],
      message: /--seed is for --simulate/,
    },
    {
      description: 'a bad seed',
      args: ['lab-results.future.json', '--simulate', '--seed', '1.5'],
      message: /--seed takes a whole number/,
    },
    {
      description: 'a seed over 32 bits',
      args: ['lab-results.future.json', '--simulate', '--seed', '4294967296'],
      message: /--seed takes a whole number/,
    },
    {
      description: '--replications without --simulate',
      args: ['lab-results.future.json', '--replications', '5'],
      message: /--replications is for --simulate/,
    },
    {
      description: 'a single replication',
      args: ['lab-results.future.json', '--simulate', '--replications', '1'],
      message: /--replications takes a whole number from 2 to 500/,
    },
    {
      description: '--warmup without --simulate',
      args: ['lab-results.future.json', '--warmup', '30'],
      message: /--warmup is for --simulate/,
    },
    {
      description: 'a negative warm-up',
      args: ['lab-results.future.json', '--simulate', '--warmup=-5'],
      message: /--warmup takes a whole number of minutes/,
    },
    {
      description: 'a warm-up as long as the day',
      args: ['lab-results.future.json', '--simulate', '--warmup', '480'],
      message: /--warmup must be shorter than the simulated clinic day \(480 minutes\)/,
    },
    {
      description: 'a missing file',
      args: ['nope.json'],
      message: /cannot read workflow "nope\.json": no such file/,
    },
    {
      description: 'a directory',
      args: ['.'],
      message: /cannot read workflow "\.": it is not a regular file/,
    },
    {
      description: 'a schema/semantic problem, named by JSON Pointer',
      args: ['bad-lane.json'],
      cwd: 'tmp',
      message:
        /"bad-lane\.json" is not a usable workflow:\n {2}\/steps\/3\/lane: step lane is not a lane of this workflow/,
    },
    {
      description: 'invalid JSON, by line and column',
      args: ['syntax.json'],
      cwd: 'tmp',
      message: /workflow "syntax\.json": not valid JSON: .* at line 3, column \d+/,
    },
    {
      description: 'not UTF-8',
      args: ['latin1.json'],
      cwd: 'tmp',
      message:
        /workflow "latin1\.json" is not valid UTF-8 text: the byte at line \d+, byte \d+ cannot be read in that encoding; save it again as UTF-8\./,
    },
    {
      description: 'another Preflight format',
      args: ['not-workflow.json'],
      cwd: 'tmp',
      message: /"not-workflow\.json" is not a usable workflow:\n {2}\/format: /,
    },
    {
      description: 'a baseline given for a current workflow',
      args: [
        path.join(SAMPLES, 'lab-results.current.json'),
        '--baseline',
        path.join(SAMPLES, 'lab-results.current.json'),
      ],
      message: /is a current workflow \(\/state\); --baseline compares a future workflow/,
    },
    {
      description: 'a future workflow as baseline',
      args: [
        path.join(SAMPLES, 'lab-results.future.json'),
        '--baseline',
        path.join(SAMPLES, 'lab-results.future.json'),
      ],
      message: /is not a current workflow \(\/state\)/,
    },
    {
      description: 'the baseline of another process',
      args: [
        path.join(SAMPLES, 'lab-results.future.json'),
        '--baseline',
        path.join(SAMPLES, 'patient-intake.current.json'),
      ],
      message:
        /names another baseline workflow \(\/baseline\) than ".*patient-intake\.current\.json" is \(\/id\)/,
    },
    {
      description: 'a baseline with another id',
      args: [path.join(SAMPLES, 'patient-intake.future.json'), '--baseline', 'other-baseline.json'],
      cwd: 'tmp',
      message: /names another baseline workflow \(\/baseline\)/,
    },
    {
      description: 'a settings file with bad values, by JSON Pointer',
      args: [path.join(SAMPLES, 'lab-results.future.json'), '--settings', 'bad-settings.json'],
      cwd: 'tmp',
      message:
        /"bad-settings\.json" is not a usable analysis settings file:\n(.|\n)*\/thresholds\/utilisationLimit: must be at most 1/,
    },
    {
      description: 'a workflow given as settings',
      args: ['lab-results.future.json', '--settings', 'lab-results.current.json'],
      message: /"lab-results\.current\.json" is not a usable analysis settings file:\n {2}\/format: /,
    },
    {
      description: 'a missing settings file',
      args: ['lab-results.future.json', '--settings', 'nope.json'],
      message: /cannot read analysis settings file "nope\.json": no such file/,
    },
    {
      description: 'replaces naming no baseline step, by JSON Pointer',
      args: ['ghost-replaces.json', '--baseline', path.join(SAMPLES, 'patient-intake.current.json')],
      cwd: 'tmp',
      message:
        /does not fit its baseline .*:\n {2}\/steps\/1\/replaces\/0: replaced step is not a step of the baseline workflow/,
    },
  ];
  it.each(table)('$description', async ({ args, cwd, message }) => {
    const { code, out, err } = await run(args, cwd === 'tmp' ? dir : SAMPLES);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).not.toContain(SECRET);
  });
});

describe('preflight workflow analyze: a workflow without finite metrics', () => {
  it('says which steps trap cases instead of printing numbers', async () => {
    const result = await run(['trapped.json', '--json'], dir);
    const parsed = JSON.parse(result.out) as {
      metrics: unknown;
      metricsProblem: { stepIds: string[] };
      goLive: { cut: unknown };
    };
    expect(parsed.metrics).toBeNull();
    expect(parsed.metricsProblem.stepIds).toEqual(['enter-charges', 'visit-closed']);
    expect(parsed.goLive.cut).toBeNull();
    const readable = await run(['trapped.json'], dir);
    expect(readable.out).toContain(
      'No metrics: Cases that reach step(s) enter-charges, visit-closed go round a loop',
    );
  });
});

describe('preflight workflow analyze: JSON', () => {
  it('a role that cannot keep up: unbounded numbers are written as null', async () => {
    const result = await run(['understaffed.json', '--json'], dir);
    const parsed = JSON.parse(result.out) as {
      metrics: {
        cycleMin: unknown;
        unstableLanes: string[];
        lanes: Array<{ laneId: string; queueWaitMin: unknown; stable: boolean }>;
      };
      findings: FindingOutput[];
    };
    expect(parsed.metrics.unstableLanes).toEqual(['front-desk']);
    expect(parsed.metrics.cycleMin).toBeNull();
    expect(parsed.metrics.lanes.find((l) => l.laneId === 'front-desk')).toMatchObject({
      stable: false,
      queueWaitMin: null,
    });
    expect(parsed.findings.some((f) => f.rule === 'role-overload' && f.severity === 'error')).toBe(true);
    expect(result.code).toBe(EXIT_FINDINGS);
    const readable = await run(['understaffed.json'], dir);
    expect(readable.out).toMatch(/cycle time +unbounded/);
    expect(readable.out).toMatch(/Front desk +1 staff +utilisation 224 % +queue unbounded +CANNOT KEEP UP/);
  });

  it('the comparison is the core’s, as the browser computes it', async () => {
    const { json } = await runJson([
      'patient-intake.future.json',
      '--baseline',
      'patient-intake.current.json',
    ]);
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(SAMPLES, `${name}.json`), 'utf8')) as Workflow;
    const current = read('patient-intake.current');
    const future = read('patient-intake.future');
    const before = analyzeWorkflow(current);
    const after = analyzeWorkflow(future, { baseline: current });
    // one root cause per finding: its rule ids, then the folded findings of the other rules
    const part = ({ rule, severity, stepIds, message, evidence }: Finding) => ({
      rule,
      severity,
      stepIds,
      message,
      evidence,
    });
    const pick = (f: Finding): FindingOutput => ({
      rule: f.rule,
      rules: f.rules ?? [f.rule],
      severity: f.severity,
      stepIds: f.stepIds,
      message: f.message,
      evidence: f.evidence,
      ...(f.parts ? { parts: f.parts.map(part) } : {}),
    });
    const expected = compareWorkflows(current, future, {
      currentFindings: before.findings.map(pick),
      futureFindings: after.findings.map(pick),
    });
    expect(json.compare).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(json.findings).toEqual(JSON.parse(JSON.stringify(after.findings.map(pick))));
  });
});

describe('--remove-wait-cause: the what-if at the hand-offs the future design keeps', () => {
  const refill = ['prescription-refill.future.json', '--baseline', 'prescription-refill.current.json'];

  it('gives the waiting saved without batching, as the core measures it on the baseline', async () => {
    const { code, json } = await runJson([...refill, '--remove-wait-cause', 'batching']);
    expect(code).toBe(EXIT_FINDINGS);
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(SAMPLES, `${name}.json`), 'utf8')) as Workflow;
    const expected = waitSaving(
      read('prescription-refill.future'),
      read('prescription-refill.current'),
      ['batching'],
      5,
    );
    expect(json.waitSaving).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.savedHoursPerCase).toBeGreaterThan(0.5);
    const text = await run([...refill, '--remove-wait-cause', 'batching,unavailability']);
    expect(text.out).toMatch(
      /What-if, work released as it comes instead of in batches, and the step covered at every hour it waits for today: \d+\.\d\d h of waiting saved per case/,
    );
    expect(text.out).toContain('Sign the pended refill in the in-basket:');
  });

  it('refuses a cause a kept hand-off does not carry, and a what-if without a baseline', async () => {
    const other = await run([...refill, '--remove-wait-cause', 'contention']);
    expect(other.code).toBe(EXIT_USAGE);
    expect(other.err).toContain('--remove-wait-cause takes batching or unavailability');
    const alone = await run(['prescription-refill.future.json', '--remove-wait-cause', 'batching']);
    expect(alone.code).toBe(EXIT_USAGE);
    expect(alone.err).toContain('--remove-wait-cause needs --baseline');
  });
});
