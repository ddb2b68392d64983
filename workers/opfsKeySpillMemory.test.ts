/**
 * The OPFS key spill's memory bounds (opfsKeySpill.ts), through the fake OPFS: the parts of a run
 * keep at most the run's memory share together ({@link KEY_SPILL_MEMORY_BYTES}, divided among
 * them), let their kept records go when they finish or are abandoned, and lay a range out for the
 * page through a buffer of one write, not of a whole partition.
 */
import { describe, expect, it } from 'vitest';
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import type { SpilledKeys } from '../src/core/migration/keySpill.ts';
import type { CsvValidationResult } from '../src/core/migration/validateCsv.ts';
import {
  KEY_SPILL_MEMORY_BYTES,
  openPartKeySpill,
  type SpillDirectory,
  type SpillSyncHandle,
  startRunKeySpill,
} from './opfsKeySpill.ts';
import { createFakeLocks, createFakeOpfs } from './testing/fakeOpfs.ts';
import { createValidateApi, type PartTask, type ValidateRequest } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const LAYOUT: CsvLayout = { encoding: 'utf-8', delimiter: ',', quote: '"', lineEnding: '\n', header: true };

/** `root` with the bytes and the largest write asked of sync handles, per file name. */
function noteWrites(root: SpillDirectory) {
  const bytes = new Map<string, number>();
  const largest = new Map<string, number>();
  const wrap = (dir: SpillDirectory): SpillDirectory => ({
    ...dir,
    getDirectoryHandle: async (name, options) => wrap(await dir.getDirectoryHandle(name, options)),
    getFileHandle: async (name, options) => {
      const file = await dir.getFileHandle(name, options);
      return {
        ...file,
        getFile: () => file.getFile(),
        createSyncAccessHandle: async (): Promise<SpillSyncHandle> => {
          const handle = await file.createSyncAccessHandle();
          return {
            read: (buffer, o) => handle.read(buffer, o),
            close: () => handle.close(),
            write: (buffer, o) => {
              largest.set(name, Math.max(largest.get(name) ?? 0, buffer.byteLength));
              const n = handle.write(buffer, o);
              bytes.set(name, (bytes.get(name) ?? 0) + n);
              return n;
            },
          };
        },
      };
    },
  });
  return { root: wrap(root), bytes, largest };
}

