/**
 * A package is untrusted input: a gzip bomb, an archive of countless files, one huge file or a
 * path nested hundreds deep is refused with a message naming the bound, before memory grows.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBomb, tar } from '../../../tests/fixtures/tgz.ts';
import { IgPackageError, readIgPackage } from './igPackage.ts';
import { gunzip, PACKAGE_LIMITS, readTar, TarReadError } from './tar.ts';

const MiB = 1024 * 1024;

/** One tar header block: `name`, a regular file of `size` bytes (the body is not added). */
function tarHeader(name: string, size: number): Uint8Array {
  const encoder = new TextEncoder();
  const header = new Uint8Array(512);
  header.set(encoder.encode(name), 0);
  header.set(encoder.encode(`${size.toString(8).padStart(11, '0')}\0`), 124);
  header[156] = '0'.charCodeAt(0);
  header.set(encoder.encode('ustar\0'), 257);
  return header;
}

describe('package archive bounds', () => {
  it('refuses a gzip bomb as soon as it unpacks past the bound, naming it', async () => {
    // 64 MiB from 64 KiB; the bound is lowered to 8 MiB so the test is quick
    const bomb = gzipBomb(64);
    expect(bomb.length).toBeLessThan(MiB / 8);
    const refusal = await readIgPackage(bomb, 8 * MiB).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IgPackageError);
    expect((refusal as Error).message).toMatch(
      /^The package unpacks to more than 8 MB, far more than any implementation guide; it is not a usable FHIR package/,
    );
    expect(PACKAGE_LIMITS.maxUnpackedBytes).toBe(256 * MiB);
  });

  it('still unpacks a package up to the bound', async () => {
    const archive = tar({ 'package/package.json': '{}' });
    expect(await gunzip(new Uint8Array(gzipSync(archive)), archive.length)).toEqual(archive);
    await expect(gunzip(new Uint8Array(gzipSync(archive)), archive.length - 1)).rejects.toThrow(TarReadError);
  });

  it.each([
    {
      description: 'more files than the bound',
      archive: () =>
        tar(
          Object.fromEntries(
            Array.from({ length: PACKAGE_LIMITS.maxEntries + 1 }, (_, i) => [`package/f${i}`, '']),
          ),
        ),
      message: /^The package holds more than 20,000 files/,
    },
    {
      description: 'one file larger than the bound (refused from its header, before its bytes)',
      archive: () => tarHeader('package/big.json', PACKAGE_LIMITS.maxFileBytes + 1),
      message: /^A file in the package is larger than 64 MB/,
    },
    {
      description: 'a file nested deeper than the bound',
      archive: () => tar({ [`package/${'a/'.repeat(PACKAGE_LIMITS.maxDepth)}x.json`]: '{}' }),
      message: /^A file in the package sits more than 16 folders deep/,
    },
  ])('refuses $description', ({ archive, message }) => {
    let refusal: unknown;
    try {
      readTar(archive());
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TarReadError);
    expect((refusal as Error).message).toMatch(message);
  });

  it('reads files at the bounds', () => {
    const deepest = `package/${'a/'.repeat(PACKAGE_LIMITS.maxDepth - 1)}x.json`;
    expect(readTar(tar({ [deepest]: '{}' })).map((f) => f.path)).toEqual([deepest]);
  });
});
