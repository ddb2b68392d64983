import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { observeGoLive } from '../src/core/forecast/index.ts';
import { JobCancelledError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import {
  backTest,
  buildProcessMap,
  conform,
  createLocalClock,
  createWorkingTime,
  discoverWorkflow,
  estimateBoundaryChances,
  logShapes,
  playedCsv,
  playWorkflow,
  readCsvLogText,
  readXesLogText,
} from '../src/core/workflow/eventlog/index.ts';
import { analyzeWaits, discoverWithWaitCauses } from '../src/core/workflow/waits/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import { externalFixture } from '../tests/fixtures/external.ts';
import { createEventLogApi, type EventLogWorkerApi } from './eventLogApi.ts';
import { backTestInPool, conformInPool, discoverInPool, previewInPool } from './eventLogClient.ts';
import { fakePools } from './testing/fakePools.ts';

// The path the event-log import takes (eventLogClient → pool → comlink → eventLogApi → core), with
// the Worker faked.
const { createPool, workers } = fakePools<EventLogWorkerApi>('event log', createEventLogApi);

const PATIENTS = readFileSync(externalFixture('eventdataR-patients', 'patients.csv'), 'utf8');
const PATIENT_OPTIONS = {
  mapping: {
    case: 'patient',
    activity: 'handling',
    timestamp: 'time',
    lifecycle: 'registration_type',
    resource: 'employee',
  },
};
const intake = JSON.parse(
  readFileSync(new URL('../samples/workflows/patient-intake.future.json', import.meta.url), 'utf8'),
) as Workflow;

describe('event-log worker API through the pool', () => {
  it('discovers the same workflow as the core, with progress in bytes ending at the file size', async () => {
    const file = new Blob([PATIENTS]);
    const seen: Progress[] = [];
    const outcome = await discoverInPool(createPool(), file, 'patients.csv', PATIENT_OPTIONS, {
      onProgress: (p) => seen.push(p),
    });
    const core = discoverWithWaitCauses(
      readCsvLogText(PATIENTS, PATIENT_OPTIONS).log,
      createLocalClock('UTC'),
      {
        source: 'patients.csv',
      },
    );
    expect(outcome.ok && outcome.workflow).toEqual(core.workflow);
    // the log has start and complete times and resources: the waits by cause go with the workflow
    expect(core.workflow.steps.some((s) => s.observed?.waitCauses)).toBe(true);
    expect(outcome.ok && outcome.reading).toMatchObject({ events: 5442, cases: 500, problems: [] });
    expect(seen.at(-1)).toMatchObject({ done: file.size, total: file.size, unit: 'bytes' });
  });

  it('back-tests the discovered workflow against the filtered log, as the core does', async () => {
    const filters = { variantCoverage: 0.8 };
    const outcome = await backTestInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', {
      ...PATIENT_OPTIONS,
      discover: { filters },
      backTest: { replications: 4 },
    });
    const core = discoverWorkflow(readCsvLogText(PATIENTS, PATIENT_OPTIONS).log, createLocalClock('UTC'), {
      filters,
    });
    const expected = backTest(core.log, core.workflow, { replications: 4 });
    expect(expected.ok).toBe(true);
    expect(outcome).toEqual(expected.ok ? { ok: true, backTest: expected.backTest } : undefined);
  });

  it('back-tests a given workflow instead of the discovered one when one is passed', async () => {
    const filters = { variantCoverage: 0.8 };
    const core = discoverWorkflow(readCsvLogText(PATIENTS, PATIENT_OPTIONS).log, createLocalClock('UTC'), {
      filters,
    });
    // the analyst's workflow: the discovered one with three people in every lane
    const given: Workflow = { ...core.workflow, lanes: core.workflow.lanes.map((l) => ({ ...l, staff: 3 })) };
    const outcome = await backTestInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', {
      ...PATIENT_OPTIONS,
      discover: { filters },
      backTest: { replications: 4 },
      workflow: given,
    });
    const expected = backTest(core.log, given, { replications: 4 });
    const discovered = backTest(core.log, core.workflow, { replications: 4 });
    expect(expected.ok && discovered.ok).toBe(true);
    // a project's workflow gets its exception paths' chances measured from the same filtered log
    expect(outcome).toEqual(
      expected.ok
        ? {
            ok: true,
            backTest: expected.backTest,
            boundaryChances: estimateBoundaryChances(core.log, given),
          }
        : undefined,
    );
    expect(outcome.ok && outcome.backTest.steps.map((s) => s.staff)).not.toEqual(
      discovered.ok && discovered.backTest.steps.map((s) => s.staff),
    );
  });

  it('measures the exception paths of the project’s workflows on the discovered log, as the core does', async () => {
    const filters = { variantCoverage: 0.8 };
    const core = discoverWorkflow(readCsvLogText(PATIENTS, PATIENT_OPTIONS).log, createLocalClock('UTC'), {
      filters,
    });
    // a designed workflow: the discovered one with a timer on its first task
    const task = core.workflow.steps.find((s) => s.kind === 'task');
    const next = core.workflow.flows.find((f) => f.from === task?.id);
    if (!task || !next) throw new Error('the discovered workflow has no task with a way out');
    const designed: Workflow = {
      ...core.workflow,
      id: 'designed',
      steps: [
        ...core.workflow.steps,
        {
          ...task,
          id: 'too-long',
          label: 'Too long',
          kind: 'wait',
          boundary: { attachedTo: task.id, trigger: 'timer', interrupting: true },
        },
      ],
      flows: [
        ...core.workflow.flows,
        { from: task.id, to: 'too-long', transfer: 'none' },
        { from: 'too-long', to: next.to, transfer: 'none' },
      ],
    };
    const outcome = await discoverInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', {
      ...PATIENT_OPTIONS,
      discover: { filters },
      chancesFor: [designed],
    });
    expect(outcome.ok && outcome.boundaryChances).toEqual([
      { workflowId: 'designed', estimates: estimateBoundaryChances(core.log, designed) },
    ]);
    expect(outcome.ok && outcome.boundaryChances?.[0]?.estimates).toHaveLength(1);
  });

  it('measures the process map on the filtered log, in opening hours when asked', async () => {
    const filters = { variantCoverage: 0.5 };
    const openingHours = { days: [1, 2, 3, 4, 5], startHour: 8, endHour: 18 };
    const outcome = await discoverInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', {
      ...PATIENT_OPTIONS,
      discover: { filters },
      map: { activityShare: 0.5, openingHours },
    });
    const clock = createLocalClock('UTC');
    const core = discoverWorkflow(readCsvLogText(PATIENTS, PATIENT_OPTIONS).log, clock, { filters });
    const map = buildProcessMap(core.log, {
      activityShare: 0.5,
      measure: createWorkingTime(openingHours, clock),
      workingTime: true,
    });
    expect(outcome.ok && outcome.map).toEqual(map);
    expect(map.cases).toBe(core.filters.casesAfter);
    expect(map.shown).toBeLessThan(map.activities.length);
    expect(map.workingTime).toBe(true);
    // with the map, each activity's waiting by cause on the same filtered log
    const waits = analyzeWaits(core.log, clock).activities;
    expect(outcome.ok && outcome.waits?.map((w) => [w.activity, w.waitingHours, w.causes])).toEqual(
      waits.map((w) => [w.activity, w.waitingHours, w.causes]),
    );
    // without a map asked for, none is measured
    const plain = await discoverInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', PATIENT_OPTIONS);
    expect(plain.ok && 'map' in plain).toBe(false);
    expect(plain.ok && 'waits' in plain).toBe(false);
  });

  it('checks a played log against the design', async () => {
    const csv = playedCsv(
      playWorkflow(intake, { seed: 4, cases: 80, deviations: { insert: { 'Call lab': 5 } } }).events,
    );
    const options = {
      mapping: {
        case: 'case',
        activity: 'activity',
        timestamp: 'timestamp',
        lifecycle: 'lifecycle',
        resource: 'resource',
      },
    };
    const outcome = await conformInPool(createPool(), new Blob([csv]), 'golive.csv', intake, options);
    const log = readCsvLogText(csv, options).log;
    expect(outcome.ok && outcome.result).toEqual(conform(log, intake));
    expect(outcome.ok && outcome.result.workarounds).toEqual({ 'Call lab': 5 });
    // and what the same log shows of the go-live forecast's load, for the readiness board
    expect(outcome.ok && outcome.observed).toEqual(observeGoLive(log, intake));
  });

  it.each([
    {
      description: 'a missing column',
      text: 'a,b,c\n1,2,3\n',
      message: 'has no column "patient"',
    },
    {
      description: 'bytes that are not UTF-8',
      text: new Uint8Array([0x68, 0x61, 0x6e, 0x64, 0x6c, 0x69, 0x6e, 0x67, 0x0a, 0xff, 0xfe, 0x0a]),
      message: 'is not valid UTF-8',
    },
  ])('resolves with a message for $description', async ({ text, message }) => {
    const outcome = await discoverInPool(createPool(), new Blob([text]), 'bad.csv', PATIENT_OPTIONS);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain(message);
  });

  it('a log with row errors resolves with its problems, or is used with skipBadRows', async () => {
    const text = 'case,activity,time\n1,A,2024-03-01T08:00:00Z\n1,B,nope\n1,C,2024-03-01T10:00:00Z\n';
    const options = { mapping: { case: 'case', activity: 'activity', timestamp: 'time' } };
    const refused = await discoverInPool(createPool(), new Blob([text]), 'rows.csv', options);
    expect(refused.ok).toBe(false);
    expect(refused.reading?.problems).toMatchObject([{ code: 'unparseable-timestamp', rows: [2] }]);
    const used = await discoverInPool(createPool(), new Blob([text]), 'rows.csv', {
      ...options,
      skipBadRows: true,
    });
    expect(used.ok && used.workflow.steps.length).toBe(4);
    // the back-test says the same, with the problems to list
    const tested = await backTestInPool(createPool(), new Blob([text]), 'rows.csv', options);
    expect(tested.ok).toBe(false);
    expect(!tested.ok && tested.reading?.problems).toMatchObject([
      { code: 'unparseable-timestamp', rows: [2] },
    ]);
  });

  it('a cancel stops reading between chunks without stopping the worker', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controller = new AbortController();
    const big = new Blob([PATIENTS.repeat(8)]);
    const job = discoverInPool(createPool(), big, 'big.csv', PATIENT_OPTIONS, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers[0]?.terminated).toBe(false);
  });

  it('previews the columns and proposes the mapping, or says why the file has none', async () => {
    const outcome = await previewInPool(createPool(), new Blob([PATIENTS]), 'patients.csv');
    expect(outcome.ok && outcome.preview.proposal).toEqual(PATIENT_OPTIONS.mapping);
    expect(outcome.ok && outcome.preview.columns.map((c) => c.name)).toEqual([
      'handling',
      'patient',
      'employee',
      'handling_id',
      'registration_type',
      'time',
    ]);
    const empty = await previewInPool(createPool(), new Blob(['\n1,2\n']), 'empty.csv');
    expect(empty).toEqual({ ok: false, message: 'The file has no header row: the first line is empty.' });
  });

  it('an XES-as-CSV log: the columns chosen on the whole log, and why; a .xes.gz read as XES', async () => {
    const rows = ['case:concept:name,case:enddate,concept:name,time:timestamp'];
    for (let c = 0; c < 12; c++) {
      for (let k = 0; k < 3; k++)
        rows.push(
          `case-${c},${c % 3 === 2 ? '' : '2026-01-06 10:00:00'},Step ${k},2026-01-05 0${k}:0${c % 10}:00`,
        );
    }
    const pool = createPool();
    const preview = await previewInPool(pool, new Blob([`${rows.join('\n')}\n`]), 'receipt.csv');
    expect(preview.ok && preview.preview.proposal).toEqual({
      case: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
    });
    expect(preview.ok && preview.preview.evidence).toMatchObject({ whole: true, rows: 36, cases: 12 });
    expect(preview.ok && preview.preview.reasons?.join(' ')).toContain(
      '"case:enddate" holds times but is not the event time',
    );

    const trace = (c: number) =>
      `<trace><string key="concept:name" value="t${c}"/>${['Assign', 'Resolve']
        .map(
          (a, k) =>
            `<event><string key="concept:name" value="${a}"/><date key="time:timestamp" value="2026-01-05T0${k}:0${c}:00Z"/></event>`,
        )
        .join('')}</trace>`;
    const zipped = new Blob([gzipSync(`<log>${[0, 1, 2, 3].map(trace).join('')}</log>`)]);
    const xes = await previewInPool(pool, zipped, 'helpdesk.xes.gz');
    expect(xes.ok && xes.preview.kind).toBe('xes');
    const outcome = await discoverInPool(pool, zipped, 'helpdesk.xes.gz', {
      mapping: xes.ok ? xes.preview.proposal : { case: '', activity: '' },
    });
    expect(outcome.ok && [outcome.reading.cases, outcome.reading.activities]).toEqual([
      4,
      ['Assign', 'Resolve'],
    ]);
  });

  it('on every common log shape, proposes the case column and discovers as the core does', async () => {
    const pool = createPool();
    for (const shape of logShapes()) {
      const file = new Blob([shape.text]);
      const preview = await previewInPool(pool, file, shape.name);
      if (!preview.ok) throw new Error(`${shape.name}: ${preview.message}`);
      expect(preview.preview.proposal.case, shape.name).toBe(shape.expected.caseColumn);
      const options = { mapping: preview.preview.proposal };
      const outcome = await discoverInPool(pool, file, shape.name, options, {});
      const read = shape.name.endsWith('.xes')
        ? readXesLogText(shape.text, options, shape.name)
        : readCsvLogText(shape.text, options, shape.name);
      const core = discoverWithWaitCauses(read.log, createLocalClock('UTC'), { source: shape.name });
      expect(outcome.ok && outcome.workflow, shape.name).toEqual(core.workflow);
      expect(outcome.ok && outcome.reading, shape.name).toMatchObject({
        cases: shape.expected.cases,
        activities: shape.expected.activities,
        problems: read.problems.list(),
        // the account the map page shows: the same as the core's
        account: read.account,
      });
    }
  });

  it('lists the resources the log names, for the role map', async () => {
    const outcome = await discoverInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', PATIENT_OPTIONS);
    expect(outcome.ok && outcome.reading.resources).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  });

  it('lists the kept columns with their values, and one with too many without any', async () => {
    const outcome = await discoverInPool(createPool(), new Blob([PATIENTS]), 'patients.csv', {
      mapping: { ...PATIENT_OPTIONS.mapping, keep: ['employee', 'handling_id'] },
      discover: {
        filters: { attributes: [{ attribute: 'column', column: 'employee', values: ['r3'], keep: 'with' }] },
      },
    });
    expect(outcome.ok && outcome.reading.kept).toEqual([
      { name: 'employee', values: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'] },
      { name: 'handling_id', values: [], tooMany: true },
    ]);
    // the same 237 patients as by the resource column r3 (counted in the CLI's test)
    expect(outcome.ok && outcome.filters.attributeCounts).toEqual([237]);
  });

  it('re-discovers the same file with other filters without reading it again; a changed reading reads it', async () => {
    const pool = createPool();
    // over 1 MiB (several chunks, several reports when read); the body repeated under one header
    const body = PATIENTS.slice(PATIENTS.indexOf('\n') + 1);
    const file = new File([PATIENTS, body, body, body], 'patients.csv', { lastModified: 1_700_000_000_000 });
    const reports = async (options: Parameters<typeof discoverInPool>[3]) => {
      const seen: Progress[] = [];
      const outcome = await discoverInPool(pool, file, file.name, options, {
        onProgress: (p) => seen.push(p),
      });
      return { outcome, seen };
    };
    const first = await reports(PATIENT_OPTIONS);
    expect(first.outcome.ok).toBe(true);
    expect(first.seen.length).toBeGreaterThan(1); // one report per 1 MiB chunk
    const filtered = await reports({ ...PATIENT_OPTIONS, discover: { filters: { variantCoverage: 0.8 } } });
    expect(filtered.seen).toHaveLength(1);
    expect(filtered.seen[0]).toMatchObject({ done: file.size, total: file.size });
    expect(filtered.outcome.ok && filtered.outcome.reading).toEqual(
      first.outcome.ok && first.outcome.reading,
    );
    expect(filtered.outcome.ok ? filtered.outcome.filters.casesAfter : Number.NaN).toBeLessThan(500);
    const roles = await reports({ ...PATIENT_OPTIONS, roleMap: { r1: 'Front desk' } });
    expect(roles.seen.length).toBeGreaterThan(1);
    expect(roles.outcome.ok && roles.outcome.workflow.lanes.map((l) => l.name)).toContain('Front desk');
  });
});
