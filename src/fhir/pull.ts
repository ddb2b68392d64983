/**
 * Reading every resource of a type from a server, page by page, without holding them all:
 * each page goes to a callback (awaited, so a slow consumer slows the reading), progress is
 * reported after each page, and an AbortSignal cancels between and during requests.
 *
 * Searches that carry values (identifiers, names) go by POST `_search`, so the values are in the
 * request body, never in a URL (URLs end up in proxy and server logs). `next` links are followed
 * as the server gives them; a link that repeats an earlier one stops the pull with an error
 * instead of looping forever.
 *
 * `$export` (bulk data) is used where the CapabilityStatement offers it; otherwise the pull pages
 * through a search and says so in its result.
 */
import type { FhirConnection } from './connection.ts';
import { FhirServerError, originOf, toFhirServerError } from './errors.ts';

/** Resources per page asked for (servers may give fewer; the router caps it at 1,000). */
export const DEFAULT_PAGE_SIZE = 500;
/** Bulk export: how long to wait between status checks when the server does not say. */
const DEFAULT_EXPORT_POLL_MS = 2_000;
/** Bulk export: give up after this many status checks. */
const MAX_EXPORT_POLLS = 900;

/** A FHIR resource as read from a server (only `resourceType` is relied on). */
export interface FhirResourceJson {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

/** Progress after each page. */
export interface PullProgress {
  pages: number;
  resources: number;
  /** the server's total, when it gives one */
  total: number | undefined;
}

interface BundleJson {
  resourceType?: unknown;
  total?: unknown;
  link?: { relation?: unknown; url?: unknown }[];
  entry?: { resource?: FhirResourceJson; search?: { mode?: unknown } }[];
}

/** Options of {@link pageSearch}. */
interface PageSearchOptions {
  resourceType: string;
  /** search parameters; when given, the search goes by POST `_search` */
  params?: Record<string, string>;
  pageSize?: number;
  signal?: AbortSignal;
  /** receives each page's resources of `resourceType` (included resources are left out) */
  onPage(resources: FhirResourceJson[], progress: PullProgress): void | Promise<void>;
}

function nextLink(bundle: BundleJson): string | undefined {
  const link = bundle.link?.find((l) => l.relation === 'next');
  return typeof link?.url === 'string' ? link.url : undefined;
}

/**
 * Pages through a search (see the file header). Resolves with the final progress.
 *
 * @throws {FhirServerError} on any failure, with advice; kind `cancelled` when `signal` aborts
 */
export async function pageSearch(
  connection: FhirConnection,
  options: PageSearchOptions,
): Promise<PullProgress> {
  const { resourceType, signal } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const progress: PullProgress = { pages: 0, resources: 0, total: undefined };
  const doing = `reading ${resourceType} records`;
  const searchParams = { ...options.params, _count: String(pageSize) };
  const carriesValues = Object.keys(options.params ?? {}).length > 0;
  let bundle = await connection.call<BundleJson>(
    doing,
    (client, o) =>
      client.search({
        resourceType,
        searchParams,
        // no values in URLs: a search with parameters goes in a POST body
        options: carriesValues ? { ...o, postSearch: true } : o,
      }),
    signal,
  );
  const seenLinks = new Set<string>();
  const serverOrigin = new URL(connection.baseUrl).origin;
  for (;;) {
    if (bundle?.resourceType !== 'Bundle') {
      throw new FhirServerError(
        'not-fhir',
        `${originOf(connection.baseUrl)} answered a search with something other than a Bundle.`,
        'Check the address: it must be the FHIR base URL.',
      );
    }
    if (typeof bundle.total === 'number') progress.total = bundle.total;
    const resources = (bundle.entry ?? [])
      .filter((e) => e.search?.mode === undefined || e.search.mode === 'match')
      .map((e) => e.resource)
      .filter((r): r is FhirResourceJson => r?.resourceType === resourceType);
    progress.pages++;
    progress.resources += resources.length;
    await options.onPage(resources, { ...progress });
    if (signal?.aborted)
      throw new FhirServerError(
        'cancelled',
        `Cancelled while ${doing}.`,
        'Nothing was changed on the server.',
      );
    const next = nextLink(bundle);
    if (next === undefined) return progress;
    if (seenLinks.has(next)) {
      throw new FhirServerError(
        'server-error',
        `${originOf(connection.baseUrl)} gave a next-page link it had already given; stopped after ${progress.pages} pages.`,
        'The server’s paging is broken; tell its administrator. The records read so far are kept.',
      );
    }
    // a next link to another host would send the token there: refuse it
    if (originOf(next) !== serverOrigin) {
      throw new FhirServerError(
        'server-error',
        `${originOf(connection.baseUrl)} gave a next-page link to another server; stopped after ${progress.pages} pages.`,
        'Tell the server’s administrator; its base URL setting is probably wrong.',
      );
    }
    seenLinks.add(next);
    const current = bundle;
    bundle = await connection.call<BundleJson>(
      doing,
      (client, o) => client.nextPage({ bundle: current as never, options: o }) as Promise<unknown>,
      signal,
    );
  }
}

/** Options of {@link bulkExport} and {@link pullResources}. */
interface PullOptions {
  resourceType: string;
  pageSize?: number;
  signal?: AbortSignal;
  /** receives the resources in batches (a page, or {@link EXPORT_BATCH} lines of an export file) */
  onPage(resources: FhirResourceJson[], progress: PullProgress): void | Promise<void>;
  /** waits between export status checks (tests pass one that does not use the clock) */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** hears where a bulk export is: started, waiting for the server, downloading its files */
  onExport?: (state: ExportState) => void;
  /** `paging`: page through a search even where the server offers `$export` (the user's choice) */
  method?: 'paging';
}

/** Where a bulk export is, for a progress line. */
export type ExportState =
  | { phase: 'kick-off' }
  /** the server is preparing the files; the next status check is in `nextCheckMs` */
  | { phase: 'waiting'; checks: number; nextCheckMs: number; serverProgress: string | undefined }
  /** downloading output file `file` of `files` */
  | { phase: 'downloading'; file: number; files: number };

/** Longest progress text taken from a server's `X-Progress` header (it is shown on screen). */
export const MAX_SERVER_PROGRESS_CHARS = 80;

/**
 * The wait a `Retry-After` header asks for, in ms (whole seconds or an HTTP date; at most
 * 5 minutes), or undefined when there is none or it cannot be read.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // an HTTP date names its day and month; "-5" and the like are not dates here
    if (!/[A-Za-z]{3}/.test(text)) return undefined;
    const at = Date.parse(text);
    if (!Number.isFinite(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 1000), 300_000);
}

/** A server's `X-Progress` text, made safe to show: printable, one line, bounded; or undefined. */
export function serverProgressText(header: string | null): string | undefined {
  const text = header
    ?.replace(/[^\x20-\x7E]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  return text.length > MAX_SERVER_PROGRESS_CHARS ? `${text.slice(0, MAX_SERVER_PROGRESS_CHARS - 1)}…` : text;
}

/** Lines of an export file handed on at a time. */
const EXPORT_BATCH = 500;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const cancelled = () =>
    new FhirServerError(
      'cancelled',
      'Cancelled while the server was preparing the export.',
      'Nothing was changed on the server; the export was withdrawn there.',
    );
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(cancelled());
      },
      { once: true },
    );
  });
}

