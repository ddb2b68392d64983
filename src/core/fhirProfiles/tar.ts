/**
 * The two container formats of a FHIR NPM package (`.tgz`): gzip, through the platform's
 * `DecompressionStream` (browsers, workers and Node 18+ have it), and tar, read here. The tar
 * reader knows what npm and the FHIR package tools write: ustar headers (name + prefix), PAX
 * `path` records and GNU long names; other entry kinds (links, devices) are skipped, never
 * followed.
 *
 * A package is untrusted input: a 1 MB `.tgz` can unpack to gigabytes. Both readers stop at
 * {@link PACKAGE_LIMITS} (bytes unpacked in all, bytes of one file, files, folder depth), far
 * above any published implementation guide (hl7.fhir.r4.core: about 4,600 files, under 100 MiB).
 */

import { byteSizeWords } from '../byteSize/index.ts';

/** A package file that cannot be read as gzip or tar; `offset` is the byte in the tar stream. */
export class TarReadError extends Error {
  override name = 'TarReadError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** One regular file of a tar archive. */
interface TarFile {
  path: string;
  bytes: Uint8Array;
}

const BLOCK = 512;

const MiB = 1024 * 1024;

/** The bounds a package is read within; each is far above what real packages need. */
export const PACKAGE_LIMITS = {
  /** bytes the `.tgz` may unpack to, in all */
  maxUnpackedBytes: 256 * MiB,
  /** bytes of one file in the archive */
  maxFileBytes: 64 * MiB,
  /** entries in the archive (files, folders and the rest) */
  maxEntries: 20_000,
  /** folders above a file (`package/a/b.json` is 2 deep) */
  maxDepth: 16,
} as const;

/** What a refusal of an oversized package advises, in every message. */
const GET_IT_AGAIN = "it is not a usable FHIR package. Get it again from the guide's publisher";

/** Whether the bytes start with the gzip magic number. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes, stopping as soon as more than `maxBytes` come out; throws
 * {@link TarReadError} when they are not gzip, are cut short, or unpack to more than that.
 */
export async function gunzip(
  bytes: Uint8Array,
  maxBytes: number = PACKAGE_LIMITS.maxUnpackedBytes,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) throw new TarReadError('The file is not gzip-compressed (a FHIR package is a .tgz)');
  const copy = new Uint8Array(bytes); // a plain ArrayBuffer for Blob, whatever backs the input
  const reader = new Blob([copy.buffer]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TarReadError(
          `The package unpacks to more than ${byteSizeWords(maxBytes)}, far more than any implementation guide; ${GET_IT_AGAIN}`,
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof TarReadError) throw error;
    throw new TarReadError('The gzip data is damaged or cut short: download the package again');
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

const ascii = new TextDecoder('utf-8');

function text(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return ascii.decode(bytes.subarray(start, end));
}

function octal(bytes: Uint8Array, start: number, length: number, offset: number): number {
  const field = text(bytes, start, length).trim();
  if (field === '') return 0;
  if (!/^[0-7]+$/.test(field)) throw new TarReadError('A tar header has a size that is not a number', offset);
  return Number.parseInt(field, 8);
}

/** The `path` of a PAX extended header ("<len> path=<value>\n" records), if it has one. */
function paxPath(body: Uint8Array): string | undefined {
  const records = ascii.decode(body);
  let at = 0;
  while (at < records.length) {
    const space = records.indexOf(' ', at);
    if (space < 0) break;
    const length = Number.parseInt(records.slice(at, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = records.slice(space + 1, at + length - 1);
    if (record.startsWith('path=')) return record.slice('path='.length);
    at += length;
  }
  return undefined;
}

/**
 * The regular files of an (uncompressed) tar archive, in archive order; throws
 * {@link TarReadError} past {@link PACKAGE_LIMITS}' entries, file size or depth.
 */
export function readTar(bytes: Uint8Array): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let entries = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header[0] === 0 && header.every((b) => b === 0)) break; // end of archive
    entries += 1;
    if (entries > PACKAGE_LIMITS.maxEntries)
      throw new TarReadError(
        `The package holds more than ${PACKAGE_LIMITS.maxEntries.toLocaleString('en-US')} files, far more than any implementation guide; ${GET_IT_AGAIN}`,
        offset,
      );
    const size = octal(header, 124, 12, offset);
    if (size > PACKAGE_LIMITS.maxFileBytes)
      throw new TarReadError(
        `A file in the package is larger than ${byteSizeWords(PACKAGE_LIMITS.maxFileBytes)}, far larger than any implementation guide's; ${GET_IT_AGAIN}`,
        offset,
      );
    const type = String.fromCharCode(header[156] ?? 0);
    const bodyStart = offset + BLOCK;
    if (bodyStart + size > bytes.length) throw new TarReadError('The tar archive is cut short', offset);
    const body = bytes.subarray(bodyStart, bodyStart + size);
    const magic = text(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(header, 345, 155) : '';
    const name = text(header, 0, 100);
    if (type === 'x') longName = paxPath(body) ?? longName;
    else if (type === 'L') longName = text(body, 0, body.length);
    else {
      if (type === '0' || type === '\0' || type === '7') {
        const path = longName ?? (prefix ? `${prefix}/${name}` : name);
        if (path.split('/').filter((part) => part !== '').length - 1 > PACKAGE_LIMITS.maxDepth)
          throw new TarReadError(
            `A file in the package sits more than ${PACKAGE_LIMITS.maxDepth} folders deep, far deeper than in any implementation guide; ${GET_IT_AGAIN}`,
            offset,
          );
        files.push({ path, bytes: body });
      }
      longName = undefined;
    }
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

/** The regular files of a `.tgz`. */
export async function readTarGz(bytes: Uint8Array): Promise<TarFile[]> {
  return readTar(await gunzip(bytes));
}
