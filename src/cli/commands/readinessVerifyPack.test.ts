import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessReadiness, evidencePack } from '../../core/readiness/index.ts';
import { decidedProject, goProject } from '../../core/readiness/testing/crafted.ts';
import { createProjectFile, type Project } from '../../formats/project.ts';
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
