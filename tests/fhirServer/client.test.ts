/**
 * src/fhir against the local FHIR server (and a few misbehaving servers made here): connect,
 * the failure messages, paging with progress and cancel, and reconcile of the demo extract.
 *
 * Reconcile of the whole 5,000-row demo extract runs once (it also pages through every server
 * record); every other case runs on the demo seed of the extract's first {@link ROWS} rows, which
 * holds one of each seeded difference.
 */
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFhirServer, type FhirConnection } from '../../src/fhir/connection.ts';
import { FhirServerError } from '../../src/fhir/errors.ts';
import { mapCsvStream } from '../../src/fhir/legacyRecords.ts';
import { type ExportState, type FhirResourceJson, pageSearch, pullResources } from '../../src/fhir/pull.ts';
import { reconcilePatients } from '../../src/fhir/reconcile.ts';
import { type DemoFhirServer, startDemoFhirServer } from './demoServer.ts';
import { DEMO_PATIENTS_CSV, demoExtractHead, demoMapping, MRN_SYSTEM } from './seed.ts';
import { type RunningFhirServer, startFhirServer } from './server.ts';

/** Data rows of the demo extract the small server is seeded from (200 hold one of each difference). */
const ROWS = 200;
let demo: DemoFhirServer;
let small: DemoFhirServer;
let locked: RunningFhirServer;
let odd: Server;
let oddOrigin: string;
/** requests the odd server received and has not answered, by path */
const hanging: ((body: string) => void)[] = [];
let requestArrived: () => void = () => {};

beforeAll(async () => {
  demo = await startDemoFhirServer();
  small = await startDemoFhirServer({}, ROWS);
  locked = await startFhirServer({ token: 'the-token' });
  // answers /html with a web page, /json with JSON that is not FHIR, /r5 with an R5 statement,
  // and never answers /slow
  odd = createServer((req, res) => {
    if (req.url?.startsWith('/slow')) {
      hanging.push((body) => res.end(body));
      requestArrived();
      return;
    }
    if (req.url?.startsWith('/html')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>');
    } else if (req.url?.startsWith('/r5')) {
      res
        .writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '5.0.0' }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    }
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
  oddOrigin = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const answer of hanging) answer('');
  odd?.closeAllConnections();
  await Promise.all([
    demo?.close(),
    small?.close(),
    locked?.close(),
    new Promise((resolve) => odd?.close(resolve)),
  ]);
});

async function failure(promise: Promise<unknown>): Promise<FhirServerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FhirServerError);
    return error as FhirServerError;
  }
  throw new Error('expected a failure');
}

/** The small server's extract: the demo extract's first {@link ROWS} rows, mapped. */
function smallExtract() {
  return mapCsvStream(Readable.from([Buffer.from(demoExtractHead(ROWS))]), demoMapping(), 'patients.csv');
}

async function closedPort(): Promise<string> {
  const server = await startFhirServer();
  await server.close();
  return server.baseUrl;
}

