/**
 * The app's real hash and validator workers, held between chunk reads from a test (through the
 * DevTools protocol; nothing in the app is reachable by users), so "while a fingerprint runs" or
 * "while a validation reads its file" is a fact a journey sets up, not a race against the machine's
 * speed (fingerprint.spec.ts, journeyProjects.spec.ts, projects.spec.ts, migration.spec.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { JOB_JOURNAL_DB_NAME } from '../../src/storage/jobJournalStore.ts';
import { isHashWorker } from './browser.ts';

/**
 * Starts the app's hash worker with a first small fingerprint ("abc", in `dir`) on the Migration
 * workspace and waits for its digest and for its job to leave the job journal (a later kill of the
 * browser must find only the job a spec sets up there); later jobs reuse the pool's idle worker.
 */
export async function startHashWorker(page: Page, dir: string): Promise<Worker> {
  const tiny = join(dir, 'tiny.txt');
  writeFileSync(tiny, 'abc');
  const started = page.waitForEvent('worker', isHashWorker);
  await page.getByLabel('File to fingerprint').setInputFiles(tiny);
  const worker = await started;
  await page.getByTestId('sha256').waitFor();
  await journalHolds(page, 'tiny.txt', false);
  return worker;
}

/**
 * Starts the app's validator worker with a first small validation ("tiny.csv", in `dir`) on the
 * Migration workspace, waits for its result and for its job to leave the job journal, and removes
 * the file from those chosen; the next validation of one file runs in the same, idle worker.
 */
export async function startValidateWorker(page: Page, dir: string): Promise<Worker> {
  const tiny = join(dir, 'tiny.csv');
  writeFileSync(tiny, 'id\n1\n');
  const started = page.waitForEvent('worker', (worker) => /\/validate\.worker[-.]/.test(worker.url()));
  await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(tiny);
  await page.getByRole('button', { name: /^Validate the/ }).click();
  const worker = await started;
  await page.getByRole('region', { name: 'Validation result' }).waitFor();
  await journalHolds(page, 'tiny.csv', false);
  // files chosen stay chosen: the next validation is of its own file alone
  await page.getByRole('button', { name: 'Remove tiny.csv' }).click();
  return worker;
}

/**
 * Waits until a job about `subject` is in the job journal (`held`), or none is (a later kill must
 * find only the next job there).
 */
export async function journalHolds(page: Page, subject: string, held: boolean): Promise<void> {
  await page.waitForFunction(
    async ({ name, subject, held }) => {
      // opened only once the app made it: an open without a version would make it empty
      if (!(await indexedDB.databases()).some((known) => known.name === name)) return !held;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        if (!db.objectStoreNames.contains('jobs')) return !held;
        const entries = await new Promise<{ subject: string }[]>((resolve, reject) => {
          const all = db.transaction('jobs').objectStore('jobs').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        });
        return entries.some((entry) => entry.subject === subject) === held;
      } finally {
        db.close();
      }
    },
    { name: JOB_JOURNAL_DB_NAME, subject, held },
    { polling: 50 },
  );
}

/**
 * Installs a gate in a worker (the hash or the validator worker): while held, each read of a job's
 * file waits until released, whether a slice's `Blob.arrayBuffer()` or a read of the file's byte
 * stream (`ReadableStreamBYOBReader.read`, how a validator worker's pass reads; its reads that
 * fill the rest of a view already begun belong to the read that began it, and pass). The worker's
 * event loop stays free, so cancel messages still arrive. A released read completes no sooner than
 * `minHoldMs` after it began (so a progress throttle reports each one). Reads of `chunkBytes`
 * exactly (a validator's chunks; sniffing and previews read 64 KiB) are counted ({@link chunkReads}).
 */
export async function installHashGate(target: Worker, minHoldMs = 0, chunkBytes = 0): Promise<void> {
  await target.evaluate(
    ({ minHoldMs, chunkBytes }) => {
      interface Gate {
        hold(): void;
        release(reads: number): void;
        open(): void;
        held(): Promise<void>;
        chunkReads(): number;
      }
      const scope = globalThis as typeof globalThis & { preflightTestGate?: Gate };
      if (scope.preflightTestGate) throw new Error('this worker has a gate already');
      let holding = false;
      let allowance = 0;
      let chunkReads = 0;
      const waiting: { since: number; go: () => void }[] = [];
      let onHeld: (() => void)[] = [];
      const pass = () => {
        while (waiting.length > 0 && (!holding || allowance > 0)) {
          if (holding) allowance -= 1;
          const next = waiting.shift();
          if (next) setTimeout(next.go, Math.max(0, next.since + minHoldMs - performance.now()));
        }
      };
      /** `read` once the gate lets a read of `bytes` through. */
      const gated = <T>(bytes: number, read: () => Promise<T>): Promise<T> => {
        if (bytes === chunkBytes) chunkReads += 1;
        if (!holding && waiting.length === 0) return read();
        return new Promise<void>((go) => {
          waiting.push({ since: performance.now(), go });
          pass();
          if (waiting.length > 0) {
            for (const notify of onHeld) notify();
            onHeld = [];
          }
        }).then(read);
      };
      const sliceRead = Blob.prototype.arrayBuffer;
      Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob) {
        return gated(this.size, () => sliceRead.call(this));
      };
      const streamRead = ReadableStreamBYOBReader.prototype.read;
      ReadableStreamBYOBReader.prototype.read = function read(
        this: ReadableStreamBYOBReader,
        ...args: Parameters<ReadableStreamBYOBReader['read']>
      ) {
        const [view] = args;
        if (view.byteOffset > 0) return streamRead.apply(this, args);
        return gated(view.byteLength, () => streamRead.apply(this, args));
      } as ReadableStreamBYOBReader['read'];
      scope.preflightTestGate = {
        hold() {
          holding = true;
          allowance = 0;
        },
        release(reads) {
          allowance += reads;
          pass();
        },
        open() {
          holding = false;
          pass();
        },
        held: () =>
          waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => onHeld.push(resolve)),
        chunkReads: () => chunkReads,
      };
    },
    { minHoldMs, chunkBytes },
  );
}

/** Reads of whole chunks (`chunkBytes` of {@link installHashGate}) the worker has begun since its gate was installed. */
export function chunkReads(worker: Worker): Promise<number> {
  return worker.evaluate(() =>
    (globalThis as unknown as { preflightTestGate: { chunkReads(): number } }).preflightTestGate.chunkReads(),
  );
}

export type GateAction = { action: 'hold' } | { action: 'release'; reads: number } | { action: 'open' };

/** Holds the gate, lets `reads` more chunk reads through, or opens it (every read passes). */
export async function hashGate(worker: Worker, command: GateAction): Promise<void> {
  await worker.evaluate((c) => {
    const g = (
      globalThis as unknown as {
        preflightTestGate: { hold(): void; release(reads: number): void; open(): void };
      }
    ).preflightTestGate;
    if (c.action === 'hold') g.hold();
    else if (c.action === 'release') g.release(c.reads);
    else g.open();
  }, command);
}

/**
 * Resolves once the gate holds a chunk read (at once when it already does): a job's work in this
 * worker has begun.
 */
export function readHeld(worker: Worker): Promise<void> {
  return worker.evaluate(() =>
    (globalThis as unknown as { preflightTestGate: { held(): Promise<void> } }).preflightTestGate.held(),
  );
}
