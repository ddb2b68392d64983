/**
 * resultBuffers: what a worker transfers with its result. Proven on the demo's patient extract
 * (failing rows, issue rows, a key with demographics, profiles): every array of the result is on
 * the list, each buffer once, and a result sent with the list arrives equal to what was sent.
 */
import { describe, expect, it } from 'vitest';
import { memorySource, sampleBytes, sampleContract } from '../../../tests/migration/sources.ts';
import { resultBuffers } from './resultBuffers.ts';
import { type CsvValidationResult, validateCsv } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

async function demoResult(): Promise<CsvValidationResult> {
  const source = memorySource('patients.csv', sampleBytes('patients.csv'));
  const { detected: _, ...layout } = await detectLayout(source);
  const { plan, validate } = sampleContract('patients.contract.json');
  return validateCsv(source, {
    layout,
    plan,
    fullValidator: validate,
    keys: [{ column: 'mrn', demographics: ['last_name', 'birth_date'] }],
  });
}

/** Every typed array reachable from `value`, with its path (what must not be copied). */
function typedArrays(value: unknown, path = 'result', found: [string, ArrayBufferView][] = []) {
  if (ArrayBuffer.isView(value)) found.push([path, value]);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) typedArrays(child, `${path}.${key}`, found);
  return found;
}

describe('resultBuffers', () => {
  it('lists the buffer of every non-empty typed array in the result, each once', async () => {
    const result = await demoResult();
    expect(result.failingRows.count).toBeGreaterThan(0);
    const buffers = resultBuffers(result);
    expect(new Set(buffers).size).toBe(buffers.length);
    const arrays = typedArrays(result).filter(([, a]) => a.buffer.byteLength > 0);
    // the demo's result has all kinds: failing rows, issue rows, key chunks and index, sketches
    for (const kind of ['failingRows', 'issueRows', 'keys', 'profiles'])
      expect(arrays.some(([path]) => path.startsWith(`result.${kind}`))).toBe(true);
    const missing = arrays.filter(([, a]) => !buffers.includes(a.buffer as ArrayBuffer)).map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('moves a result that arrives equal to what was sent', async () => {
    const result = await demoResult();
    const expected = structuredClone(result);
    const moved = structuredClone(result, { transfer: resultBuffers(result) });
    expect(moved).toEqual(expected);
    // moved, not copied: the sender's arrays are detached
    expect(result.failingRows.rows.byteLength).toBe(0);
  });
});
