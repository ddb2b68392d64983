/**
 * Test helpers: in-memory inputs (optionally read in odd-sized, reused chunks), and the demo
 * extracts with their contracts (samples/) run through the engine.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileColumnContract, compilePlan } from '../../src/core/contract/index.ts';
import type { CsvSource, FullRowValidator } from '../../src/core/validation/index.ts';

/** The repository's root. */
export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** samples/ */
export const SAMPLES_DIR = join(REPO_DIR, 'samples');
/**
 * An input held in memory. Each read returns a copy in one reused buffer, as the CLI's file reader
 * does, so code that keeps a chunk after the next read is caught.
 */
export function memorySource(name: string, bytes: Uint8Array): CsvSource {
  let buffer = new Uint8Array(0);
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => {
      if (buffer.length < length) buffer = new Uint8Array(length);
      const part = bytes.subarray(offset, offset + length);
      buffer.set(part);
      return buffer.subarray(0, part.length);
    },
  };
}

/** A contract from samples/contracts compiled as the CLI does: its plan and its ajv validator. */
export function sampleContract(file: string): {
  contract: Record<string, unknown>;
  plan: ReturnType<typeof compilePlan>;
  validate: FullRowValidator;
} {
  const contract = JSON.parse(readFileSync(join(SAMPLES_DIR, 'contracts', file), 'utf8')) as Record<
    string,
    unknown
  >;
  const compiled = compileColumnContract(contract);
  if (!compiled.ok) throw new Error(`sample contract ${file} does not compile`);
  return { contract, plan: compilePlan(contract), validate: compiled.validate };
}

/** A sample extract's bytes. */
export function sampleBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(SAMPLES_DIR, 'legacy', file)));
}
