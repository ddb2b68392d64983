/**
 * "sha256 file hashing": Preflight's `sha256Chunks` (pure-JS fast-sha256, read through a Node file
 * handle exactly as `preflight hash` does) against node:crypto (OpenSSL, native) streaming the same
 * file, at several chunk sizes so the default chunk size is a measured choice; and the browser hash
 * worker's engine, hash-wasm, against fast-sha256 at the worker's 16 MiB reads (`vsJs`: the MB/s
 * ratio of the two engines, measured in the same run).
 *
 * Node's native hash is the ceiling, not the target: the browser has no incremental native SHA-256
 * (WebCrypto is one-shot), so the ratio says what JS or WebAssembly costs. Only the hash worker's
 * CSP allows compiling WebAssembly (`'wasm-unsafe-eval'`); the fallback without it is fast-sha256.
 * Size: `BENCH_HASH_MB` (MiB, default 512). The file is pseudo-random (seeded) and deleted afterwards.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { hashFileAtPath } from '../../src/cli/commands/hash.ts';
import { createJsSha256, DEFAULT_HASH_CHUNK_BYTES } from '../../src/core/hash/index.ts';
import { HASH_WORKER_CHUNK_BYTES } from '../../workers/hashApi.ts';
import { createSha256Hashers } from '../../workers/sha256Hasher.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import { type BenchEntry, type BenchResult, measure, megabytesPerSecond, type Timing } from './bench.ts';

const MIB = 1024 * 1024;
const DEFAULT_SIZE_MIB = 512;
/** Chunk sizes compared; the default (8 MiB) sits between a small and a large one. */
const CHUNK_SIZES = [1 * MIB, DEFAULT_HASH_CHUNK_BYTES, 32 * MIB];
/** Block written at a time while creating the test file. */
const WRITE_BLOCK_BYTES = 8 * MIB;
/** Seed of the xorshift32 generator, so every run hashes the same bytes. */
const SEED = 0x9e3779b9;

function sizeFromEnv(): number {
  const raw = process.env.BENCH_HASH_MB;
  if (raw === undefined || raw === '') return DEFAULT_SIZE_MIB * MIB;
  const mib = Number(raw);
  if (!Number.isFinite(mib) || mib <= 0)
    throw new Error(`BENCH_HASH_MB must be a positive number of MiB, got "${raw}".`);
  return Math.round(mib * MIB);
}

/** Writes `bytes` pseudo-random bytes (xorshift32): incompressible, and reproducible across runs. */
async function writePseudoRandomFile(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  const words = new Uint32Array(WRITE_BLOCK_BYTES / Uint32Array.BYTES_PER_ELEMENT);
  let state = SEED;
  try {
    for (let written = 0; written < bytes; written += WRITE_BLOCK_BYTES) {
      for (let i = 0; i < words.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state >>> 0;
      }
      const length = Math.min(WRITE_BLOCK_BYTES, bytes - written);
      await handle.write(new Uint8Array(words.buffer, 0, length));
    }
  } finally {
    await handle.close();
  }
}

/** node:crypto's streaming hash over `fs.createReadStream` with its default 64 KiB buffer. */
async function nodeCryptoSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads the file through a file handle without hashing: how much of our time is I/O. */
async function readOnly(file: string, chunkBytes: number): Promise<void> {
  const handle = await open(file, 'r');
  const buffer = new Uint8Array(chunkBytes);
  try {
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** How long the browser variant may take per run before the bench gives up. */
const BROWSER_RUN_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The user's real path: the production build served as `npm start` serves it, the Migration
 * workspace's "Fingerprint a file" tool, the hash worker, in Debian's Chromium. Timed from choosing
 * the file to the digest on screen. Returns null (with a reason) when Chromium is not installed.
 */
async function browserWorkerSha256(
  file: string,
  digests: Set<string>,
): Promise<{ timing: Timing } | { skipped: string }> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `no Chromium at ${CHROMIUM_PATH}` };
  // always rebuild: a stale dist/ would measure old code
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.resolvedUrls?.local[0] ?? ''}#/migration`);
    const input = page.getByLabel('File to fingerprint');
    await input.waitFor();
    const timing = await measure(async () => {
      await input.setInputFiles([]);
      await input.setInputFiles(file);
      const digest = page.getByTestId('sha256');
      await digest.waitFor({ timeout: BROWSER_RUN_TIMEOUT_MS });
      digests.add((await digest.textContent()) ?? '');
    });
    return { timing };
  } finally {
    await browser.close();
    await server.close();
  }
}

function mib(bytes: number): string {
  return `${bytes / MIB} MiB`;
}

