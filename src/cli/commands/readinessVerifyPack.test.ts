import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assessReadiness,
  evidencePack,
  sharedReadinessProject,
  sharedReportSummaries,
} from '../../core/readiness/index.ts';
import { decidedProject, goProject, report } from '../../core/readiness/testing/crafted.ts';
import { KIND_RULES, type ReportSummary } from '../../core/teamRecords/index.ts';
import { createProjectFile, type Project } from '../../formats/project.ts';
import { withRollbackPlan } from '../../formats/rollbackPlan.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-verify-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, value: unknown): Promise<string> {
  await writeFile(path.join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  return name;
}
const projectFile = (project: Project) =>
  createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.1.0' });
const { project } = decidedProject(goProject());
const pack = evidencePack(project, assessReadiness(project), '2026-11-24T11:00:00Z');

describe('preflight readiness verify-pack', () => {
  it('exits 0 on the pack as downloaded, alone and against its project file', async () => {
    const file = await write('pack.json', pack);
    const proj = await write('clinic.preflight.json', projectFile(project));
    const alone = await runCli(['readiness', 'verify-pack', file], dir);
    expect({ code: alone.code, err: alone.err }).toEqual({ code: 0, err: '' });
    expect(alone.out.split('\n')[0]).toBe('pack.json: VERIFIED: the pack is as Preflight made it');
    const withProject = await runCli(['readiness', 'verify-pack', file, '--project', proj], dir);
    expect(withProject.code).toBe(0);
    expect(withProject.out).toMatch(/project: \d+ artefact\(s\) hash as the pack states/);
    // the file is said to be a copy, taken when it was exported
    expect(withProject.out).toContain(
      'Compared with "clinic.preflight.json": a copy of the project exported 2026-11-24T10:00:00Z, as it was then; a change made since is not in it.',
    );
    expect(withProject.out).not.toContain('team server');
    const json = JSON.parse(
      (await runCli(['readiness', 'verify-pack', file, '--project', proj, '--json'], dir)).out,
    );
    expect(json.projectFile).toEqual({ file: proj, exportedAt: '2026-11-24T10:00:00Z', copy: true });
  });

  it('compares a pack made on a shared project with the copy’s shared records, and says what only the team server holds', async () => {
    // the pack as the Readiness screen makes it on a shared project: judged on the shared record,
    // the team's shared workflows and its validation summaries (no decision signed yet)
    const lead = goProject();
    const summaries = sharedReportSummaries(
      KIND_RULES['report-summary'].recordsOf(lead).map((r) => r.body as ReportSummary),
    );
    const judged = sharedReadinessProject(lead, { workflows: lead.workflows });
    const result = assessReadiness(judged, { reportSummaries: summaries });
    const made = { ...judged, meta: { ...judged.meta, id: lead.meta.id, name: lead.meta.name } };
    const teamPack = evidencePack(made, result, '2026-11-24T11:00:00Z', undefined, [], {
      reportSummaries: summaries,
    });
    expect(teamPack.judgedOn).toBe('team-shared-record');
    const file = await write('team-pack.json', teamPack);
    // the lead's copy holds her workflows and a run of her own not shared yet: neither is judged
    const copy = { ...lead, reports: [...lead.reports, report(900, 1000, '2026-11-24T09:00:00Z')] };
    const proj = await write('lead.preflight.json', projectFile(copy));
    const verified = await runCli(['readiness', 'verify-pack', file, '--project', proj], dir);
    expect({ code: verified.code, err: verified.err }).toEqual({ code: 0, err: '' });
    expect(verified.out).toContain(
      'The pack was judged on the team’s shared record on a team server. Its shared records are compared as the copy holds them;',
    );
    expect(verified.out).toMatch(
      /the \d+ artefacts only the team server holds \(shared workflows, validation summaries, sample results\) are not\./,
    );
    expect(verified.out).toContain(
      'The team server is not asked: its records are read by a member signed in, and the command line has no sign-in.',
    );
    // a shared record changed in the copy since is stale
    const changed = {
      ...copy,
      meta: {
        ...copy.meta,
        settings: withRollbackPlan(copy.meta.settings, {
          present: true,
          location: 'Binder, nurses’ station',
        }),
      },
    };
    const stale = await runCli(
      [
        'readiness',
        'verify-pack',
        file,
        '--project',
        await write('changed-lead.preflight.json', projectFile(changed)),
      ],
      dir,
    );
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(
      /- stale: phases\[4\]\.artefacts\[\d+\] the rollback-plan changed in the project/,
    );
  });

  it('exits 1 on a tampered pack, naming the field', async () => {
    const file = await write('tampered.json', { ...pack, decision: 'no-go' });
    const { code, out } = await runCli(['readiness', 'verify-pack', file, '--json'], dir);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.verdict).toBe('tampered');
    expect(json.problems).toContainEqual({
      kind: 'tampered',
      field: 'decision',
      message: 'was changed after the pack was made',
    });
  });

  it('exits 1 with stale when the project changed after the pack', async () => {
    const file = await write('pack2.json', pack);
    const changed = {
      ...project,
      reports: project.reports.map((r) => ({ ...r, generatedAt: '2026-11-25T08:00:00Z' })),
    };
    const proj = await write('changed.preflight.json', projectFile(changed));
    const { code, out } = await runCli(['readiness', 'verify-pack', file, '--project', proj], dir);
    expect(code).toBe(1);
    expect(out).toContain('STALE: the pack is intact, but no longer describes the project or the decision');
    expect(out).toMatch(/- stale: phases\[3\]\.artefacts\[0\] the validation-report changed in the project/);
  });

  it('exits 2 on bad usage, a file that is not a pack, and a project of another clinic', async () => {
    expect((await runCli(['readiness', 'verify-pack'], dir)).code).toBe(2);
    const notPack = await write('not-pack.json', { format: 'preflight.other/v1' });
    const refused = await runCli(['readiness', 'verify-pack', notPack], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is not an evidence pack');
    const missing = await runCli(['readiness', 'verify-pack', 'nowhere.json'], dir);
    expect(missing.code).toBe(2);
    const file = await write('pack3.json', pack);
    const other = await write(
      'other.preflight.json',
      projectFile({ ...project, meta: { ...project.meta, id: 'other' } }),
    );
    const wrong = await runCli(['readiness', 'verify-pack', file, '--project', other], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('another project');
  });
});
