/**
 * The SHA-256 of each file a command read, for its report: streamed through the core's
 * `sha256Chunks` (the function the browser's fingerprint runs), with Node's own SHA-256 as the
 * hash engine — the same digest as `sha256sum` and `preflight hash`, at the speed of the
 * platform's implementation.
 *
 * Constraint: memory is one chunk per file, whatever its size.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { IncrementalSha256 } from '../core/hash/index.ts';
import { hashFileAtPath } from './commands/hash.ts';

/** Node's SHA-256 as the core's incremental hasher. */
function createNodeSha256(): IncrementalSha256 {
  const hash = createHash('sha256');
  return {
    update: (bytes) => {
      hash.update(bytes);
    },
    digest: () => new Uint8Array(hash.digest()),
  };
}

/** The lowercase hex SHA-256 of each of `files` (relative to `cwd`), by the name given. */
export async function digestFiles(
  files: readonly string[],
  cwd: string,
  /** where an input that is no file of its own is (an archive's entry, unzipped), by its name */
  at: ReadonlyMap<string, string> = new Map(),
): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const file of files) {
    const digest = await hashFileAtPath(at.get(file) ?? path.resolve(cwd, file), {
      displayName: file,
      hasher: createNodeSha256(),
    });
    digests[file] = digest.sha256;
  }
  return digests;
}