describe('the memory a run keeps of its key records', () => {
  it.each([1, 2, 3, 4])(
    '%i parts: their shares add up to the run’s memory at most, and each keeps no more than its share',
    async (parts) => {
      const lines = ['id,name'];
      for (let i = 0; i < 20_000; i++) lines.push(`P${i},Name${i % 300}`);
      const file = new Blob([`${lines.join('\n')}\n`]);
      const request: ValidateRequest = {
        inputs: [{ file, name: 'p.csv', layout: LAYOUT, keys: [{ column: 'id', demographics: ['name'] }] }],
        links: [],
        toolVersion: '0.0.0-test',
        chunkBytes: 16 * 1024,
      };
      const opfs = createFakeOpfs();
      const noted = noteWrites(opfs.root);
      let ids = 0;
      // writes of 4 KiB: a part's records go to memory while its share lasts (a 512 KiB write
      // buffer is more than a small share, and goes to the file whole)
      const api = createValidateApi({
        keySpillRoot: async () => noted.root,
        newId: () => `part${ids++}`,
        keySpillWriteBufferBytes: 4096,
      });
      const shares: number[] = [];
      const spilled: SpilledKeys[] = [];
      // the runs' default memory, and one small enough that every part goes over its share
      for (const memoryBytes of [undefined, 64 * 1024]) {
        shares.length = 0;
        spilled.length = 0;
        noted.bytes.clear();
        let n = 0;
        const outcome = await runValidation(request, {
          parts,
          minSplitBytes: 1,
          keySpill: {
            minBytes: 0,
            ...(memoryBytes === undefined ? {} : { memoryBytes }),
            start: () => startRunKeySpill(opfs.root, { run: `run${n}`, locks: createFakeLocks() }),
          },
          runPart: async (part: PartTask, onProgress) => {
            shares.push(part.keySpillMemoryBytes ?? 0);
            const answer = await api.validatePart(`job-${n++}`, part, onProgress);
            if (answer.ok)
              for (const k of answer.result.keys) if (k.state.spilled) spilled.push(k.state.spilled);
            return answer;
          },
        });
        expect(outcome.ok).toBe(true);
        const memory = memoryBytes ?? KEY_SPILL_MEMORY_BYTES;
        expect(shares).toHaveLength(parts);
        expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(memory);
        // one part checks its whole input's keys itself (no spilled set comes back to look at)
        if (memoryBytes === undefined || parts === 1) continue;
        // what the parts kept: their key records less what they wrote to their own files (the
        // laid-out files for the page are written from them at the end)
        const records = spilled.reduce((sum, s) => sum + s.records * s.words * 4, 0);
        const written = [...noted.bytes]
          .filter(([name]) => !name.endsWith('-laid.keys'))
          .reduce((sum, [, b]) => sum + b, 0);
        expect(records).toBeGreaterThan(2 * memory);
        expect(records - written).toBeLessThanOrEqual(memory);
        expect(records - written).toBeGreaterThan(0);
        // each part (its files are named after it) within its own share
        const partOf = (name: string) => name.replace(/^.*\//, '').replace(/-\d+(-laid)?\.keys$/, '');
        const kept = new Map<string, number>();
        for (const s of spilled)
          kept.set(partOf(s.store), (kept.get(partOf(s.store)) ?? 0) + s.records * s.words * 4);
        for (const [name, b] of noted.bytes)
          if (!name.endsWith('-laid.keys')) kept.set(partOf(name), (kept.get(partOf(name)) ?? 0) - b);
        expect(kept.size).toBe(parts);
        for (const bytes of kept.values()) expect(bytes).toBeLessThanOrEqual(Math.floor(memory / parts));
      }
    },
  );

  it.each(['finish', 'abandon'] as const)('a part that ends (%s) lets its kept records go', async (end) => {
    const opfs = createFakeOpfs();
    const run = await startRunKeySpill(opfs.root, { run: 'r' });
    const part = await openPartKeySpill(opfs.root, { run: 'r', count: 1, prefix: 'p', memoryBytes: 1 << 20 });
    const store = part.spill.create();
    const at = store.append(new Uint8Array(600 * 1024).fill(7));
    store.close();
    // kept in memory: nothing in the file, read back from memory
    expect(opfs.storedBytes()).toBe(0);
    const into = new Uint8Array(16);
    await store.read(at, into);
    expect(into[0]).toBe(7);
    if (end === 'finish') await part.finish({ keys: [] } as unknown as CsvValidationResult);
    else await part.abandon();
    // the memory is let go: a read no longer finds the records there (nor the file, closed)
    expect(() => store.read(at, into)).toThrow();
    await run.remove();
  });
});

describe('a range laid out for the page', () => {
  it('is written through a buffer of one write, however large a partition', async () => {
    const opfs = createFakeOpfs();
    const run = await startRunKeySpill(opfs.root, { run: 'r' });
    const noted = noteWrites(opfs.root);
    const part = await openPartKeySpill(noted.root, {
      run: 'r',
      count: 1,
      prefix: 'p',
      writeBufferBytes: 1000,
    });
    const store = part.spill.create();
    // one partition of 20 blocks (6,000 bytes), another of 2, as a set's partition lists them
    const content: number[] = [];
    const positions: number[] = [];
    for (let b = 0; b < 22; b++) {
      const bytes = Uint8Array.from({ length: 300 }, (_, i) => (b * 7 + i) & 0xff);
      positions.push(store.append(bytes), 300);
      content.push(...bytes);
    }
    store.close();
    const spilled: SpilledKeys = {
      store: store.id,
      words: 1,
      records: 22 * 75,
      blocks: [positions.slice(0, 40), positions.slice(40)],
    };
    await part.finish({ keys: [{ state: { spilled } }] } as unknown as CsvValidationResult);
    expect(noted.largest.get('p-0-laid.keys')).toBeLessThanOrEqual(1000);
    expect(spilled.blocks).toEqual([
      [0, 6000],
      [6000, 600],
    ]);
    const laidOut = new Uint8Array(6600);
    await run.spill.open(spilled.store).read(0, laidOut);
    expect([...laidOut]).toEqual(content);
    await run.remove();
  });
});
