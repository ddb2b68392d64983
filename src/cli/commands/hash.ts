/**
 * `preflight hash <file> [--json]`: the SHA-256 of a file of any size, with the same core function the
 * browser runs in its hash worker (`sha256Chunks`), so both always agree.
 *
 * Constraints:
 * - Memory is one chunk: the file is read at offsets through one reused buffer, never whole.
 * - stdout carries only the result (`<hex>  <file>` like sha256sum, or JSON) so it can be piped;
 *   progress goes to stderr and only when stderr is a terminal.
 * - Exit 2 when the file is missing or unreadable, with which file and why (every failure gives a
 *   location and a next step).
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_HASH_CHUNK_BYTES,
  type IncrementalSha256,
  type Sha256Digest,
  sha256Chunks,
} from '../../core/hash/index.ts';
import { errorKind, InputReadError } from '../../core/jobs/errors.ts';
import type { Progress } from '../../core/jobs/progress.ts';
import {
  type CliIo,
  type Command,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';

/** `causeName` for a path that exists but is not a regular file (a FIFO or device has no size to hash). */
const NOT_A_FILE = 'NotARegularFile';

/** Options of {@link hashFileAtPath}. */
interface HashFileAtPathOptions {
  /** Bytes per read; default {@link DEFAULT_HASH_CHUNK_BYTES}. */
  chunkBytes?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** Name of the file in error locations; defaults to `filePath`. */
  displayName?: string;
  /** A fresh hasher for this file; defaults to the core's (fast-sha256). The bench compares engines. */
  hasher?: IncrementalSha256;
}

/**
 * SHA-256 of the file at `filePath`, read through a Node file handle at offsets (one reused buffer).
 *
 * @throws {InputReadError} when the file cannot be opened, is not a regular file, or a read fails.
 */
export async function hashFileAtPath(
  filePath: string,
  options: HashFileAtPathOptions = {},
): Promise<Sha256Digest> {
  const source = options.displayName ?? filePath;
  const chunkBytes = options.chunkBytes ?? DEFAULT_HASH_CHUNK_BYTES;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new InputReadError({ source }, errorKind(error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputReadError({ source }, stat.isDirectory() ? 'EISDIR' : NOT_A_FILE);
    const buffer = new Uint8Array(Math.min(chunkBytes, Math.max(stat.size, 1)));
    return await sha256Chunks(
      async (offset, length) => {
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
      {
        totalBytes: stat.size,
        chunkBytes,
        signal: options.signal,
        onProgress: options.onProgress,
        source,
        hasher: options.hasher,
      },
    );
  } finally {
    await handle.close();
  }
}

/** Plain-language reasons for the error codes a user can fix. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  [NOT_A_FILE]: 'it is not a regular file',
  UnexpectedEnd: 'the file got shorter while it was being read',
};

function describeReadFailure(error: InputReadError): string {
  const why = READ_FAILURES[error.causeName] ?? `read error ${error.causeName}`;
  const where = error.location.byteOffset ? ` at byte ${error.location.byteOffset}` : '';
  return `cannot read "${error.location.source}"${where}: ${why}.`;
}

/**
 * The file name as sha256sum prints it: names with a backslash or line break get a leading `\`
 * and escapes, so every output line stays one line and `sha256sum -c` can read it back.
 */
export function sha256sumLine(hex: string, file: string): string {
  if (!/[\\\n\r]/.test(file)) return `${hex}  ${file}`;
  const escaped = file.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r');
  return `\\${hex}  ${escaped}`;
}

const BYTES_PER_MB = 1_000_000;
const PERCENT = 100;
const CLEAR_LINE = '\r\x1b[K';

/**
 * A one-line progress display on a terminal's stderr. It stays silent for files hashed in less
 * than one progress interval (only the final report arrives), so small files print nothing extra.
 */
function terminalProgress(write: (text: string) => void): {
  onProgress: (p: Progress) => void;
  clear: () => void;
} {
  let shown = false;
  return {
    onProgress(p) {
      if (p.etaSeconds === 0 && p.done === p.total) return;
      shown = true;
      const percent = p.total ? Math.floor((p.done / p.total) * PERCENT) : 0;
      const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
      write(`${CLEAR_LINE}hashing… ${percent}% (${(p.ratePerSecond / BYTES_PER_MB).toFixed(0)} MB/s${eta})`);
    },
    clear() {
      if (shown) write(CLEAR_LINE);
    },
  };
}

function fileOperand(args: ParsedArgs): string {
  const [file] = args.operands;
  if (args.operands.length !== 1 || file === undefined) throw new UsageError('give exactly one file to hash');
  return file;
}

/** The `preflight hash` command. */
export const hashCommand: Command = {
  name: 'hash',
  summary: 'SHA-256 of a file of any size (the same hash the app shows)',
  operands: '<file>',
  options: [{ name: 'json', type: 'boolean', description: 'print JSON instead of the sha256sum line' }],
  description: [
    'Prints the SHA-256 of <file> as "<hex>  <file>" (like sha256sum), or with --json',
    'as { "file", "bytes", "sha256" }. The file is read in chunks, so any size works.',
  ].join('\n'),
  notes: 'Exit codes: 0 ok, 2 bad usage or the file cannot be read.',
  examples: [
    {
      args: ['samples/legacy/patients.csv'],
      does: 'the SHA-256 of the demo patients extract',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const file = fileOperand(args);
    const json = args.flag('json');
    const progress = process.stderr.isTTY
      ? terminalProgress((text) => process.stderr.write(text))
      : undefined;
    let digest: Sha256Digest;
    try {
      digest = await hashFileAtPath(path.resolve(io.cwd, file), {
        displayName: file,
        onProgress: progress?.onProgress,
      });
    } catch (error) {
      if (error instanceof InputReadError) {
        io.stderr(`preflight hash: ${describeReadFailure(error)}`);
        return EXIT_USAGE;
      }
      throw error;
    } finally {
      progress?.clear();
    }
    writeResult(
      io,
      json,
      json
        ? JSON.stringify({ file, bytes: digest.bytes, sha256: digest.sha256 }, null, 2)
        : sha256sumLine(digest.sha256, file),
    );
    return EXIT_OK;
  },
};
