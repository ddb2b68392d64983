import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSamplePlan, type SamplePlan } from '../../../formats/samplePlan.ts';
import { fixtureSamplePlan } from '../../../formats/testing/fixtures.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { isLocked, lockPlan, newSeed, PlanLockError, planHash, supersedePlan } from './planLock.ts';

const DATA = { name: 'patients.csv', bytes: 877_257, sha256: 'a'.repeat(64) };
const LOCKED_AT = '2024-07-08T09:30:00-04:00';

function locked(plan: SamplePlan = fixtureSamplePlan()): SamplePlan {
  return lockPlan(plan, [DATA], LOCKED_AT);
}

describe('plan lock', () => {
  it('records when and over which files, and the locked plan still loads', () => {
    const plan = locked();
    expect(isLocked(plan)).toBe(true);
    expect(plan.lock).toEqual({ lockedAt: LOCKED_AT, datasets: [DATA] });
    const loaded = loadSamplePlan(JSON.parse(JSON.stringify(plan)));
    expect(loaded.ok).toBe(true);
  });

  it('hashes the whole locked plan as canonical JSON, independent of key order', () => {
    const plan = locked();
    expect(planHash(plan)).toBe(canonicalSha256Hex(plan));
    const reordered = JSON.parse(JSON.stringify(plan, Object.keys(plan).reverse())) as SamplePlan;
    expect(planHash({ ...reordered, lock: plan.lock, population: plan.population })).toBe(planHash(plan));
    expect(planHash(plan)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('any change to a locked plan changes its hash', () => {
    const plan = locked();
    fc.assert(
      fc.property(
        fc.constantFrom('targetErrorRate', 'confidence', 'seed', 'lockedAt', 'sha256', 'size'),
        (field) => {
          const changed: SamplePlan = structuredClone(plan);
          if (field === 'targetErrorRate') changed.targetErrorRate += 0.001;
          if (field === 'confidence') changed.confidence = 0.99;
          if (field === 'seed') changed.seed = `${plan.seed}0`;
          if (field === 'lockedAt' && changed.lock) changed.lock.lockedAt = '2024-07-08T09:31:00-04:00';
          if (field === 'sha256' && changed.lock?.datasets[0])
            changed.lock.datasets[0].sha256 = 'b'.repeat(64);
          if (field === 'size' && changed.population.strata[0]) changed.population.strata[0].size += 1;
          return planHash(changed) !== planHash(plan);
        },
      ),
    );
  });

  const refused: { description: string; run: () => unknown; code: string }[] = [
    {
      description: 'locking twice',
      run: () => lockPlan(locked(), [DATA], LOCKED_AT),
      code: 'already-locked',
    },
    {
      description: 'locking without files',
      run: () => lockPlan(fixtureSamplePlan(), [], LOCKED_AT),
      code: 'no-datasets',
    },
    {
      description: 'a fingerprint in upper case',
      run: () => lockPlan(fixtureSamplePlan(), [{ ...DATA, sha256: 'A'.repeat(64) }], LOCKED_AT),
      code: 'bad-fingerprint',
    },
    {
      description: 'a negative size',
      run: () => lockPlan(fixtureSamplePlan(), [{ ...DATA, bytes: -1 }], LOCKED_AT),
      code: 'bad-fingerprint',
    },
    {
      description: 'superseding an unlocked plan',
      run: () => supersedePlan(fixtureSamplePlan(), { id: 'p2', now: LOCKED_AT, seed: 'ff' }),
      code: 'not-locked',
    },
    {
      description: 'superseding with the same seed (topping up)',
      run: () =>
        supersedePlan(locked(), { id: 'p2', now: LOCKED_AT, seed: fixtureSamplePlan().seed.toUpperCase() }),
      code: 'same-seed',
    },
  ];
  it.each(refused)('refuses $description', ({ run, code }) => {
    expect(run).toThrow(PlanLockError);
    try {
      run();
    } catch (error) {
      expect((error as PlanLockError).code).toBe(code);
    }
  });

  it('a superseding plan is unlocked, keeps the targets and strata, and names the old hash', () => {
    const old = locked();
    const next = supersedePlan(old, { id: 'p2', now: '2024-07-20T10:00:00-04:00', seed: '0123456789abcdef' });
    expect(isLocked(next)).toBe(false);
    expect(next).toMatchObject({
      id: 'p2',
      seed: '0123456789abcdef',
      createdAt: '2024-07-20T10:00:00-04:00',
      supersedes: planHash(old),
      targetErrorRate: old.targetErrorRate,
      population: old.population,
    });
    expect(loadSamplePlan(JSON.parse(JSON.stringify(next))).ok).toBe(true);
  });

  it('new seeds are 16 hex digits from the given random bytes', () => {
    expect(newSeed((n) => new Uint8Array(n).fill(0xab))).toBe('abababababababab');
    expect(newSeed((n) => Uint8Array.from({ length: n }, (_, i) => i))).toBe('0001020304050607');
  });
});
