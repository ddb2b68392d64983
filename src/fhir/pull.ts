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
import { FhirServerError, originOf } from './errors.ts';

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
