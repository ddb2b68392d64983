import { describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../src/core/hash/index.ts';
import { InputReadError, JobCancelledError } from '../src/core/jobs/errors.ts';
import { createProject } from '../src/core/project/changes.ts';
import { assessReadiness, type EvidencePack, evidencePack } from '../src/core/readiness/index.ts';
import { decidedProject, goProject } from '../src/core/readiness/testing/crafted.ts';
import { createProjectFile, type ProjectFile, parseProjectFile } from '../src/formats/project.ts';
import {
  createProjectFileApi,
  PROJECT_FILE_CHUNK_BYTES,
  type ProjectFileProgress,
  type ProjectFileWorkerApi,
} from './projectFileApi.ts';
import { readProjectFileInPool, verifyEvidencePackInPool } from './projectFileClient.ts';
import { fakePools } from './testing/fakePools.ts';

// The path readProjectFileInWorker takes (client → pool → comlink → projectFileApi → parseProjectFile),
// with the Worker faked.
const { createPool } = fakePools<ProjectFileWorkerApi>('project-file', createProjectFileApi);

const NOW = '2026-11-02T09:00:00Z';
/** A valid project file (an empty project; what it holds is parseProjectFile's business, tested in src/formats). */
const projectFile = (): ProjectFile =>
  createProjectFile(createProject({ id: 'p1', name: 'Maple Street', now: NOW }), {
    now: NOW,
    appVersion: '0.1.0',
  });
const validText = () => JSON.stringify(projectFile(), null, 2);

/** A valid project file padded with whitespace past `bytes`, so it spans several chunks. */
function largeValidText(bytes: number): string {
  const text = validText();
  return `${text}${' '.repeat(Math.max(0, bytes - text.length))}`;
}

describe('project-file worker API through the pool', () => {
  it.each([
    { description: 'a valid file', text: validText },
    {
      description: 'a file spanning several chunks',
      text: () => largeValidText(2.5 * PROJECT_FILE_CHUNK_BYTES),
    },
    { description: 'text that is not JSON', text: () => 'not json {' },
    { description: 'JSON that is not a project file', text: () => '{"hello": 1}' },
    {
      description: 'a tampered file',
      text: () => {
        const file = projectFile();
        file.project.meta.name = 'Edited by hand';
        return JSON.stringify(file);
      },
    },
    {
      description: 'a file with a 10,000-character name',
      text: () => {
        const file = projectFile();
        file.project.meta.name = 'x'.repeat(10_000);
        file.integrity.sha256 = canonicalSha256Hex(file.project);
        return JSON.stringify(file);
      },
    },
  ])('gives the same result as parseProjectFile for $description', async ({ text }) => {
    const body = text();
    const result = await readProjectFileInPool(createPool(), new Blob([body]));
    expect(result).toEqual(parseProjectFile(body));
  });

  it('refuses a hostile text where it starts and reads no further chunk', async () => {
    const file = projectFile();
    file.project.meta.name = 'y'.repeat(2 * PROJECT_FILE_CHUNK_BYTES);
    const body = JSON.stringify(file);
    const blob = new Blob([body]);
    const reports: ProjectFileProgress[] = [];
    const result = await readProjectFileInPool(createPool(), blob, { onProgress: (p) => reports.push(p) });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['text-too-long']);
    expect(result).toEqual(parseProjectFile(body));
    // the text is over its bound within the first chunk: reading stops there, short of the end
    const done = reports.flatMap((r) => (r.stage === 'reading' ? [r.progress.done] : []));
    expect(Math.max(0, ...done)).toBeLessThan(blob.size);
  });

  it('decodes a character split across two chunks intact', async () => {
    const file = projectFile();
    file.project.meta.name = 'Café €';
    file.integrity.sha256 = canonicalSha256Hex(file.project);
    const text = JSON.stringify(file);
    const bytes = new TextEncoder().encode(text);
    const euro = bytes.indexOf(0xe2);
    // leading whitespace (valid JSON) puts the euro sign's first of three bytes last in chunk one
    const padded = `${' '.repeat(PROJECT_FILE_CHUNK_BYTES - euro - 1)}${text}`;
    const result = await readProjectFileInPool(createPool(), new Blob([padded]));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.project.meta.name).toBe('Café €');
  });

  it('reports reading progress up to the file size, then checking, before the result', async () => {
    const body = largeValidText(3 * PROJECT_FILE_CHUNK_BYTES);
    const blob = new Blob([body]);
    const reports: ProjectFileProgress[] = [];
    const result = await readProjectFileInPool(createPool(), blob, { onProgress: (p) => reports.push(p) });
    expect(result.ok).toBe(true);
    const reading = reports.filter((r) => r.stage === 'reading');
    expect(reading.at(-1)).toMatchObject({ progress: { done: blob.size, total: blob.size } });
    expect(reports.at(-1)).toEqual({ stage: 'checking' });
  });

  it('rejects with JobCancelledError when cancelled', async () => {
    const controller = new AbortController();
    const promise = readProjectFileInPool(
      createPool(),
      new Blob([largeValidText(4 * PROJECT_FILE_CHUNK_BYTES)]),
      {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    await expect(promise).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('rejects with InputReadError, naming the file and offset, when the file cannot be read', async () => {
    const unreadable = () => {
      const api = createProjectFileApi();
      return {
        ...api,
        readProjectFile: (jobId: string, _file: Blob, onProgress: (p: ProjectFileProgress) => void) => {
          const broken = new File(['{}'], 'clinic.preflight.json');
          broken.slice = () => {
            const blob = new Blob(['{}']);
            blob.arrayBuffer = () => Promise.reject(new DOMException('gone', 'NotReadableError'));
            return blob;
          };
          return api.readProjectFile(jobId, broken, onProgress);
        },
      };
    };
    const error = await readProjectFileInPool(createPool(unreadable), new Blob(['{}'])).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputReadError);
    expect((error as InputReadError).message).toContain('clinic.preflight.json, byte 0');
    expect((error as InputReadError).causeName).toBe('NotReadableError');
  });
});

describe('evidence pack verification through the pool', () => {
  const { project } = decidedProject(goProject());
  const packText = () =>
    JSON.stringify(evidencePack(project, assessReadiness(project), '2026-11-24T11:00:00Z'), null, 2);
  const edited = (edit: (pack: EvidencePack) => void) => {
    const pack = JSON.parse(packText()) as EvidencePack;
    edit(pack);
    return JSON.stringify(pack);
  };
  const otherProject = { ...project, meta: { ...project.meta, id: 'another-project' } };

  it.each<{
    what: string;
    bytes: () => BlobPart;
    open: typeof project | undefined;
    verdict: string;
    againstProject: boolean;
    says?: string;
    fields?: string[];
  }>([
    {
      what: 'a pack as made, from the open project',
      bytes: packText,
      open: project,
      verdict: 'verified',
      againstProject: true,
    },
    {
      what: 'a pack as made, no project open',
      bytes: packText,
      open: undefined,
      verdict: 'verified',
      againstProject: false,
    },
    // a pack of another project is checked on its own rather than refused
    {
      what: 'a pack of another project',
      bytes: packText,
      open: otherProject,
      verdict: 'verified',
      againstProject: false,
    },
    {
      what: 'a status changed by hand',
      bytes: () =>
        edited((p) => {
          const phase = p.phases[2];
          if (phase) phase.status = 'blocked';
        }),
      open: project,
      verdict: 'tampered',
      againstProject: true,
      fields: ['phases', 'phases[2].status'],
    },
    {
      what: 'text that is not JSON',
      bytes: () => '{"format": "preflight.evidence-pack/v1",\n  nope}',
      open: project,
      verdict: 'unreadable',
      againstProject: false,
      says: 'at line 2, column 3',
    },
    {
      what: 'a byte that is not UTF-8',
      bytes: () => new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      open: project,
      verdict: 'unreadable',
      againstProject: false,
      says: 'is not valid UTF-8 text: the byte at line 1, byte 2 cannot be read',
    },
    {
      what: 'JSON that is not a pack',
      bytes: () => '{"format": "preflight.project/v1"}',
      open: project,
      verdict: 'unreadable',
      againstProject: false,
      says: 'it is not an evidence pack',
    },
  ])('$what: $verdict', async ({ bytes, open, verdict, againstProject, says, fields }) => {
    const checked = await verifyEvidencePackInPool(createPool(), new File([bytes()], 'pack.json'), open);
    expect(checked.verdict).toBe(verdict);
    expect(checked.againstProject).toBe(againstProject);
    if (says !== undefined) expect(checked.verdict === 'unreadable' && checked.message).toContain(says);
    if (fields !== undefined && checked.verdict !== 'unreadable')
      expect(checked.problems.map((p) => p.field)).toEqual(fields);
    if (verdict === 'verified' && checked.verdict === 'verified')
      expect(checked.checked.some((c) => c.startsWith('project: '))).toBe(againstProject);
  });
});