/**
 * Bulk data `$export` of one resource type (FHIR Bulk Data Access: kick-off with
 * `Prefer: respond-async`, poll the status URL as `Retry-After` asks, then download the NDJSON
 * files), streamed line by line to `onPage`. Output files must be on the server's own origin: the
 * token is never sent elsewhere (and the page's CSP would refuse another host anyway). An export
 * that is cancelled or fails before its files are read is deleted on the server (a DELETE of the
 * status URL, as the specification asks), so the server can stop preparing it.
 */
export async function bulkExport(connection: FhirConnection, options: PullOptions): Promise<PullResult> {
  const { resourceType, signal } = options;
  const wait = options.wait ?? sleep;
  const origin = new URL(connection.baseUrl).origin;
  const where = originOf(connection.baseUrl);
  const doing = `exporting ${resourceType} records`;
  const headers = (): Record<string, string> => {
    const auth = connection.authorization();
    return { accept: 'application/fhir+json', ...(auth ? { authorization: auth } : {}) };
  };
  /**
   * One request with fetch (fhir-kit-client hides a 202's headers). The timeout covers the wait
   * for the response only, not the body: an export file streams for as long as it takes.
   */
  const request = async (
    url: string,
    extra: Record<string, string> = {},
    method: 'GET' | 'DELETE' = 'GET',
  ): Promise<Response> => {
    const timer = connection.responseTimeout();
    const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
      const response = await fetch(url, {
        method,
        headers: { ...headers(), ...extra },
        signal: combined,
        redirect: connection.redirect,
      });
      timer.disarm();
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw Object.assign(new Error('export request redirected'), {
          response: { status: response.status },
          config: { headers: response.headers, url },
        });
      }
      if (response.status >= 400) {
        // the server's own words, as JSON (an OperationOutcome) or as text, for the message
        let data: unknown;
        try {
          const body = await response.text();
          try {
            data = JSON.parse(body);
          } catch {
            data = body;
          }
        } catch {
          data = undefined;
        }
        throw Object.assign(new Error('export request failed'), {
          response: { status: response.status, data },
        });
      }
      return response;
    } catch (error) {
      throw toFhirServerError(error, connection.baseUrl, doing, timer.timedOut() && !signal?.aborted);
    }
  };
  /** Each non-blank line of an NDJSON file, as it streams in. */
  const eachLine = async (url: string, take: (line: string) => Promise<void> | void) => {
    const file = await request(url, { accept: 'application/fhir+ndjson' });
    const decoder = new TextDecoder();
    let rest = '';
    const reader = file.body?.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = reader ? await reader.read() : { done: true, value: undefined };
      } catch (error) {
        throw toFhirServerError(error, connection.baseUrl, doing, false);
      }
      if (chunk.value) rest += decoder.decode(chunk.value, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') await take(line);
      if (chunk.done) break;
    }
    rest += decoder.decode();
    if (rest.trim() !== '') await take(rest);
  };
  options.onExport?.({ phase: 'kick-off' });
  const level = resourceType === 'Patient' ? 'Patient/$export' : '$export';
  const kickoff = await request(`${connection.baseUrl}/${level}?_type=${encodeURIComponent(resourceType)}`, {
    prefer: 'respond-async',
  });
  const statusUrl = kickoff.headers.get('content-location');
  if (kickoff.status !== 202 || !statusUrl || originOf(statusUrl) !== origin) {
    throw new FhirServerError(
      'server-error',
      `${where} did not start the export as bulk data servers do (HTTP ${kickoff.status}${statusUrl ? '' : ', no status address'}).`,
      'The server may not really support bulk export; read the records page by page instead.',
    );
  }
  let finished = false;
  try {
    let manifest: { output?: { type?: unknown; url?: unknown }[]; error?: { url?: unknown }[] } | undefined;
    for (let checks = 1; checks <= MAX_EXPORT_POLLS && !manifest; checks++) {
      const status = await request(statusUrl);
      if (status.status === 202) {
        const nextCheckMs = retryAfterMs(status.headers.get('retry-after')) ?? DEFAULT_EXPORT_POLL_MS;
        options.onExport?.({
          phase: 'waiting',
          checks,
          nextCheckMs,
          serverProgress: serverProgressText(status.headers.get('x-progress')),
        });
        await wait(nextCheckMs, signal);
        continue;
      }
      try {
        manifest = (await status.json()) as typeof manifest;
      } catch {
        manifest = undefined;
      }
      if (manifest === null || typeof manifest !== 'object') {
        throw new FhirServerError(
          'not-fhir',
          `${where} said the export was ready but did not list its files (HTTP ${status.status}).`,
          'Tell the server’s administrator; read the records page by page instead.',
        );
      }
    }
    if (!manifest) {
      throw new FhirServerError(
        'timeout',
        `${where} did not finish the export after ${MAX_EXPORT_POLLS.toLocaleString('en-US')} status checks.`,
        'Try again later, or read the records page by page instead.',
      );
    }
    const outputs: string[] = [];
    for (const output of manifest.output ?? []) {
      if (output.type !== resourceType || typeof output.url !== 'string') continue;
      outputs.push(output.url);
    }
    const errorFiles = (manifest.error ?? [])
      .map((e) => e.url)
      .filter((url): url is string => typeof url === 'string');
    // checked before any file is read: the token goes only to the server's own origin
    if ([...outputs, ...errorFiles].some((url) => originOf(url) !== origin)) {
      throw new FhirServerError(
        'server-error',
        `${where} put its export files on another server.`,
        'Read the records page by page instead, or ask the server’s administrator.',
      );
    }
    const progress: PullProgress = { pages: 0, resources: 0, total: undefined };
    for (const [index, url] of outputs.entries()) {
      options.onExport?.({ phase: 'downloading', file: index + 1, files: outputs.length });
      let batch: FhirResourceJson[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        progress.pages++;
        progress.resources += batch.length;
        const handed = batch;
        batch = [];
        await options.onPage(handed, { ...progress });
      };
      await eachLine(url, async (line) => {
        let resource: FhirResourceJson;
        try {
          resource = JSON.parse(line) as FhirResourceJson;
        } catch {
          throw new FhirServerError(
            'not-fhir',
            `${where} sent an export file line that is not JSON (file ${index + 1} of ${outputs.length}).`,
            'Tell the server’s administrator; read the records page by page instead.',
          );
        }
        batch.push(resource);
        if (batch.length >= EXPORT_BATCH) await flush();
      });
      await flush();
    }
    // the server's own account of what it could not export: counted, never shown (it may quote records)
    let serverProblems = 0;
    for (const url of errorFiles) {
      await eachLine(url, () => {
        serverProblems++;
      });
    }
    finished = true;
    return {
      ...progress,
      method: 'export',
      note:
        serverProblems === 0
          ? 'Read with bulk export ($export), which the server offers.'
          : `Read with bulk export ($export), which the server offers; the server reported ${serverProblems === 1 ? '1 problem' : `${serverProblems.toLocaleString('en-US')} problems`} with the export (records it could not export are missing). Ask its administrator for the export’s error files.`,
      serverProblems,
    };
  } finally {
    // an export left behind keeps the server busy: delete it (best effort, bounded, never fatal)
    if (!finished) await forget(statusUrl, headers());
  }
}

