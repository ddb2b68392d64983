import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpilledKeys, createKeySet, createSpillingKeySet } from '../core/validation/index.ts';
import type { CliIo } from './command.ts';
import { createFileKeySpill, createRunKeySpill, KeySpillError } from './keySpillFiles.ts';
import { main } from './main.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples');

describe('the CLI key spill (temporary files)', () => {
  it('reads back what was written once writing ended, and deletes it', () => {
    const spill = createRunKeySpill();
    try {
      const store = spill.create();
      expect(store.append(new Uint8Array([1, 2, 3, 4]))).toBe(0);
      expect(store.append(new Uint8Array([5, 6, 7, 8, 9, 10, 11, 12]))).toBe(4);
      store.close();
      expect(readdirSync(spill.folder)).toHaveLength(1);
      const into = new Uint8Array(6);
      store.read(2, into);
      expect([...into]).toEqual([3, 4, 5, 6, 7, 8]);
      store.dispose();
      expect(readdirSync(spill.folder)).toEqual([]);
    } finally {
      spill.remove();
    }
    expect(existsSync(spill.folder)).toBe(false);
  });

  it('checks spilled keys like one in-memory pass, and leaves the folder empty', async () => {
    const spill = createRunKeySpill();
    try {
      const rows = Array.from({ length: 50_000 }, (_, i) => [
        `m${(i * 7) % 40_000}`,
        i % 3 === 0 ? 'Kim' : 'Lee',
      ]);
      const memory = createKeySet(1);
      const spilled = createSpillingKeySet(1, spill.create());
      rows.forEach(([key, name], i) => {
        memory.add(key as string, i + 1, i, [name as string]);
        spilled.add(key as string, i + 1, i, [name as string]);
      });
      const state = await checkSpilledKeys(spilled, async (offset) => String(rows[offset]?.[0]));
      const one = memory.state();
      expect(state.duplicateRecords).toBe(10_000);
      expect([state.size, state.duplicateKeys, state.duplicateRecords, state.conflictingKeys]).toEqual([
        one.size,
        one.duplicateKeys,
        one.duplicateRecords,
        one.conflictingKeys,
      ]);
      expect(state.duplicates).toEqual(
        [...one.duplicates].sort((x, y) => (x.rows[0] as number) - (y.rows[0] as number)),
      );
      expect(readdirSync(spill.folder)).toEqual([]);
    } finally {
      spill.remove();
    }
  });

  it('turns a folder it cannot write into a clear error, and validate into exit 2 with what to do', async () => {
    const parent = createRunKeySpill();
    const gone = path.join(parent.folder, 'gone');
    expect(() => createFileKeySpill(gone).create()).toThrow(KeySpillError);
    expect(() => createFileKeySpill(gone).create()).toThrow(/ENOENT.*free some disk space.*TMPDIR/);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = gone;
    try {
      const err: string[] = [];
      const io: CliIo = { stdout: () => {}, stderr: (t) => err.push(t), cwd: SAMPLES };
      const code = await main(['validate', 'legacy/patients.csv', '--key', 'mrn'], io);
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(
        /^preflight validate: cannot use the temporary key files in .*gone.* \(ENOENT\)/,
      );
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      parent.remove();
    }
  });

  it('removes its folder when the run is stopped by a signal, and still ends by that signal', async () => {
    const module = path.join(import.meta.dirname, 'keySpillFiles.ts');
    const code = `const { createRunKeySpill } = await import(${JSON.stringify(module)});
      const spill = createRunKeySpill();
      spill.create().append(new Uint8Array(64));
      console.log(spill.folder);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const folder = await new Promise<string>((resolve) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (text: string) => resolve(text.trim()));
    });
    expect(readdirSync(folder)).toHaveLength(1);
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(existsSync(folder)).toBe(false);
  }, 20_000);
});
