/**
 * A connection to a FHIR R4 server over fhir-kit-client: base URL, optional bearer token, and what
 * the server offers (from its CapabilityStatement).
 *
 * Constraints:
 * - fhir-kit-client's `keepalive: true` default breaks request bodies over 64 KiB: every request
 *   here passes `keepalive: false`.
 * - fhir-kit-client's debug logging prints bodies and the Authorization header: it is only on when
 *   the `DEBUG` environment names it, so nothing here turns it on and the CLI refuses to run with it.
 * - The token is held in memory by the client only; it is never put in a message.
 * - Every request has a timeout and honours the caller's AbortSignal.
 * - With `refuseRedirects` (the CLI) no redirect is followed: each is refused naming where it
 *   pointed, so a search body never goes to another server and no other server's answer is
 *   taken as this one's. The browser follows redirects only where its CSP allows.
 */
import { Client } from 'fhir-kit-client';
import { FhirServerError, toFhirServerError } from './errors.ts';

/** How long one request may take before it is given up (a page of 1,000 Patients is well under this). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of {@link connectFhirServer}. */
interface FhirConnectOptions {
  /** the FHIR base URL, e.g. `https://fhir.example.org/r4` */
  baseUrl: string;
  /** a bearer token, sent as `Authorization: Bearer …` */
  token?: string;
  /** per-request timeout in ms; default {@link DEFAULT_TIMEOUT_MS} */
  timeoutMs?: number;
  /**
   * makes each request's timeout signal (tests pass one they abort themselves, so no test waits
   * for the clock); default `AbortSignal.timeout(timeoutMs)`
   */
  timeoutSignal?: () => AbortSignal;
  /**
   * refuse every redirect (`redirect: "manual"`) with a {@link FhirServerError} naming where it
   * pointed; the CLI's choice, where no CSP confines them. Default false (the browser's `follow`)
   */
  refuseRedirects?: boolean;
}

/** One resource type the server offers. */
interface OfferedResource {
  type: string;
  /** interactions such as `read`, `search-type`, `create` */
  interactions: string[];
  /** search parameter names */
  searchParams: string[];
}

/** What the server offers, from its CapabilityStatement. */
export interface ServerCapabilities {
  fhirVersion: string | undefined;
  /** the server software's name and version, as the server states them */
  software: string | undefined;
  resources: OfferedResource[];
  /** the server offers bulk data `$export` (system, Patient or Group level) */
  bulkExport: boolean;
  /** the server accepts `transaction` Bundles */
  transactions: boolean;
}

