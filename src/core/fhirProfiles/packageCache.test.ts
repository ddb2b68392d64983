/** Packages read once per content, by the page's workers and the CLI's alike. */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { IgPackageError } from './igPackage.ts';
import { createIgPackageCache } from './packageCache.ts';

const manifest = (version: string) => ({
  'package/package.json': JSON.stringify({ name: 'example.ig', version, fhirVersions: ['4.0.1'] }),
});

describe('createIgPackageCache', () => {
  it('reads the same bytes once, and other bytes on their own', async () => {
    const read = createIgPackageCache();
    const bytes = tgz(manifest('1.0.0'));
    const first = await read(bytes);
    expect(await read(new Uint8Array(bytes))).toBe(first);
    const other = await read(tgz(manifest('1.0.1')));
    expect(other).not.toBe(first);
    expect([first.version, other.version]).toEqual(['1.0.0', '1.0.1']);
  });

  it('refuses bytes that are not a package, each time they are given', async () => {
    const read = createIgPackageCache();
    const bytes = new TextEncoder().encode('not a package');
    await expect(read(bytes)).rejects.toBeInstanceOf(IgPackageError);
    await expect(read(bytes)).rejects.toBeInstanceOf(IgPackageError);
  });
});