/** The benchmark entry. */
export const sha256FileBench: BenchEntry = {
  id: 'sha256-file',
  title: 'sha256 file hashing',
  async run(): Promise<BenchResult> {
    const bytes = sizeFromEnv();
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-'));
    const file = path.join(dir, 'input.bin');
    try {
      await writePseudoRandomFile(file, bytes);
      const digests = new Set<string>();
      const node = await measure(async () => digests.add(await nodeCryptoSha256(file)));
      const rows: BenchResult['rows'] = [
        {
          variant: 'node:crypto createHash (stream, 64 KiB)',
          chunk: '64 KiB',
          bestMBps: round(megabytesPerSecond(bytes, node.bestMs)),
          medianMBps: round(megabytesPerSecond(bytes, node.medianMs)),
          vsNode: 1,
        },
      ];
      for (const chunkBytes of CHUNK_SIZES) {
        const ours = await measure(async () =>
          digests.add((await hashFileAtPath(file, { chunkBytes })).sha256),
        );
        rows.push({
          variant: `preflight sha256Chunks (fast-sha256)${chunkBytes === DEFAULT_HASH_CHUNK_BYTES ? ' [default]' : ''}`,
          chunk: mib(chunkBytes),
          bestMBps: round(megabytesPerSecond(bytes, ours.bestMs)),
          medianMBps: round(megabytesPerSecond(bytes, ours.medianMs)),
          vsNode: round(node.bestMs / ours.bestMs, 3),
        });
      }
      // The hash worker's engines at its read size: hash-wasm (its choice) vs fast-sha256 (the fallback).
      const wasmHashers = createSha256Hashers();
      const wasm = await measure(async () => {
        const { engine, hasher } = await wasmHashers.create();
        if (engine !== 'hash-wasm') throw new Error('hash-wasm did not load in Node');
        digests.add((await hashFileAtPath(file, { chunkBytes: HASH_WORKER_CHUNK_BYTES, hasher })).sha256);
      });
      const js = await measure(async () =>
        digests.add(
          (await hashFileAtPath(file, { chunkBytes: HASH_WORKER_CHUNK_BYTES, hasher: createJsSha256() }))
            .sha256,
        ),
      );
      for (const [variant, timing] of [
        ['hash worker engine: fast-sha256 (fallback without WebAssembly)', js],
        ['hash worker engine: hash-wasm [default in the worker]', wasm],
      ] as const) {
        rows.push({
          variant,
          chunk: mib(HASH_WORKER_CHUNK_BYTES),
          bestMBps: round(megabytesPerSecond(bytes, timing.bestMs)),
          medianMBps: round(megabytesPerSecond(bytes, timing.medianMs)),
          vsNode: round(node.bestMs / timing.bestMs, 3),
          vsJs: round(js.bestMs / timing.bestMs, 3),
        });
      }
      const notes: string[] = [
        `hash-wasm vs fast-sha256 in Node at ${mib(HASH_WORKER_CHUNK_BYTES)}: ${round(js.bestMs / wasm.bestMs, 2)}× the MB/s`,
      ];
      const inBrowser = await browserWorkerSha256(file, digests);
      if ('timing' in inBrowser) {
        rows.push({
          variant: 'app in Chromium: hash worker (hash-wasm) via the Fingerprint tool',
          chunk: mib(HASH_WORKER_CHUNK_BYTES),
          bestMBps: round(megabytesPerSecond(bytes, inBrowser.timing.bestMs)),
          medianMBps: round(megabytesPerSecond(bytes, inBrowser.timing.medianMs)),
          vsNode: round(node.bestMs / inBrowser.timing.bestMs, 3),
        });
      } else {
        notes.push(`browser variant skipped: ${inBrowser.skipped}`);
      }
      const io = await measure(() => readOnly(file, DEFAULT_HASH_CHUNK_BYTES));
      rows.push({
        variant: 'file handle read only (no hash)',
        chunk: mib(DEFAULT_HASH_CHUNK_BYTES),
        bestMBps: round(megabytesPerSecond(bytes, io.bestMs)),
        medianMBps: round(megabytesPerSecond(bytes, io.medianMs)),
        vsNode: round(node.bestMs / io.bestMs, 3),
      });
      if (digests.size !== 1) throw new Error(`Digests differ between variants: ${[...digests].join(', ')}`);
      return {
        params: { bytes, sizeMiB: bytes / MIB, warmups: 1, repeats: 3 },
        columns: ['variant', 'chunk', 'bestMBps', 'medianMBps', 'vsNode', 'vsJs'],
        rows,
        notes: [
          `all variants agree: ${[...digests][0]}`,
          'vsNode = node best time / variant best time (1 = as fast)',
          'vsJs = fast-sha256 best time / variant best time, both at the worker’s 16 MiB reads',
          'the browser row includes choosing the file and rendering the result: what a user waits for',
          ...notes,
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
