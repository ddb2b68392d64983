/** A worker's preparations (compiled contracts, mappings' row checks): once per text, bounded, failures not kept. */
import { describe, expect, it } from 'vitest';
import { createPreparedCache } from './preparedCache.ts';

describe('createPreparedCache', () => {
  it('prepares a text once and gives the same preparation to every later file', async () => {
    const prepared = createPreparedCache<{ text: string }>();
    let runs = 0;
    const prepare = (text: string) => () => {
      runs++;
      return { text };
    };
    const first = await prepared('{"a":1}', prepare('{"a":1}'));
    expect(await prepared('{"a":1}', prepare('{"a":1}'))).toBe(first);
    await prepared('{"b":2}', prepare('{"b":2}'));
    expect(runs).toBe(2);
  });

  it('lets everything go past its bound, and prepares again what it let go', async () => {
    const prepared = createPreparedCache<number>(2);
    let runs = 0;
    const prepare = () => ++runs;
    await prepared('a', prepare);
    await prepared('b', prepare);
    await prepared('c', prepare);
    expect(await prepared('c', prepare)).toBe(3);
    expect(await prepared('a', prepare)).toBe(4);
  });

  it('does not keep a preparation that failed, thrown or rejected', async () => {
    const prepared = createPreparedCache<string>();
    await expect(
      prepared('x', () => {
        throw new Error('does not compile');
      }),
    ).rejects.toThrow('does not compile');
    await expect(prepared('x', () => Promise.reject(new Error('cannot read')))).rejects.toThrow(
      'cannot read',
    );
    expect(await prepared('x', () => 'compiled')).toBe('compiled');
  });
});
