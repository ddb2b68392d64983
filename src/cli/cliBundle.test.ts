import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, keptCliBundle, loadCliMain, PACKAGE_ROOT, pruneBuilds } from './cliBundle.mjs';
import { runCli } from './cliTestKit.ts';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

let cacheDir = '';
let work = '';
let bundle: string | undefined;

/** Runs the bundled `main` in a child Node (as preflight.mjs does): exit code, stdout and stderr. */
function runBundled(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const script =
    'const { main } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2));';
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script, bundle as string, ...argv],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? -1) : 0;
        resolve({ code, out: stdout.replace(/\n$/, ''), err: stderr.replace(/\n$/, '') });
      },
    );
  });
}

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'preflight-cli-bundle-'));
  work = await mkdtemp(path.join(tmpdir(), 'preflight-cli-work-'));
  await writeFile(path.join(work, 'tiny.csv'), 'mrn,name\n00000001,Ann\n00000001,Bo\n12,\n');
  bundle = await buildCliBundle({ cacheDir });
}, 180_000);

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('the CLI loaded from its kept bundle (cliBundle.mjs)', () => {
  it('builds, and the kept build is found again while no input changed', () => {
    expect(bundle).toMatch(/^file:.*\/main\.mjs$/);
    expect(keptCliBundle({ cacheDir })).toBe(bundle);
  });

  const contract = path.join(SAMPLES, 'contracts', 'patients.contract.json');
  // what users see must not depend on how the CLI was loaded: same exit code, stdout and stderr
  const cases: { description: string; argv: string[] }[] = [
    { description: 'the overview', argv: ['--help'] },
    { description: 'the version', argv: ['--version'] },
    { description: "a command's help", argv: ['validate', '--help'] },
    { description: "a group command's help", argv: ['fhir', 'validate', '--help'] },
    { description: 'an unknown command (exit 2)', argv: ['frobnicate'] },
    { description: 'an unknown option (exit 2)', argv: ['validate', '--frobnicate', 'tiny.csv'] },
    {
      description: 'a CSV validation with a contract and a key (exit 1, report on stdout)',
      argv: ['validate', 'tiny.csv', '--schema', contract, '--key', 'mrn', '--json'],
    },
    {
      description: 'the same split across 2 workers',
      argv: ['validate', 'tiny.csv', '--schema', contract, '--key', 'mrn', '--workers', '2'],
    },
    {
      description: 'FHIR validation (the generated FHIR modules load from the bundle)',
      argv: ['fhir', 'validate', path.join(SAMPLES, 'fhir', 'Patient.ndjson')],
    },
    { description: 'a hash', argv: ['hash', 'tiny.csv'] },
  ];
  // timings and the report's time of writing differ between any two runs
  const strip = (text: string) => text.replace(/"(generatedAt|startedAt|\w*Ms)": ?[^,}\n]*/g, '"$1": 0');
  it.each(cases)(
    '$description: the same as the CLI loaded through tsx',
    async ({ argv }) => {
      const bundled = await runBundled(argv, work);
      const direct = await runCli(argv, work);
      expect({ ...bundled, out: strip(bundled.out) }).toEqual({ ...direct, out: strip(direct.out) });
    },
    60_000,
  );

  const edits: { description: string; edit: (manifest: Manifest) => void }[] = [
    {
      description: 'an input changed size',
      edit: (m) => {
        const first = Object.values(m.inputs)[0] as [number, number];
        first[0]++;
      },
    },
    {
      description: 'an input was modified',
      edit: (m) => {
        const first = Object.values(m.inputs)[0] as [number, number];
        first[1]--;
      },
    },
    {
      description: 'an input is gone',
      edit: (m) => {
        m.inputs['src/cli/noSuchFile.ts'] = [1, 1];
      },
    },
    {
      description: 'another Node version',
      edit: (m) => {
        m.node = 'v0.0.0';
      },
    },
    {
      description: 'another package folder',
      edit: (m) => {
        m.root = '/elsewhere/';
      },
    },
    ...['tsconfig.json', 'package.json', 'node_modules/esbuild/package.json', 'src/cli/cliBundle.mjs'].map(
      (setting) => ({
        description: `${setting} changed (a setting of the build, not one of its sources)`,
        edit: (m: Manifest) => {
          const kept = m.inputs[setting] as [number, number];
          kept[1]--;
        },
      }),
    ),
    {
      description: 'the build folder was removed',
      edit: (m) => {
        m.build = 'gone';
      },
    },
  ];
  it.each(edits)('is built again when $description', async ({ edit }) => {
    const file = path.join(cacheDir, 'manifest.json');
    const original = await readFile(file, 'utf8');
    const manifest = JSON.parse(original) as Manifest;
    expect(manifest.root).toBe(PACKAGE_ROOT);
    edit(manifest);
    await writeFile(file, JSON.stringify(manifest));
    try {
      expect(keptCliBundle({ cacheDir })).toBeUndefined();
    } finally {
      await writeFile(file, original);
    }
    expect(keptCliBundle({ cacheDir })).toBe(bundle);
  });
});

