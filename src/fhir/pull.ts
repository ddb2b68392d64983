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
export const DEFAULT_EXPORT_POLL_MS = 2_000;
/** Bulk export: give up after this many status checks. */
export const MAX_EXPORT_POLLS = 900;

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
export interface PageSearchOptions {
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
export interface PullOptions {
  resourceType: string;
  pageSize?: number;
  signal?: AbortSignal;
  /** receives the resources in batches (a page, or {@link EXPORT_BATCH} lines of an export file) */
  onPage(resources: FhirResourceJson[], progress: PullProgress): void | Promise<void>;
  /** waits between export status checks (tests pass one that does not use the clock) */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Lines of an export file handed on at a time. */
export const EXPORT_BATCH = 500;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(
          new FhirServerError(
            'cancelled',
            'Cancelled while waiting for the export.',
            'Nothing was changed on the server.',
          ),
        );
      },
      { once: true },
    );
  });
}

/**
 * Bulk data `$export` of one resource type (FHIR Bulk Data Access: kick-off with
 * `Prefer: respond-async`, poll the status URL, then download the NDJSON files), streamed line by
 * line to `onPage`. Output files must be on the server's own origin: the token is never sent
 * elsewhere (and the page's CSP would refuse another host anyway).
 */
export async function bulkExport(connection: FhirConnection, options: PullOptions): Promise<PullProgress> {
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
   * One GET with fetch (fhir-kit-client hides a 202's headers). The timeout covers the wait for
   * the response only, not the body: an export file streams for as long as it takes.
   */
  const get = async (url: string, extra: Record<string, string> = {}): Promise<Response> => {
    const timer = connection.responseTimeout();
    const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
      const response = await fetch(url, { headers: { ...headers(), ...extra }, signal: combined });
      timer.disarm();
      if (response.status >= 400) {
        let data: unknown;
        try {
          data = await response.json();
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
  const level = resourceType === 'Patient' ? 'Patient/$export' : '$export';
  const kickoff = await get(`${connection.baseUrl}/${level}?_type=${encodeURIComponent(resourceType)}`, {
    prefer: 'respond-async',
  });
  const statusUrl = kickoff.headers.get('content-location');
  if (kickoff.status !== 202 || !statusUrl || originOf(statusUrl) !== origin) {
    throw new FhirServerError(
      'server-error',
      `${where} did not start the export as bulk data servers do.`,
      'Pull page by page instead (the server may not really support $export).',
    );
  }
  let manifest: { output?: { type?: unknown; url?: unknown }[] } | undefined;
  for (let polls = 0; polls < MAX_EXPORT_POLLS && !manifest; polls++) {
    const status = await get(statusUrl);
    if (status.status === 202) {
      const retry = Number(status.headers.get('retry-after'));
      await wait(
        Number.isFinite(retry) && retry > 0 ? Math.min(retry, 300) * 1000 : DEFAULT_EXPORT_POLL_MS,
        signal,
      );
      continue;
    }
    manifest = (await status.json()) as typeof manifest;
  }
  if (!manifest) {
    throw new FhirServerError(
      'timeout',
      `${where} did not finish the export in time.`,
      'Try again later, or pull page by page.',
    );
  }
  const progress: PullProgress = { pages: 0, resources: 0, total: undefined };
  for (const output of manifest.output ?? []) {
    if (output.type !== resourceType || typeof output.url !== 'string') continue;
    if (originOf(output.url) !== origin) {
      throw new FhirServerError(
        'server-error',
        `${where} put its export files on another server.`,
        'Pull page by page instead, or ask the server’s administrator.',
      );
    }
    const file = await get(output.url, { accept: 'application/fhir+ndjson' });
    const decoder = new TextDecoder();
    let rest = '';
    let batch: FhirResourceJson[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      progress.pages++;
      progress.resources += batch.length;
      const handed = batch;
      batch = [];
      await options.onPage(handed, { ...progress });
    };
    const take = async (line: string) => {
      if (line.trim() === '') return;
      let resource: FhirResourceJson;
      try {
        resource = JSON.parse(line) as FhirResourceJson;
      } catch {
        throw new FhirServerError(
          'not-fhir',
          `${where} sent an export file line that is not JSON.`,
          'Tell the server’s administrator; pull page by page instead.',
        );
      }
      batch.push(resource);
      if (batch.length >= EXPORT_BATCH) await flush();
    };
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
      for (const line of lines) await take(line);
      if (chunk.done) break;
    }
    await take(rest + decoder.decode());
    await flush();
  }
  return progress;
}

/** How a pull read the resources, and what to tell the user about it. */
export interface PullResult extends PullProgress {
  method: 'export' | 'paging';
  /** e.g. why paging was used */
  note: string;
}

/**
 * Every resource of a type: by `$export` where the server's CapabilityStatement offers it, else
 * page by page — and the result says which, and why.
 */
export async function pullResources(connection: FhirConnection, options: PullOptions): Promise<PullResult> {
  if (connection.capabilities.bulkExport) {
    const progress = await bulkExport(connection, options);
    return {
      ...progress,
      method: 'export',
      note: 'Read with bulk export ($export), which the server offers.',
    };
  }
  const progress = await pageSearch(connection, options);
  return {
    ...progress,
    method: 'paging',
    note: 'The server does not offer bulk export ($export), so the records were read page by page.',
  };
}
