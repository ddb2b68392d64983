/**
 * `preflight validate` writing its report and failing rows onto a full disk: a 64 KiB tmpfs
 * mounted for the test. The run says the disk is full and leaves no partial file. Mounting needs
 * root (or CAP_SYS_ADMIN); where the machine does not allow it the test is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