describe('a kept build in use', () => {
  it('is marked used whenever it is found, so pruning goes by last use, not by age', async () => {
    const manifest = JSON.parse(await readFile(path.join(cacheDir, 'manifest.json'), 'utf8')) as Manifest;
    const dir = path.join(cacheDir, manifest.build);
    const longAgo = new Date(Date.UTC(2026, 0, 1));
    await utimes(dir, longAgo, longAgo);
    expect(keptCliBundle({ cacheDir })).toBe(bundle);
    expect((await stat(dir)).mtimeMs).toBeGreaterThan(longAgo.getTime());
  });

  it('that is damaged on disk still lets the CLI run (through tsx)', async () => {
    const manifest = JSON.parse(await readFile(path.join(cacheDir, 'manifest.json'), 'utf8')) as Manifest;
    const main = path.join(cacheDir, manifest.build, 'main.mjs');
    const original = await readFile(main, 'utf8');
    await writeFile(main, `${original}\nimport './no-such-chunk.mjs';\n`);
    try {
      const loaded = await loadCliMain({ cacheDir });
      expect(typeof loaded).toBe('function');
    } finally {
      await writeFile(main, original);
    }
  }, 60_000);
});

interface Manifest {
  root: string;
  node: string;
  build: string;
  inputs: Record<string, [number, number]>;
}

describe('buildCliBundle where nothing can be kept', () => {
  it('answers nothing when its folder cannot be made (the CLI then loads through tsx)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-cli-nowhere-'));
    try {
      // a file where the cache folder should be: it cannot be made
      await writeFile(path.join(dir, 'file'), '');
      const cacheDir = path.join(dir, 'file', 'cli');
      expect(await buildCliBundle({ cacheDir })).toBeUndefined();
      expect(keptCliBundle({ cacheDir })).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pruneBuilds', () => {
  const OLD = Date.UTC(2026, 0, 1); // long ago, whatever the clock says now
  const NEW = Date.UTC(2100, 0, 1); // "just built", whatever the clock says now
  const HOUR = 3_600_000;
  const cases: { description: string; builds: Record<string, number>; left: string[] }[] = [
    {
      description: 'keeps the two newest builds and removes older ones',
      builds: { a: OLD - 4 * HOUR, b: OLD - HOUR, c: OLD - 3 * HOUR, d: OLD - 2 * HOUR },
      left: ['b', 'd'],
    },
    {
      description: 'keeps a recent build beyond the two newest (a run may still import its chunks)',
      builds: { a: OLD, e: NEW, f: NEW + HOUR, g: NEW + 2 * HOUR },
      left: ['e', 'f', 'g'],
    },
  ];
  it.each(cases)('$description', async ({ builds, left }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-cli-prune-'));
    try {
      for (const [name, at] of Object.entries(builds)) {
        await mkdir(path.join(dir, name));
        await utimes(path.join(dir, name), new Date(at), new Date(at));
      }
      await writeFile(path.join(dir, 'manifest.json'), '{}');
      pruneBuilds(dir, 2);
      expect((await readdir(dir)).sort()).toEqual([...left, 'manifest.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
