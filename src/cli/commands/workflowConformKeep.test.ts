/**
 * `preflight workflow conform --project <file> --keep`: the go-live check and what the log showed
 * are kept in the project file as the browser keeps them, and `preflight readiness --json` then
 * sets the forecast beside them; a project without the workflow, a workflow file that is not the
 * project's, a log that does not fit the workflow, or a project file saved again while the check
 * ran is a clear error that writes nothing.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareForecast, observeGoLive } from '../../core/forecast/index.ts';
import { canonicalSha256Hex } from '../../core/hash/index.ts';
import { conform, readCsvLogText } from '../../core/workflow/eventlog/index.ts';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import { fixtureFutureWorkflow, fixtureProject } from '../../formats/testing/fixtures.ts';
import { captureIo, runCli } from '../cliTestKit.ts';
import { EXIT_OK, EXIT_USAGE } from '../command.ts';
import { main } from '../main.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-conform-keep-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COLUMNS = ['--case', 'case', '--activity', 'activity', '--start', 'start', '--complete', 'complete'];
const COLUMNS_WITH_RESOURCE = [...COLUMNS, '--resource', 'resource'];

/**
 * Twelve patients of the planned intake, one every 10 minutes from 08:00 (two clock hours): the
 * kiosk takes 3 minutes, the nurse's vitals 4 (N1 and N2 by turns).
 */