describe('connect', () => {
  it('reads what the server offers', async () => {
    const connection = await connectFhirServer({ baseUrl: `${small.baseUrl}/` });
    expect(connection.baseUrl).toBe(small.baseUrl);
    expect(connection.capabilities.fhirVersion).toBe('4.0.1');
    expect(connection.capabilities.resources.map((r) => r.type)).toContain('Patient');
    expect(connection.capabilities.transactions).toBe(true);
    expect(connection.capabilities.bulkExport).toBe(false);
  });

  it('sends the token, and says what to do when there is none or it is refused', async () => {
    const connection = await connectFhirServer({ baseUrl: locked.baseUrl, token: 'the-token' });
    expect(connection.capabilities.fhirVersion).toBe('4.0.1');
    for (const token of [undefined, 'wrong-token']) {
      const error = await failure(connectFhirServer({ baseUrl: locked.baseUrl, token }));
      expect(error.kind).toBe('unauthorized');
      expect(error.status).toBe(401);
      expect(error.advice).toMatch(/access token/);
      expect(`${error.message} ${error.advice}`).not.toContain('wrong-token');
    }
  });

  it.each([
    { description: 'not a URL', address: 'fhir server', kind: 'bad-address' },
    { description: 'not http', address: 'ftp://example.org/fhir', kind: 'bad-address' },
    {
      description: 'a query (could carry values)',
      address: 'http://127.0.0.1:1/fhir?mrn=1',
      kind: 'bad-address',
    },
    {
      description: 'credentials in the URL',
      address: 'http://user:pw@127.0.0.1:1/fhir',
      kind: 'bad-address',
    },
  ])('refuses an address that is $description', async ({ address, kind }) => {
    const error = await failure(connectFhirServer({ baseUrl: address }));
    expect(error.kind).toBe(kind);
    expect(error.message).not.toContain('pw');
  });

  it('says a stopped server cannot be reached, and what to check', async () => {
    const address = await closedPort();
    const error = await failure(connectFhirServer({ baseUrl: address }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain(new URL(address).origin);
    expect(error.advice).toMatch(/running/);
  });

  it('gives up on a server that does not answer (timeout), and says so', async () => {
    const timeout = new AbortController();
    requestArrived = () => timeout.abort(new DOMException('timed out', 'TimeoutError'));
    const error = await failure(
      connectFhirServer({ baseUrl: `${oddOrigin}/slow`, timeoutSignal: () => timeout.signal }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.advice).toMatch(/longer timeout/);
  });

  it('tells a cancel from a timeout', async () => {
    const user = new AbortController();
    requestArrived = () => user.abort();
    const error = await failure(connectFhirServer({ baseUrl: `${oddOrigin}/slow` }, user.signal));
    expect(error.kind).toBe('cancelled');
  });

  it.each([
    { description: 'a web page', path: '/html' },
    { description: 'JSON that is not FHIR', path: '/json' },
    { description: 'a FHIR R5 server', path: '/r5' },
    { description: 'a FHIR server at the wrong path', path: '' },
  ])('says $description is not a FHIR R4 server, and what to check', async ({ path }) => {
    const base = path === '' ? `${small.origin}/not-fhir` : `${oddOrigin}${path}`;
    const error = await failure(connectFhirServer({ baseUrl: base }));
    expect(error.kind).toBe(path === '' ? 'server-error' : 'not-fhir');
    expect(error.advice).toMatch(/address|R4/);
  });
});

describe('pageSearch', () => {
  let connection: FhirConnection;
  beforeAll(async () => {
    connection = await connectFhirServer({ baseUrl: small.baseUrl });
  });

  it('follows next links through every page, reporting progress, each resource once', async () => {
    const ids = new Set<string>();
    const seen: number[] = [];
    const final = await pageSearch(connection, {
      resourceType: 'Patient',
      pageSize: 70,
      onPage: (resources, progress) => {
        for (const r of resources) ids.add(r.id as string);
        seen.push(progress.resources);
      },
    });
    expect(ids.size).toBe(small.patients.length);
    expect(final).toEqual({
      pages: Math.ceil(small.patients.length / 70),
      resources: small.patients.length,
      total: small.patients.length,
    });
    expect(seen).toEqual(
      Array.from({ length: final.pages }, (_, i) => Math.min((i + 1) * 70, small.patients.length)),
    );
  });

  it('searches by identifier in a POST body and pages it', async () => {
    const found: FhirResourceJson[] = [];
    await pageSearch(connection, {
      resourceType: 'Patient',
      params: { identifier: small.manifest.extra.map((m) => `${MRN_SYSTEM}|${m}`).join(',') },
      pageSize: 2,
      onPage: (resources) => {
        found.push(...resources);
      },
    });
    expect(found).toHaveLength(3);
  });

  it('stops when cancelled between pages, keeping what was read', async () => {
    const cancel = new AbortController();
    let pages = 0;
    const error = await failure(
      pageSearch(connection, {
        resourceType: 'Patient',
        pageSize: 50,
        signal: cancel.signal,
        onPage: () => {
          pages++;
          if (pages === 2) cancel.abort();
        },
      }),
    );
    expect(error.kind).toBe('cancelled');
    expect(pages).toBe(2);
  });
});

describe('reconcilePatients on the demo extract', () => {
  it('finds exactly what the seed changed, left out and added', async () => {
    const connection = await connectFhirServer({ baseUrl: demo.baseUrl });
    const phases = new Set<string>();
    const result = await reconcilePatients(connection, {
      extract: mapCsvStream(createReadStream(DEMO_PATIENTS_CSV), demoMapping(), 'patients.csv'),
      examples: 1000,
      pageSize: 1000,
      onProgress: (p) => phases.add(p.phase),
    });
    const { manifest } = demo;
    const ids = (x: { examples: { identifier: string }[] }) => x.examples.map((e) => e.identifier).sort();
    expect(result.identifierSystem).toBe(MRN_SYSTEM);
    expect(result.extract.records).toBe(5000);
    expect(ids(result.missingOnServer)).toEqual([...manifest.notLoaded, ...manifest.missing].sort());
    expect(ids(result.extraOnServer)).toEqual([...manifest.extra].sort());
    expect(ids(result.mismatches.birthDate)).toEqual([...manifest.birthDate].sort());
    expect(ids(result.mismatches.name)).toEqual([...manifest.name].sort());
    expect(ids(result.mismatches.gender)).toEqual([...manifest.sex].sort());
    expect(result.extract.duplicates.count).toBe(manifest.duplicates.length);
    expect(result.server.records).toBe(demo.patients.length);
    expect(result.matched).toBe(demo.patients.length - manifest.extra.length);
    expect(result.missingOnServer.examples.every((e) => typeof e.row === 'number')).toBe(true);
    expect([...phases].sort()).toEqual(['extract', 'server']);
    // no record content unless asked for (the next test asks)
    expect(JSON.stringify(result)).not.toContain('"values"');
  }, 60_000);

  it('keeps the two values of each mismatch when asked', async () => {
    const connection = await connectFhirServer({ baseUrl: small.baseUrl });
    const withValues = await reconcilePatients(connection, {
      extract: smallExtract(),
      examples: 1000,
      pageSize: 1000,
      values: true,
    });
    const dates = withValues.mismatches.birthDate.examples.map((e) => e.values);
    expect(dates).toHaveLength(small.manifest.birthDate.length);
    expect(withValues.mismatches.name.examples).toHaveLength(small.manifest.name.length);
    for (const d of dates) {
      // the seed moved each of these birth dates one day on
      const next = new Date(`${d?.file}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      expect(d?.server).toBe(next.toISOString().slice(0, 10));
    }
    expect(withValues.mismatches.name.examples.every((e) => e.values?.file !== e.values?.server)).toBe(true);
  }, 60_000);

  it('keeps the requested number of examples while counting all', async () => {
    const connection = await connectFhirServer({ baseUrl: small.baseUrl });
    const result = await reconcilePatients(connection, {
      extract: smallExtract(),
      examples: 1,
      pageSize: 1000,
    });
    expect(result.missingOnServer.count).toBe(
      small.manifest.notLoaded.length + small.manifest.missing.length,
    );
    expect(result.missingOnServer.count).toBeGreaterThan(1);
    expect(result.missingOnServer.examples).toHaveLength(1);
  });
});

describe('pullResources', () => {
  let exporting: RunningFhirServer;
  beforeAll(async () => {
    exporting = await startFhirServer({
      bulkExport: true,
      token: 'export-token',
      seed: demo.patients.slice(0, 1234),
    });
  });
  afterAll(() => exporting?.close());

  it('uses $export where the server offers it, polling until done, in batches', async () => {
    const connection = await connectFhirServer({ baseUrl: exporting.baseUrl, token: 'export-token' });
    expect(connection.capabilities.bulkExport).toBe(true);
    const waits: number[] = [];
    const ids = new Set<string>();
    const result = await pullResources(connection, {
      resourceType: 'Patient',
      wait: async (ms) => {
        waits.push(ms);
      },
      onPage: (resources) => {
        for (const r of resources) ids.add(r.id as string);
      },
    });
    expect(result.method).toBe('export');
    expect(result.note).toMatch(/bulk export/);
    expect(ids.size).toBe(1234);
    expect(result.pages).toBe(Math.ceil(1234 / 500));
    expect(waits).toEqual([1000]);
  });

  it('keeps downloading an export file when the response timeout fires after the file started', async () => {
    const timers: AbortController[] = [];
    const connection = await connectFhirServer({
      baseUrl: exporting.baseUrl,
      token: 'export-token',
      timeoutSignal: () => {
        const timer = new AbortController();
        timers.push(timer);
        return timer.signal;
      },
    });
    let count = 0;
    const result = await pullResources(connection, {
      resourceType: 'Patient',
      wait: async () => {},
      onPage: (resources) => {
        count += resources.length;
        // the file's response has started: every timeout made so far now fires
        for (const timer of timers) timer.abort();
      },
    });
    expect(result.method).toBe('export');
    expect(count).toBe(1234);
  });

  it('falls back to paging, and says so, where $export is not offered', async () => {
    const connection = await connectFhirServer({ baseUrl: small.baseUrl });
    let count = 0;
    const result = await pullResources(connection, {
      resourceType: 'Patient',
      pageSize: 1000,
      onPage: (resources) => {
        count += resources.length;
      },
    });
    expect(result.method).toBe('paging');
    expect(result.note).toMatch(/does not offer bulk export/);
    expect(count).toBe(small.patients.length);
  });

  it('says the token was refused when the export files need one', async () => {
    const connection = await connectFhirServer({ baseUrl: exporting.baseUrl, token: 'export-token' });
    const stale = { ...connection, authorization: () => 'Bearer stale' };
    const error = await failure(
      pullResources(stale, { resourceType: 'Patient', wait: async () => {}, onPage: () => {} }),
    );
    expect(error.kind).toBe('unauthorized');
  });
});

describe('bulk export as the panel follows it', () => {
  let server: RunningFhirServer;
  const seen: { method: string; path: string }[] = [];
  beforeAll(async () => {
    server = await startFhirServer({
      bulkExport: true,
      exportProblems: 3,
      seed: small.patients.slice(0, 40),
      beforeAnswer: ({ method, path }) => {
        seen.push({ method, path });
      },
    });
  });
  afterAll(() => server?.close());

  it('tells each phase: started, waiting as Retry-After asks with the server’s progress, downloading', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const states: ExportState[] = [];
    const result = await pullResources(connection, {
      resourceType: 'Patient',
      wait: async () => {},
      onExport: (state) => states.push(state),
      onPage: () => {},
    });
    expect(states).toEqual([
      { phase: 'kick-off' },
      { phase: 'waiting', checks: 1, nextCheckMs: 1000, serverProgress: 'in progress' },
      { phase: 'downloading', file: 1, files: 1 },
    ]);
    expect(result.resources).toBe(40);
    // the server's error file is counted, never quoted
    expect(result.serverProblems).toBe(3);
    expect(result.note).toMatch(/the server reported 3 problems with the export/);
    expect(result.note).not.toMatch(/could not be exported/);
  });

  it('withdraws the export on the server when cancelled while it is being prepared', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const controller = new AbortController();
    seen.length = 0;
    const error = await failure(
      pullResources(connection, {
        resourceType: 'Patient',
        signal: controller.signal,
        // the user cancels while the app waits for the next status check
        wait: async (_ms, signal) => {
          controller.abort();
          if (signal?.aborted) throw new FhirServerError('cancelled', 'Cancelled.', '');
        },
        onPage: () => {},
      }),
    );
    expect(error.kind).toBe('cancelled');
    const status = seen.find((r) => r.path.startsWith('$export-status/'))?.path;
    expect(seen.map((r) => r.method)).toEqual(['GET', 'GET', 'DELETE']);
    expect(seen.at(-1)?.path).toBe(status);
    // the export is gone: its status address no longer answers
    const after = await fetch(`${server.baseUrl}/${status}`);
    expect(after.status).toBe(404);
  });

  it('withdraws the export when the server fails while preparing it', async () => {
    let failing = true;
    const flaky = await startFhirServer({
      bulkExport: true,
      seed: small.patients.slice(0, 5),
      beforeAnswer: ({ method, path }) => {
        seen.push({ method, path });
        if (failing && method === 'GET' && path.startsWith('$export-status/')) {
          failing = false;
          throw new Error('export job crashed');
        }
      },
    });
    try {
      seen.length = 0;
      const connection = await connectFhirServer({ baseUrl: flaky.baseUrl });
      const error = await failure(
        pullResources(connection, { resourceType: 'Patient', wait: async () => {}, onPage: () => {} }),
      );
      expect(error.kind).toBe('server-error');
      expect(error.message).toMatch(/answered with an error \(HTTP \d+\) while exporting Patient records/);
      expect(seen.at(-1)?.method).toBe('DELETE');
    } finally {
      await flaky.close();
    }
  });

  it('reads page by page when asked, though the server offers $export, and says so', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    seen.length = 0;
    let count = 0;
    const result = await pullResources(connection, {
      resourceType: 'Patient',
      method: 'paging',
      onPage: (resources) => {
        count += resources.length;
      },
    });
    expect(result.method).toBe('paging');
    expect(result.note).toBe(
      'Read page by page, as chosen, although the server offers bulk export ($export).',
    );
    expect(count).toBe(40);
    expect(seen.some((r) => r.path.includes('$export'))).toBe(false);
  });
});