/** Deletes an unfinished export on the server; its answer, or none within 5 s, is accepted. */
async function forget(statusUrl: string, headers: Record<string, string>): Promise<void> {
  try {
    const response = await fetch(statusUrl, {
      method: 'DELETE',
      headers,
      signal: AbortSignal.timeout(5_000),
      redirect: 'manual',
    });
    await response.body?.cancel();
  } catch {
    // the export stays on the server until it expires there; nothing here depends on it
  }
}

/** How a pull read the resources, and what to tell the user about it. */
interface PullResult extends PullProgress {
  method: 'export' | 'paging';
  /** e.g. why paging was used */
  note: string;
  /** export: the problems the server listed in its error files (OperationOutcome lines) */
  serverProblems?: number;
}

/**
 * Every resource of a type: by `$export` where the server's CapabilityStatement offers it (unless
 * `method: 'paging'` asks otherwise), else page by page — and the result says which, and why.
 */
export async function pullResources(connection: FhirConnection, options: PullOptions): Promise<PullResult> {
  if (connection.capabilities.bulkExport && options.method !== 'paging')
    return bulkExport(connection, options);
  const progress = await pageSearch(connection, options);
  return {
    ...progress,
    method: 'paging',
    note: connection.capabilities.bulkExport
      ? 'Read page by page, as chosen, although the server offers bulk export ($export).'
      : 'The server does not offer bulk export ($export), so the records were read page by page.',
  };
}
