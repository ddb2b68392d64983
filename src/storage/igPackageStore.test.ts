import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deletePreflightDb } from './db.ts';
import { IgPackagesWipedError, openIgPackageStore } from './igPackageStore.ts';

let n = 0;
const dbName = () => `ig-packages-test-${++n}`;
const databaseNames = async () => (await indexedDB.databases()).map((d) => d.name);
const entry = (sha: string) => ({
  projectId: 'p1',
  sha256: sha.repeat(64),
  fileName: `${sha}.tgz`,
  file: new Blob([sha]),
});

describe('the package store', () => {
  it('keeps a package per project by SHA-256, across connections, until removed', async () => {
    const name = dbName();
    const first = await openIgPackageStore(name);
    await first.put({
      projectId: 'p1',
      sha256: 'a'.repeat(64),
      fileName: 'ips.tgz',
      file: new Blob(['tgz']),
    });
    await first.put({
      projectId: 'p2',
      sha256: 'b'.repeat(64),
      fileName: 'other.tgz',
      file: new Blob(['x']),
    });
    first.close();
    const again = await openIgPackageStore(name);
    const kept = await again.list('p1');
    expect([...kept.keys()]).toEqual(['a'.repeat(64)]);
    expect(await kept.get('a'.repeat(64))?.file.text()).toBe('tgz');
    await again.remove('p1', 'a'.repeat(64));
    expect((await again.list('p1')).size).toBe(0);
    expect((await again.list('p2')).size).toBe(1);
    again.close();
  });

  it('is emptied by the wipe', async () => {
    const name = dbName();
    const store = await openIgPackageStore(name);
    await store.put({
      projectId: 'p1',
      sha256: 'a'.repeat(64),
      fileName: 'ips.tgz',
      file: new Blob(['tgz']),
    });
    store.close();
    expect(await deletePreflightDb(name)).toBe('deleted');
    const fresh = await openIgPackageStore(name);
    expect((await fresh.list('p1')).size).toBe(0);
    fresh.close();
  });

  it('keeps nothing another tab adds through a wipe, and does not bring the database back', async () => {
    const name = dbName();
    // the other tab opened its store to add a package and is still reading the file
    const other = await openIgPackageStore(name);
    await other.put(entry('a'));
    // "Close and wipe" in the first tab
    await expect(deletePreflightDb(name)).resolves.toBe('deleted');
    await expect(other.put(entry('b'))).rejects.toBeInstanceOf(IgPackagesWipedError);
    expect(await databaseNames()).not.toContain(name);
    other.close();
    // a package added with a store opened after the wipe is kept as any
    const after = await openIgPackageStore(name);
    await after.put(entry('c'));
    expect([...(await after.list('p1')).keys()]).toEqual(['c'.repeat(64)]);
    after.close();
  });
});
