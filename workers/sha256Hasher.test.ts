import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createSHA256 } from 'hash-wasm';
import { describe, expect, it, vi } from 'vitest';
import { type ReadChunk, sha256Chunks } from '../src/core/hash/index.ts';
import { createHashApi } from './hashApi.ts';
import {
  createSha256Hashers,
  hasWebAssembly,
  type Sha256Engine,
  type Sha256HasherEnvironment,
} from './sha256Hasher.ts';

function nodeSha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A reader over an in-memory buffer that hands out one reused buffer, as the CLI's file handle does. */
function reusingReader(data: Uint8Array): ReadChunk {
  let shared = new Uint8Array(0);
  return async (offset, length) => {
    if (shared.byteLength < length) shared = new Uint8Array(length);
    shared.set(data.subarray(offset, offset + length));
    return shared.subarray(0, Math.min(length, data.byteLength - offset));
  };
}

/** A WebAssembly compile refused as a CSP without 'wasm-unsafe-eval' refuses it in Chromium. */
const refusedByCsp = () =>
  Promise.reject(
    new WebAssembly.CompileError(
      "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source",
    ),
  );

const engines: {
  description: string;
  environment: () => Sha256HasherEnvironment;
  expected: Sha256Engine[];
  /** How often hash-wasm is asked for a hasher over the two inputs. */
  wasmCalls: number;
}[] = [
  {
    description: 'WebAssembly available and allowed → hash-wasm for every input',
    environment: () => ({ webAssemblyAvailable: true, createWasmSha256: createSHA256 }),
    expected: ['hash-wasm', 'hash-wasm'],
    wasmCalls: 2,
  },
  {
    description: 'no WebAssembly → fast-sha256, hash-wasm never tried',
    environment: () => ({
      webAssemblyAvailable: false,
      createWasmSha256: () => {
        throw new Error('must not be called without WebAssembly');
      },
    }),
    expected: ['fast-sha256', 'fast-sha256'],
    wasmCalls: 0,
  },
  {
    description: 'WebAssembly present but compiling refused → fast-sha256 from the first input on',
    environment: () => ({ webAssemblyAvailable: true, createWasmSha256: refusedByCsp }),
    expected: ['fast-sha256', 'fast-sha256'],
    // a refused compile is tried once, not once per file
    wasmCalls: 1,
  },
];

describe('the hash worker picks its SHA-256 engine', () => {
  it.each(engines)('$description', async ({ environment, expected, wasmCalls }) => {
    const env = environment();
    const createWasm = vi.fn(env.createWasmSha256);
    const hashers = createSha256Hashers({ ...env, createWasmSha256: createWasm });
    const data = new TextEncoder().encode('abc');
    const seen: Sha256Engine[] = [];
    for (const _ of expected) {
      const { engine, hasher } = await hashers.create();
      seen.push(engine);
      const digest = await sha256Chunks(reusingReader(data), { totalBytes: data.byteLength, hasher });
      expect(digest.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    }
    expect(seen).toEqual(expected);
    expect(hashers.engine()).toBe(expected.at(-1));
    expect(createWasm).toHaveBeenCalledTimes(wasmCalls);
  });

  it.each([
    { description: 'a scope without WebAssembly', scope: {}, expected: false },
    {
      description: 'WebAssembly without compile',
      scope: { WebAssembly: { instantiate() {} } },
      expected: false,
    },
    { description: 'the real WebAssembly', scope: { WebAssembly }, expected: true },
  ])('hasWebAssembly: $description → $expected', ({ scope, expected }) => {
    expect(hasWebAssembly(scope)).toBe(expected);
  });

  it('the worker API hashes a file with fast-sha256 when WebAssembly is missing, to the same digest', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) & 0xff);
    const withoutWasm = createHashApi(
      createSha256Hashers({ webAssemblyAvailable: false, createWasmSha256: refusedByCsp }),
    );
    const withWasm = createHashApi();
    const file = new File([bytes], 'patients.csv');
    const expected = { sha256: nodeSha256(bytes), bytes: bytes.byteLength };
    await expect(withoutWasm.hashFile('a', file, () => {})).resolves.toEqual(expected);
    await expect(withWasm.hashFile('b', file, () => {})).resolves.toEqual(expected);
  });
});

describe('every engine gives node:crypto’s digest', () => {
  it('for any bytes, any chunk size, through sha256Chunks (property; seed printed on failure)', async () => {
    const wasm = createSha256Hashers({ webAssemblyAvailable: true, createWasmSha256: createSHA256 });
    const js = createSha256Hashers({ webAssemblyAvailable: false, createWasmSha256: refusedByCsp });
    await fc.assert(
      fc.asyncProperty(
        // past hash-wasm's 16 KiB copy window and SHA-256's 64-byte blocks, with and without remainders
        fc.uint8Array({ maxLength: 40_000 }),
        fc.integer({ min: 1, max: 45_000 }),
        async (data, chunkBytes) => {
          const expected = nodeSha256(data);
          for (const source of [wasm, js]) {
            const { hasher } = await source.create();
            const result = await sha256Chunks(reusingReader(data), {
              totalBytes: data.byteLength,
              chunkBytes,
              hasher,
            });
            expect(result).toEqual({ sha256: expected, bytes: data.byteLength });
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(wasm.engine()).toBe('hash-wasm');
  });
});
