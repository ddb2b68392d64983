/**
 * The hash worker's SHA-256 engine: hash-wasm (WebAssembly) where the worker may compile it, else
 * fast-sha256 (pure JS). Both give the same digest; hash-wasm is the faster one (`npm run bench`
 * prints the ratio; tests/bench/RESULTS.md).
 *
 * Constraints:
 * - hash-wasm compiles its embedded module with `WebAssembly.compile`, which a CSP allows only with
 *   `'wasm-unsafe-eval'` (the hash worker's, `hashWorkerContentSecurityPolicy` in
 *   src/core/http/securityHeaders.ts) or `'unsafe-eval'` (the validator worker's, which hashes the
 *   files it validates from the bytes it reads); the page's policy allows neither.
 * - Where WebAssembly is missing (a browser with it switched off, a locked-down profile) the worker
 *   never tries it and hashes with fast-sha256. Where compiling fails anyway (dist/ served by a host
 *   that puts the page's policy on every file), the first hash falls back and later ones go straight
 *   to fast-sha256: a fingerprint is never refused for want of speed.
 * - Kept out of src/core (which stays engine-agnostic: `sha256Chunks` takes the hasher) so the
 *   WebAssembly global is touched only by adapters.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { createJsSha256, type IncrementalSha256 } from '../src/core/hash/index.ts';

/** Which implementation hashes. */
export type Sha256Engine = 'hash-wasm' | 'fast-sha256';

/** What {@link createSha256Hashers} needs from its environment (injected so tests can take it away). */
export interface Sha256HasherEnvironment {
  /** Whether this global scope has a usable `WebAssembly`. */
  webAssemblyAvailable: boolean;
  /** hash-wasm's `createSHA256` (compiles the module once per worker, then instantiates it). */
  createWasmSha256: () => Promise<IHasher>;
}

/** Gives a fresh hasher per input, from the fastest engine that works here. */
export interface Sha256Hashers {
  /** The engine the next {@link Sha256Hashers.create} will try first. */
  engine(): Sha256Engine;
  /** A fresh hasher for one input, and the engine that made it. */
  create(): Promise<{ engine: Sha256Engine; hasher: IncrementalSha256 }>;
}

/** Whether `scope` has a WebAssembly that can compile modules. */
export function hasWebAssembly(scope: { WebAssembly?: unknown }): boolean {
  const wasm = scope.WebAssembly as { compile?: unknown; instantiate?: unknown } | undefined;
  return typeof wasm?.compile === 'function' && typeof wasm.instantiate === 'function';
}

/** The environment of the running global scope (worker, page or Node). */
function currentSha256Environment(): Sha256HasherEnvironment {
  return { webAssemblyAvailable: hasWebAssembly(globalThis), createWasmSha256: createSHA256 };
}

/** Adapts a hash-wasm hasher to the core's {@link IncrementalSha256}. */
function fromHashWasm(wasm: IHasher): IncrementalSha256 {
  wasm.init();
  return {
    update: (bytes) => {
      wasm.update(bytes);
    },
    digest: () => wasm.digest('binary'),
  };
}

/**
 * The hasher source of one worker: hash-wasm when WebAssembly is available and compiles, else
 * fast-sha256 (decided on the first {@link Sha256Hashers.create}, then kept).
 */
export function createSha256Hashers(
  environment: Sha256HasherEnvironment = currentSha256Environment(),
): Sha256Hashers {
  let engine: Sha256Engine = environment.webAssemblyAvailable ? 'hash-wasm' : 'fast-sha256';
  return {
    engine: () => engine,
    async create() {
      if (engine === 'hash-wasm') {
        try {
          return { engine, hasher: fromHashWasm(await environment.createWasmSha256()) };
        } catch {
          // Compiling was refused (CSP) or failed: fall back for good, the digest is the same.
          engine = 'fast-sha256';
        }
      }
      return { engine, hasher: createJsSha256() };
    },
  };
}
