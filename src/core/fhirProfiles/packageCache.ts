/**
 * Implementation guide packages read once per content: the page's FHIR and validator workers and
 * the CLI's validate workers are handed a run's packages again for each file or mapping (as Blobs,
 * or by path), and a package of megabytes is unpacked and parsed only the first time its bytes
 * are seen.
 *
 * Constraints: kept by the SHA-256 of the `.tgz` bytes (never by file name: a file chosen again
 * may have changed); a package that cannot be read is not kept.
 */
import { sha256Hex } from '../hash/index.ts';
import { type IgPackage, readIgPackage } from './igPackage.ts';

/** Reads a package from its bytes, or gives the one read before from the same bytes. */
export type IgPackageReader = (tgz: Uint8Array) => Promise<IgPackage>;

/**
 * A reader of packages that keeps each by its bytes' SHA-256, unpacking at most
 * `maxUnpackedBytes` (default: `readIgPackage`'s bound). Throws what `readIgPackage` throws.
 */
export function createIgPackageCache(maxUnpackedBytes?: number): IgPackageReader {
  const bySha = new Map<string, Promise<IgPackage>>();
  return (tgz) => {
    const sha = sha256Hex(tgz);
    let pkg = bySha.get(sha);
    if (!pkg) {
      const reading = readIgPackage(tgz, maxUnpackedBytes);
      bySha.set(sha, reading);
      reading.catch(() => {
        if (bySha.get(sha) === reading) bySha.delete(sha);
      });
      pkg = reading;
    }
    return pkg;
  };
}
