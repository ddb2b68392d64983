/**
 * Reading an OCEL 2.0 file of either serialisation, recognised by its content (ocel.ts): what the
 * browser's event-log worker and the CLI's log commands call once {@link sniffOcelInput} says a
 * file is OCEL, so both read, refuse and account for it the same way.
 */
import { readInputChunk } from '../../jobs/errors.ts';
import type { LogInput } from './csvLog.ts';
import {
  flattenOcel,
  OCEL_SNIFF_BYTES,
  type OcelKind,
  type OcelLog,
  type OcelReadLogResult,
  OcelRefusedError,
  sniffOcel,
} from './ocel.ts';
import { readOcelJson } from './ocelJson.ts';
import { readOcelXml } from './ocelXml.ts';
import type { ReadLogOptions } from './readEvents.ts';

/** The OCEL kind of `input` from its first bytes, or undefined for any other log (CSV, XES). */
export async function sniffOcelInput(input: LogInput): Promise<OcelKind | undefined> {
  if (input.size === 0) return undefined;
  const prefix = await readInputChunk(input, 0, Math.min(OCEL_SNIFF_BYTES, input.size));
  return sniffOcel(prefix.slice());
}

/** Streaming options, as the other log readers take them. */
interface StreamOptions {
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number) => void;
}

/**
 * Reads an OCEL file of `kind` whole (every event kept compactly, the text streamed). A SQLite
 * copy is read from its tables with an engine (`readOcelTables`), not here.
 * @throws {OcelRefusedError} for a SQLite or OCEL 1.0 file (with what to do), `OcelError`,
 * `Utf8DecodeError`, `InputReadError`, `JobCancelledError`
 */
export function readOcel(input: LogInput, kind: OcelKind, stream: StreamOptions = {}): Promise<OcelLog> {
  if (kind === 'ocel-json') return readOcelJson(input, stream);
  if (kind === 'ocel-xml') return readOcelXml(input, stream);
  throw new OcelRefusedError(input.name, kind);
}

/**
 * Reads an OCEL file and flattens it on the object type `options.mapping.case` (see
 * `flattenOcel`). @throws as {@link readOcel}, and `UnknownObjectTypeError`
 */
export async function readOcelLog(
  input: LogInput,
  kind: OcelKind,
  options: ReadLogOptions,
  stream: StreamOptions = {},
): Promise<OcelReadLogResult> {
  return flattenOcel(await readOcel(input, kind, stream), options, input.name);
}