/** A connected server. */
export interface FhirConnection {
  /** the base URL without a trailing slash */
  baseUrl: string;
  capabilities: ServerCapabilities;
  /**
   * Runs one request with fhir-kit-client, with keepalive off, the timeout and `signal`; failures
   * become {@link FhirServerError}s that say what was being done (`doing`).
   */
  call<T>(
    doing: string,
    run: (client: Client, options: RequestOptions) => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<T>;
  /** The `Authorization` header value, for the few requests made with fetch directly (bulk files). */
  authorization(): string | undefined;
  /** The `redirect` mode of every request, for those made with fetch directly. */
  redirect: RequestRedirect;
  /**
   * A timeout signal for the wait until a response starts, and `disarm()` once it has: a large
   * download streams for as long as it takes, while a server that never answers still times out.
   */
  responseTimeout(): { signal: AbortSignal; timedOut(): boolean; disarm(): void };
}

/** Options every request passes to fhir-kit-client. */
export interface RequestOptions {
  keepalive: false;
  signal: AbortSignal;
  headers?: Record<string, string>;
  postSearch?: boolean;
}

interface CapabilityStatementJson {
  resourceType?: unknown;
  fhirVersion?: unknown;
  software?: { name?: unknown; version?: unknown };
  instantiates?: unknown;
  rest?: {
    mode?: unknown;
    resource?: {
      type?: unknown;
      interaction?: { code?: unknown }[];
      searchParam?: { name?: unknown }[];
      operation?: { name?: unknown }[];
    }[];
    interaction?: { code?: unknown }[];
    operation?: { name?: unknown; definition?: unknown }[];
  }[];
}

const strings = (values: unknown[] | undefined): string[] =>
  (values ?? []).filter((v): v is string => typeof v === 'string');

/** Reads what a server offers from its CapabilityStatement (tolerant: missing parts are empty). */
export function readCapabilities(json: unknown): ServerCapabilities {
  const cs = json as CapabilityStatementJson;
  const rest = (Array.isArray(cs.rest) ? cs.rest : []).filter(
    (r) => r.mode === undefined || r.mode === 'server',
  );
  const resources: OfferedResource[] = [];
  let bulkExport = strings(Array.isArray(cs.instantiates) ? cs.instantiates : []).some((u) =>
    u.includes('bulk-data'),
  );
  let transactions = false;
  for (const r of rest) {
    for (const op of r.operation ?? []) {
      if (op.name === 'export' || (typeof op.definition === 'string' && op.definition.includes('export')))
        bulkExport = true;
    }
    if ((r.interaction ?? []).some((i) => i.code === 'transaction')) transactions = true;
    for (const res of r.resource ?? []) {
      if (typeof res.type !== 'string') continue;
      if (
        (res.operation ?? []).some((op) => op.name === 'export') &&
        (res.type === 'Patient' || res.type === 'Group')
      ) {
        bulkExport = true;
      }
      resources.push({
        type: res.type,
        interactions: strings((res.interaction ?? []).map((i) => i.code)),
        searchParams: strings((res.searchParam ?? []).map((p) => p.name)),
      });
    }
  }
  const software =
    typeof cs.software?.name === 'string'
      ? `${cs.software.name}${typeof cs.software.version === 'string' ? ` ${cs.software.version}` : ''}`
      : undefined;
  return {
    fhirVersion: typeof cs.fhirVersion === 'string' ? cs.fhirVersion : undefined,
    software,
    resources,
    bulkExport,
    transactions,
  };
}

/** Checks the address: an absolute http(s) URL with no credentials, query or fragment. */
export function normalizeBaseUrl(address: string): string {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new FhirServerError(
      'bad-address',
      'The server address is not a web address.',
      'Give the FHIR base URL, starting with https:// (or http:// for a server on this computer).',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FhirServerError(
      'bad-address',
      'The server address must start with https:// or http://.',
      'Give the FHIR base URL.',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new FhirServerError(
      'bad-address',
      'The server address must not contain a user name, password, query (?…) or fragment (#…).',
      'Give only the FHIR base URL; give an access token with --token-file (in the app: the Access token field).',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Connects: reads the server's CapabilityStatement (`GET [base]/metadata`) and checks it is a
 * FHIR R4 server. Throws a {@link FhirServerError} that says what to do when the server is down,
 * slow, not FHIR, or refuses the token.
 */
export async function connectFhirServer(
  options: FhirConnectOptions,
  signal?: AbortSignal,
): Promise<FhirConnection> {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const redirect: RequestRedirect = options.refuseRedirects ? 'manual' : 'follow';
  const client = new Client({
    baseUrl,
    ...(options.token ? { bearerToken: options.token } : {}),
    requestOptions: { redirect },
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutSignal = options.timeoutSignal ?? (() => AbortSignal.timeout(timeoutMs));

  async function call<T>(
    doing: string,
    run: (client: Client, options: RequestOptions) => Promise<unknown>,
    callerSignal?: AbortSignal,
  ): Promise<T> {
    const timeout = timeoutSignal();
    const combined = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      return (await run(client, { keepalive: false, signal: combined })) as T;
    } catch (error) {
      throw toFhirServerError(error, baseUrl, doing, timeout.aborted && !callerSignal?.aborted);
    }
  }

  const statement = await call<{ resourceType?: unknown; fhirVersion?: unknown }>(
    'reading what the server offers',
    (c, o) => c.capabilityStatement(o),
    signal,
  );
  if (statement?.resourceType !== 'CapabilityStatement') {
    throw new FhirServerError(
      'not-fhir',
      `${new URL(baseUrl).origin} answered, but not with a FHIR CapabilityStatement at ${'/metadata'}.`,
      'Check the address: it must be the FHIR base URL (it often ends in /fhir, /fhir/r4 or /baseR4).',
    );
  }
  const capabilities = readCapabilities(statement);
  if (capabilities.fhirVersion !== undefined && !capabilities.fhirVersion.startsWith('4.0')) {
    throw new FhirServerError(
      'not-fhir',
      `The server speaks FHIR ${capabilities.fhirVersion}; Preflight works with FHIR R4 (4.0.x).`,
      'Use the server’s R4 endpoint (ask its administrator for the R4 base URL).',
    );
  }
  function responseTimeout() {
    const controller = new AbortController();
    const timeout = timeoutSignal();
    const onTimeout = () => controller.abort(new DOMException('timed out', 'TimeoutError'));
    if (timeout.aborted) onTimeout();
    else timeout.addEventListener('abort', onTimeout, { once: true });
    return {
      signal: controller.signal,
      timedOut: () => timeout.aborted,
      disarm: () => timeout.removeEventListener('abort', onTimeout),
    };
  }
  return {
    baseUrl,
    capabilities,
    call,
    responseTimeout,
    redirect,
    authorization: () => (options.token ? `Bearer ${options.token}` : undefined),
  };
}
