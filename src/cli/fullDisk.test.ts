/**
 * `preflight validate`, and every other command that writes files, writing onto a full disk: a
 * 64 KiB tmpfs mounted for the test. The run says the disk is full and leaves no partial file. Mounting needs
 * root (or CAP_SYS_ADMIN); where the machine does not allow it the test is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliTestKit.ts';

let dir: string;
let disk: string;
/** why the small disk could not be mounted, or undefined once it is */
let notMounted: string | undefined = 'not tried';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-full-disk-'));
  disk = path.join(dir, 'disk');
  await mkdir(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'pipe' });
    notMounted = undefined;
  } catch (error) {
    const said = String((error as { stderr?: unknown }).stderr ?? '').trim();
    notMounted = `mounting a 64 KiB tmpfs is not permitted here (${said || (error as Error).message})`;
  }
  const rows = ['id,name'];
  for (let i = 0; i < 20_000; i++) rows.push(`${i % 2 ? 'x' : ''}${i},Name${i}`);
  await writeFile(path.join(dir, 'k.csv'), `${rows.join('\n')}\n`);
  await writeFile(
    path.join(dir, 'c.json'),
    JSON.stringify({ type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } }),
  );
  const samples = path.resolve(import.meta.dirname, '../../samples');
  await copyFile(path.join(samples, 'fhir/Patient.ndjson'), path.join(dir, 'p.ndjson'));
  await copyFile(path.join(samples, 'workflows/patient-intake.future.json'), path.join(dir, 'intake.json'));
  const log = ['case,activity,time'];
  for (let c = 1; c <= 5; c++)
    for (const [i, activity] of ['Arrive', 'Triage', 'Leave'].entries())
      log.push(`c${c},${activity},2026-01-0${c}T${String(8 + i).padStart(2, '0')}:00:00Z`);
  await writeFile(path.join(dir, 'log.csv'), `${log.join('\n')}\n`);
  expect((await runCli(['workflow', 'export-bpmn', 'intake.json', '-o', 'intake.bpmn'], dir)).code).toBe(0);
});
afterAll(async () => {
  if (notMounted === undefined) execFileSync('umount', [disk]);
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate onto a full disk', () => {
  it('says the disk is full for the failing rows and leaves no partial file', async (context) => {
    if (notMounted !== undefined) context.skip(notMounted);
    // 10,000 failing rows: about 600 KB, far more than the disk holds
    const { code, err } = await runCli(
      ['validate', 'k.csv', '--schema', 'c.json', '--failing-rows', 'disk/f.csv'],
      dir,
    );
    expect(code).toBe(2);
    expect(err).toContain('cannot write the failing rows to "disk/f.csv": the disk is full');
    expect(await readdir(disk)).toEqual([]);
  });

  it('says the disk is full for the report and leaves no partial file', async (context) => {
    if (notMounted !== undefined) context.skip(notMounted);
    // fill the disk, leaving less than the report needs
    const filler = path.join(disk, 'filler');
    await writeFile(filler, new Uint8Array(60 * 1024));
    const { code, err } = await runCli(
      ['validate', 'k.csv', '--schema', 'c.json', '--report', 'disk/r.json'],
      dir,
    );
    expect(code).toBe(2);
    expect(err).toContain('cannot write the report to "disk/r.json": the disk is full');
    expect(await readdir(disk)).toEqual(['filler']);
    await rm(filler);
    // with the space back, the same run writes it
    expect(
      (await runCli(['validate', 'k.csv', '--schema', 'c.json', '--report', 'disk/r.json'], dir)).code,
    ).toBe(1);
    expect(await readdir(disk)).toEqual(['r.json']);
  });
});

/** The other commands that write files; each output is small, so the disk is filled to the brim. */
const OTHERS: { command: string; argv: string[]; file: string; codes: number[] }[] = [
  {
    command: 'validate --fhir',
    argv: ['validate', '--fhir', 'p.ndjson', '--report', 'disk/r.json'],
    file: 'disk/r.json',
    codes: [0, 1],
  },
  {
    command: 'fhir validate',
    argv: ['fhir', 'validate', 'p.ndjson', '--outcomes', 'disk/o.ndjson', '--report', 'disk/r.json'],
    file: 'disk/r.json',
    codes: [0, 1],
  },
  {
    command: 'workflow discover',
    argv: [
      'workflow',
      'discover',
      'log.csv',
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '-o',
      'disk/w.json',
    ],
    file: 'disk/w.json',
    codes: [0],
  },
  {
    command: 'workflow export-bpmn',
    argv: ['workflow', 'export-bpmn', 'intake.json', '-o', 'disk/w.bpmn'],
    file: 'disk/w.bpmn',
    codes: [0],
  },
  {
    command: 'workflow import-bpmn',
    argv: ['workflow', 'import-bpmn', 'intake.bpmn', '-o', 'disk/w.json'],
    file: 'disk/w.json',
    codes: [0],
  },
];

describe('the other commands that write files, onto a full disk', () => {
  it.for(OTHERS)(
    '$command says the disk is full, leaves no partial file, and writes once there is room',
    async (c, context) => {
      if (notMounted !== undefined) context.skip(notMounted);
      for (const name of await readdir(disk)) await rm(path.join(disk, name));
      // every free block taken
      const free = await statfs(disk);
      const filler = path.join(disk, 'filler');
      await writeFile(filler, new Uint8Array(free.bavail * free.bsize));
      try {
        const full = await runCli(c.argv, dir);
        expect(full.code).toBe(2);
        expect(full.err).toMatch(new RegExp(`cannot write (?:the report to )?"${c.file}": the disk is full`));
        expect(await readdir(disk)).toEqual(['filler']);
      } finally {
        await rm(filler);
      }
      const room = await runCli(c.argv, dir);
      expect(c.codes).toContain(room.code);
      expect(room.err).not.toContain('an earlier run was stopped');
      expect(await readdir(disk)).toContain(path.basename(c.file));
      expect((await readdir(disk)).filter((name) => name.endsWith('.partial'))).toEqual([]);
    },
  );
});
