/**
 * A project file whose integrity hash does not match is refused by EVERY public loading path — the
 * format definition itself (`loadDocument(projectFileFormat, …)`), the registry (`loadAny`),
 * `loadProjectFile`/`parseProjectFile`, `preflight check` and the app's import — and an intact file
 * is accepted by each, so the table can fail both ways.
 *
 * Lives in tests/unit because it crosses layers (formats, CLI, app, storage) on purpose.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectSession, type SessionState } from '../../src/app/projects/projectSession.ts';
import { checkFile } from '../../src/cli/commands/check.ts';
import { canonicalSha256Hex } from '../../src/core/hash/index.ts';
import { createProject } from '../../src/core/project/changes.ts';
import { type FormatProblem, loadDocument, PROBLEM_CODES } from '../../src/formats/loading.ts';
import {
  loadProjectFile,
  type ProjectFile,
  parseProjectFile,
  projectFileFormat,
} from '../../src/formats/project.ts';
import { loadAny } from '../../src/formats/registry.ts';
import * as fixtures from '../../src/formats/testing/fixtures.ts';
import { nth } from '../../src/formats/testing/fixtures.ts';
import { openStorage } from '../../src/storage/storage.ts';

/** stands in for patient content: must never appear in a problem */
const SECRET = 'Jane Q. Patient 1962-04-01';

/** What a loading path says about a file: refused (with problems) or accepted. */
type Outcome = { ok: true } | { ok: false; problems: FormatProblem[]; text: string };

const outcome = (result: { ok: true } | { ok: false; problems: FormatProblem[] }, text = ''): Outcome =>
  result.ok ? { ok: true } : { ok: false, problems: result.problems, text };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-tampered-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let dbCount = 0;
/** The app's import: a project session over fresh fake-indexeddb storage, as the app runs it. */
async function importInApp(text: string): Promise<Outcome> {
  const factory = new IDBFactory();
  let ready: (state: SessionState) => void = () => undefined;
  const isReady = new Promise<SessionState>((resolve) => {
    ready = resolve;
  });
  const session = createProjectSession({
    openStorage: () => openStorage(`preflight-tampered-${dbCount++}`, { factory }),
    createDemo: async (now) => createProject({ name: 'Demo clinic', now }),
    now: () => '2026-01-05T09:00:00.000Z',
    onState: (state) => {
      if (state.phase === 'ready' && state.project) ready(state);
    },
  });
  try {
    const before = await isReady;
    const imported = await session.importFile('project.preflight.json', text);
    const after = session.getState();
    if (imported) return { ok: true };
    // a refused import changes nothing stored
    expect(after.projects.map((p) => p.id)).toEqual(before.projects.map((p) => p.id));
    return { ok: false, problems: [], text: after.error ?? '' };
  } finally {
    session.destroy();
  }
}

let fileCount = 0;
const paths: { name: string; load: (text: string) => Promise<Outcome> }[] = [
  {
    name: 'loadDocument(projectFileFormat)',
    load: async (text) => outcome(loadDocument(projectFileFormat, JSON.parse(text))),
  },
  { name: 'loadAny', load: async (text) => outcome(loadAny(JSON.parse(text))) },
  { name: 'loadProjectFile', load: async (text) => outcome(loadProjectFile(JSON.parse(text))) },
  { name: 'parseProjectFile', load: async (text) => outcome(parseProjectFile(text)) },
  {
    name: 'preflight check',
    load: async (text) => {
      const file = `project-${fileCount++}.json`;
      await writeFile(path.join(dir, file), text);
      const result = await checkFile(file, dir);
      if (result.status === 'ok') return { ok: true };
      expect(result.status).toBe('invalid');
      return { ok: false, problems: result.problems, text: JSON.stringify(result) };
    },
  },
  { name: "the app's import", load: importInApp },
];

/** Ways a file changes after export without its hash being recomputed. */
const tamperings: { description: string; edit: (file: ProjectFile) => void }[] = [
  {
    description: 'a renamed project',
    edit: (f) => {
      f.project.meta.name = SECRET;
    },
  },
  {
    description: 'a changed number deep inside a workflow',
    edit: (f) => {
      nth(nth(f.project.workflows, 0).steps, 1).touchMin = 99;
    },
  },
  {
    description: 'a removed report',
    edit: (f) => {
      f.project.reports = [];
    },
  },
  {
    description: 'a report value added',
    edit: (f) => {
      nth(nth(f.project.reports, 0).issues, 0).examples.push({ row: 9, value: SECRET });
      nth(nth(f.project.reports, 0).issues, 0).count = 2;
    },
  },
  {
    description: 'a hash replaced by another well-formed hash',
    edit: (f) => {
      f.integrity.sha256 = canonicalSha256Hex({ other: 'project' });
    },
  },
];

const table = paths.flatMap((loadingPath) =>
  tamperings.map((tampering) => ({ ...tampering, path: loadingPath.name, load: loadingPath.load })),
);

describe('a tampered project file is refused by every loading path', () => {
  it.each(table)('$path refuses $description', async ({ edit, load }) => {
    const file = fixtures.fixtureProjectFile();
    edit(file);
    const result = await load(JSON.stringify(file, null, 2));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    if (result.problems.length > 0) {
      expect(result.problems).toContainEqual(
        expect.objectContaining({ path: '/integrity/sha256', code: PROBLEM_CODES.integrityMismatch }),
      );
    } else {
      // the app shows the problem's message, not its code
      expect(result.text).toContain('integrity hash');
    }
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it.each(paths)('$name accepts the same file intact', async ({ load }) => {
    expect(await load(JSON.stringify(fixtures.fixtureProjectFile(), null, 2))).toEqual({ ok: true });
  });
});
