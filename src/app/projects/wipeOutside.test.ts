import { describe, expect, it } from 'vitest';
import { createFakeOpfs } from '../../../workers/testing/fakeOpfs.ts';
import { wipeOutsideIndexedDb } from './wipeOutside.ts';

describe('wipeOutsideIndexedDb', () => {
  it('removes every OPFS entry, every cache and both web storages', async () => {
    const opfs = createFakeOpfs();
    const spill = await opfs.root.getDirectoryHandle('preflight-key-spill', { create: true });
    await (await spill.getDirectoryHandle('crashed-run', { create: true })).getFileHandle('k.keys', {
      create: true,
    });
    await opfs.root.getFileHandle('loose', { create: true });
    const cacheNames = new Set(['assets-v1', 'other']);
    const cleared: string[] = [];
    await wipeOutsideIndexedDb({
      opfsRoot: async () => opfs.root,
      caches: {
        keys: async () => [...cacheNames],
        delete: async (name: string) => cacheNames.delete(name),
      },
      webStorages: () => [
        { clear: () => void cleared.push('local') },
        { clear: () => void cleared.push('session') },
      ],
    });
    expect(opfs.paths()).toEqual([]);
    expect([...cacheNames]).toEqual([]);
    expect(cleared).toEqual(['local', 'session']);
  });

  it('goes on past parts the browser lacks or refuses, and never rejects', async () => {
    const cleared: string[] = [];
    await expect(
      wipeOutsideIndexedDb({
        opfsRoot: () => Promise.reject(new DOMException('no', 'SecurityError')),
        caches: { keys: () => Promise.reject(new Error('insecure')), delete: async () => false },
        webStorages: () => [
          {
            clear: () => {
              throw new DOMException('no', 'SecurityError');
            },
          },
          { clear: () => void cleared.push('session') },
        ],
      }),
    ).resolves.toBeUndefined();
    expect(cleared).toEqual(['session']);
  });
});