function intakeLog(activity = (a: string) => a): string {
  const rows = ['case,activity,start,complete,resource'];
  const at = (minute: number) =>
    `2026-03-02T${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;
  for (let c = 0; c < 12; c++) {
    const t = c * 10;
    rows.push(`p${c},${activity('Patient arrives')},${at(t)},${at(t)},`);
    rows.push(`p${c},${activity('Kiosk check-in')},${at(t + 1)},${at(t + 4)},`);
    rows.push(`p${c},${activity('Vitals from device')},${at(t + 5)},${at(t + 9)},N${(c % 2) + 1}`);
    rows.push(`p${c},${activity('Patient roomed')},${at(t + 9)},${at(t + 9)},`);
  }
  return `${rows.join('\n')}\n`;
}

async function put(name: string, text: string): Promise<string> {
  await writeFile(path.join(dir, name), text);
  return name;
}

async function putProject(name: string, project: Project): Promise<string> {
  const file = createProjectFile(project, { now: '2026-03-01T10:00:00Z', appVersion: '0.1.0' });
  return put(name, `${JSON.stringify(file, null, 2)}\n`);
}

const withoutPlanned = (): Project => {
  const project = fixtureProject();
  return { ...project, workflows: project.workflows.filter((w) => w.state !== 'future') };
};

interface Refusal {
  description: string;
  project: () => Project | string;
  args: (files: { project: string; log: string; workflow: string; other: string }) => string[];
  log?: string;
  code: number;
  err: RegExp;
}

const REFUSED: Refusal[] = [
  {
    description: 'a project without the workflow of --workflow',
    project: withoutPlanned,
    args: (f) => ['--workflow', f.workflow, '--project', f.project, '--keep'],
    code: EXIT_USAGE,
    err: /has no workflow with the id of "intake\.future\.json" \("w2"\)/,
  },
  {
    description: 'a project with no planned workflow, and no --workflow',
    project: withoutPlanned,
    args: (f) => ['--project', f.project, '--keep'],
    code: EXIT_USAGE,
    err: /has no planned \(future\) workflow to check the log against/,
  },
  {
    description: 'a workflow file that is not the project’s version of it',
    project: fixtureProject,
    args: (f) => ['--workflow', f.other, '--project', f.project, '--keep'],
    code: EXIT_USAGE,
    err: /"edited\.json" is not workflow "w2" as ".+" holds it \(one of them was edited since\)/,
  },
  {
    description: 'a log none of whose activities is a step of the workflow',
    project: fixtureProject,
    log: intakeLog((a) => `Old system: ${a}`),
    args: (f) => ['--project', f.project, '--keep'],
    code: EXIT_USAGE,
    err: /was not kept in ".+": none of the log’s activities matches a step of the workflow.+Nothing was written\./,
  },
  {
    description: 'a damaged project file',
    project: () => 'damaged',
    args: (f) => ['--project', f.project, '--keep'],
    code: EXIT_USAGE,
    err: /is not a usable project file: \/integrity\/sha256: the project does not match its integrity hash/,
  },
  {
    description: '--keep without --project',
    project: fixtureProject,
    args: (f) => ['--workflow', f.workflow, '--keep'],
    code: EXIT_USAGE,
    err: /--keep keeps the check in a project file: give it with --project <file>/,
  },
];

describe('preflight workflow conform --project --keep', () => {
  it('keeps the check and what the log showed; readiness then compares the forecast with it', async () => {
    const project = await putProject('kept.preflight.json', fixtureProject());
    const log = await put('golive-week.csv', intakeLog());
    const { code, out, err } = await runCli(
      ['workflow', 'conform', log, ...COLUMNS_WITH_RESOURCE, '--project', project, '--keep'],
      dir,
    );
    expect(code).toBe(EXIT_OK);
    expect(out).toContain('12 of 12 cases followed the design exactly');
    expect(err).toContain(
      'Kept the go-live check of "Patient intake (future)" in "kept.preflight.json": 12 cases over 2 working hours; "preflight readiness kept.preflight.json" sets the forecast beside it.',
    );
    const loaded = loadProjectFile(JSON.parse(await readFile(path.join(dir, project), 'utf8')));
    if (!loaded.ok) throw new Error('the written project loads');
    const kept = loaded.value.project.workflowChecks?.find((c) => c.id === 'w2');
    expect(kept).toMatchObject({
      log: 'golive-week.csv',
      workflowSha256: canonicalSha256Hex(fixtureFutureWorkflow('w2', 'w1')),
      result: { cases: 12, conformingCases: 12 },
      observed: {
        cases: 12,
        activeHours: 2,
        lanes: { nurse: { instances: 12, timed: 12, touchMin: 48, designedTouchMin: 36, people: 2 } },
        // six patients start between 08:00 and 08:50, six in the hour after: the first is the busiest
        peak: { cases: 6, lanes: { nurse: { instances: 6 } } },
      },
    });
    expect(kept?.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // what the browser's check job keeps for the same log: the same core functions
    const { log: read } = readCsvLogText(intakeLog(), {
      mapping: {
        case: 'case',
        activity: 'activity',
        start: 'start',
        complete: 'complete',
        resource: 'resource',
      },
    });
    const planned = fixtureFutureWorkflow('w2', 'w1');
    expect(kept?.result).toEqual(conform(read, planned));
    expect(kept?.observed).toEqual(observeGoLive(read, planned));
    // the other documents are the project's as they were
    expect(loaded.value.project.workflows).toEqual(fixtureProject().workflows);
    expect(await readdir(dir)).not.toContain(`${project}.partial`);

    const readiness = await runCli(['readiness', project, '--json'], dir);
    const { forecasts } = (JSON.parse(readiness.out) as { board: { forecasts?: unknown[] } }).board;
    const workflow = fixtureFutureWorkflow('w2', 'w1');
    expect(forecasts).toEqual([
      {
        workflow: 'Patient intake (future)',
        log: 'golive-week.csv',
        checkedAt: kept?.checkedAt,
        stale: false,
        comparison: compareForecast(
          workflow,
          kept?.observed ?? { cases: 0, activeHours: 0, meanCaseMin: 0, lanes: {} },
        ),
      },
    ]);
  });

  it('with --workflow, checks and keeps the project’s own version of it', async () => {
    const project = await putProject('same.preflight.json', fixtureProject());
    const workflow = await put('intake.future.json', JSON.stringify(fixtureFutureWorkflow('w2', 'w1')));
    const log = await put('golive-same.csv', intakeLog());
    const { code } = await runCli(
      ['workflow', 'conform', log, ...COLUMNS, '--workflow', workflow, '--project', project, '--keep'],
      dir,
    );
    expect(code).toBe(EXIT_OK);
    const loaded = loadProjectFile(JSON.parse(await readFile(path.join(dir, project), 'utf8')));
    expect(loaded.ok && loaded.value.project.workflowChecks?.find((c) => c.id === 'w2')?.log).toBe(
      'golive-same.csv',
    );
  });

  it('writes nothing over a project file saved by someone else while the check ran: exit 2, run again', async () => {
    const project = await putProject('busy.preflight.json', fixtureProject());
    const log = await put('golive-busy.csv', intakeLog());
    // someone saves the project after the CLI read it: the drift report is printed between the
    // read and the write, so the edit lands there, with no timing involved
    const theirs = createProjectFile(
      { ...fixtureProject(), meta: { ...fixtureProject().meta, name: 'Renamed meanwhile' } },
      { now: '2026-03-02T10:00:00Z', appVersion: '0.1.0' },
    );
    const theirText = `${JSON.stringify(theirs, null, 2)}\n`;
    const { io, out, err } = captureIo(dir);
    const stdout = io.stdout;
    io.stdout = (text) => {
      writeFileSync(path.join(dir, project), theirText);
      stdout(text);
    };
    const code = await main(['workflow', 'conform', log, ...COLUMNS, '--project', project, '--keep'], io);
    expect(code).toBe(EXIT_USAGE);
    expect(out.join('\n')).toContain('12 of 12 cases followed the design exactly');
    expect(err.join('\n')).toContain(
      '"busy.preflight.json" changed while the check ran (it was saved again after it was read): nothing was written, so that edit is not lost. Run the command again',
    );
    expect(await readFile(path.join(dir, project), 'utf8')).toBe(theirText);
    expect(await readdir(dir)).not.toContain(`${project}.partial`);
  });

  it.each(REFUSED)('$description: exit $code, nothing written', async (refusal) => {
    const { project, args, log, code, err } = refusal;
    const made = project();
    const name = `refused-${REFUSED.indexOf(refusal)}.preflight.json`;
    if (typeof made === 'string') {
      // edited after export: the integrity hash no longer matches
      const file = createProjectFile(fixtureProject(), { now: '2026-03-01T10:00:00Z', appVersion: '0.1.0' });
      const meta = { ...file.project.meta, name: 'Edited' };
      await put(name, JSON.stringify({ ...file, project: { ...file.project, meta } }));
    } else await putProject(name, made);
    const before = await readFile(path.join(dir, name));
    const files = {
      project: name,
      log: await put(`${name}.csv`, log ?? intakeLog()),
      workflow: await put('intake.future.json', JSON.stringify(fixtureFutureWorkflow('w2', 'w1'))),
      other: await put(
        'edited.json',
        JSON.stringify({ ...fixtureFutureWorkflow('w2', 'w1'), arrivalsPerHour: 9 }),
      ),
    };
    const run = await runCli(['workflow', 'conform', files.log, ...COLUMNS, ...args(files)], dir);
    expect(run.code).toBe(code);
    expect(run.err).toMatch(err);
    expect(run.out).toBe('');
    expect(await readFile(path.join(dir, name))).toEqual(before);
    expect(await readdir(dir)).not.toContain(`${name}.partial`);
  });
});
