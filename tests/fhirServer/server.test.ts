/**
 * The local FHIR server, through fhir-kit-client (the client Preflight uses): every operation the
 * client relies on, and each gap of the bare router that server.ts closes.
 *
 * The server holds the demo seed of the extract's first {@link ROWS} rows: paging and links do not
 * depend on the count. The whole seed is checked against the validator once, without a server.
 */
import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from './demoServer.ts';
import { demoSeed, MRN_SYSTEM } from './seed.ts';
import { type RunningFhirServer, startFhirServer, validationOutcome } from './server.ts';

/** keepalive off: fhir-kit-client's default breaks bodies over 64 KiB */
const NO_KEEPALIVE = { keepalive: false } as const;

/** Data rows of the demo extract the server is seeded from. */
const ROWS = 200;
let demo: DemoFhirServer;
let empty: RunningFhirServer;
let locked: RunningFhirServer;

beforeAll(async () => {
  demo = await startDemoFhirServer({}, ROWS);
  empty = await startFhirServer();
  locked = await startFhirServer({ token: 'secret-token' });
}, 120_000);
afterAll(async () => {
  await Promise.all([demo?.close(), empty?.close(), locked?.close()]);
});

const client = (server: RunningFhirServer, token?: string) =>
  new Client({ baseUrl: server.baseUrl, ...(token ? { bearerToken: token } : {}) });

const patient = (family: string, mrn: string): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: MRN_SYSTEM, value: mrn }],
  name: [{ family, given: ['Test'] }],
  birthDate: '1980-05-06',
  gender: 'female',
});

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; data: OperationOutcome }> {
  try {
    await promise;
  } catch (error) {
    const { response } = error as { response: { status: number; data: OperationOutcome } };
    return response;
  }
  throw new Error('expected the request to fail');
}

describe('local FHIR server', () => {
  it('listens on loopback only', () => {
    expect(new URL(demo.baseUrl).hostname).toBe('127.0.0.1');
  });

  it('serves a CapabilityStatement at /metadata (gap 5)', async () => {
    const cs = (await client(demo).capabilityStatement({ ...NO_KEEPALIVE })) as {
      resourceType: string;
      fhirVersion: string;
      rest: { resource: { type: string }[] }[];
    };
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.rest[0]?.resource.map((r) => r.type)).toContain('Patient');
  });

  it('holds the demo seed: every loaded patient, plus the extras', async () => {
    const bundle = (await client(demo).search({
      resourceType: 'Patient',
      searchParams: { _count: 1 },
      options: NO_KEEPALIVE,
    })) as unknown as Bundle;
    expect(bundle.total).toBe(demo.patients.length);
    expect(demo.refusedSeed).toEqual([]);
    expect(demo.manifest.extra).toHaveLength(3);
  });

  it('every seed patient passes validation on write (the seed is what a real load would accept)', async () => {
    const { patients } = await demoSeed();
    expect(patients.length).toBeGreaterThan(4900);
    const invalid = patients.filter((p) => validationOutcome(p) !== undefined);
    expect(invalid).toEqual([]);
  }, 60_000);

  it('creates (201 + Location), reads, updates and deletes (gap 1: url vs pathname)', async () => {
    const c = client(empty);
    const created = (await c.create({
      resourceType: 'Patient',
      body: patient('Alpha', 'C-1') as never,
      options: NO_KEEPALIVE,
    })) as unknown as Patient;
    expect(created.id).toMatch(/\S/);
    const read = (await c.read({
      resourceType: 'Patient',
      id: created.id as string,
      options: NO_KEEPALIVE,
    })) as unknown as Patient;
    expect(read.name?.[0]?.family).toBe('Alpha');
    const updated = (await c.update({
      resourceType: 'Patient',
      id: created.id as string,
      body: { ...read, birthDate: '1981-01-01' },
      options: NO_KEEPALIVE,
    })) as unknown as Patient;
    expect(updated.birthDate).toBe('1981-01-01');
    await c.delete({ resourceType: 'Patient', id: created.id as string, options: NO_KEEPALIVE });
    const gone = await errorOf(
      c.read({ resourceType: 'Patient', id: created.id as string, options: NO_KEEPALIVE }),
    );
    expect(gone.status).toBe(404);
  });

  it.each([
    {
      description: 'malformed birth date',
      body: { resourceType: 'Patient', birthDate: '30.02.2023' },
      where: 'Patient.birthDate',
    },
    {
      description: 'unknown element',
      body: { resourceType: 'Patient', favouriteColour: 'blue' },
      where: 'Patient.favouriteColour',
    },
    { description: 'wrong type', body: { resourceType: 'Patient', active: 'yes' }, where: 'Patient.active' },
  ])(
    'refuses an invalid create with 400 + OperationOutcome: $description (gap 2)',
    async ({ body, where }) => {
      const refused = await errorOf(
        client(empty).create({ resourceType: 'Patient', body: body as never, options: NO_KEEPALIVE }),
      );
      expect(refused.status).toBe(400);
      expect(refused.data.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(refused.data.issue)).toContain(where);
    },
  );

  it('refuses an invalid update with 400 and keeps the stored version', async () => {
    const c = client(empty);
    const created = (await c.create({
      resourceType: 'Patient',
      body: patient('Beta', 'U-1') as never,
      options: NO_KEEPALIVE,
    })) as unknown as Patient;
    const refused = await errorOf(
      c.update({
        resourceType: 'Patient',
        id: created.id as string,
        body: { ...created, birthDate: '1980-13-45' },
        options: NO_KEEPALIVE,
      }),
    );
    expect(refused.status).toBe(400);
    const read = (await c.read({
      resourceType: 'Patient',
      id: created.id as string,
      options: NO_KEEPALIVE,
    })) as unknown as Patient;
    expect(read.birthDate).toBe('1980-05-06');
  });

  it('pages a search with next links until every patient is seen once (gap 3)', async () => {
    const c = client(demo);
    const seen = new Set<string>();
    let pages = 0;
    let bundle = (await c.search({
      resourceType: 'Patient',
      searchParams: { _count: 50 },
      options: NO_KEEPALIVE,
    })) as unknown as Bundle | undefined;
    while (bundle) {
      pages++;
      for (const entry of bundle.entry ?? []) seen.add((entry.resource as Patient).id as string);
      bundle = (await c.nextPage({ bundle: bundle as never, options: NO_KEEPALIVE })) as Bundle | undefined;
    }
    expect(seen.size).toBe(demo.patients.length);
    expect(pages).toBe(Math.ceil(demo.patients.length / 50));
  });

  it('gives previous links and none past the end', async () => {
    const c = client(demo);
    const first = (await c.search({
      resourceType: 'Patient',
      searchParams: { _count: 80 },
      options: NO_KEEPALIVE,
    })) as unknown as Bundle;
    const second = (await c.nextPage({ bundle: first as never, options: NO_KEEPALIVE })) as unknown as Bundle;
    expect(second.link?.map((l) => l.relation)).toEqual(['self', 'next', 'previous']);
    const third = (await c.nextPage({ bundle: second as never, options: NO_KEEPALIVE })) as unknown as Bundle;
    expect(third.link?.some((l) => l.relation === 'next')).toBe(false);
    expect(third.entry?.length).toBe(demo.patients.length - 160);
  });

  it('searches by identifier with POST _search; its page links never carry the identifier', async () => {
    const c = client(demo);
    const mrns = demo.manifest.extra;
    const bundle = (await c.search({
      resourceType: 'Patient',
      searchParams: { identifier: mrns.map((m) => `${MRN_SYSTEM}|${m}`).join(','), _count: 2 },
      options: { ...NO_KEEPALIVE, postSearch: true },
    })) as unknown as Bundle;
    expect(bundle.total).toBe(3);
    expect(bundle.entry).toHaveLength(2);
    for (const link of bundle.link ?? []) for (const mrn of mrns) expect(link.url).not.toContain(mrn);
    const next = (await c.nextPage({ bundle: bundle as never, options: NO_KEEPALIVE })) as unknown as Bundle;
    expect(next.entry).toHaveLength(1);
    const found = [...(bundle.entry ?? []), ...(next.entry ?? [])].map(
      (e) => (e.resource as Patient).identifier?.[0]?.value,
    );
    expect(found.sort()).toEqual([...mrns].sort());
  });

  it('rolls a failing transaction back as a whole (gap 4)', async () => {
    const c = client(empty);
    const before = (
      (await c.search({
        resourceType: 'Patient',
        searchParams: { _count: 0 },
        options: NO_KEEPALIVE,
      })) as unknown as Bundle
    ).total;
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          request: { method: 'PUT', url: 'Patient/tx-ok-1' },
          resource: { ...patient('Gamma', 'T-1'), id: 'tx-ok-1' },
        },
        { request: { method: 'POST', url: 'Patient' }, resource: patient('Delta', 'T-2') },
        {
          request: { method: 'POST', url: 'Patient' },
          resource: { resourceType: 'Patient', birthDate: 'never' },
        },
      ],
    };
    const refused = await errorOf(c.transaction({ body: transaction as never, options: NO_KEEPALIVE }));
    expect(refused.status).toBe(400);
    const after = (
      (await c.search({
        resourceType: 'Patient',
        searchParams: { _count: 0 },
        options: NO_KEEPALIVE,
      })) as unknown as Bundle
    ).total;
    expect(after).toBe(before);
    expect(
      (await errorOf(c.read({ resourceType: 'Patient', id: 'tx-ok-1', options: NO_KEEPALIVE }))).status,
    ).toBe(404);
  });

  it('applies a valid transaction, and a retry of its PUTs changes nothing', async () => {
    const c = client(empty);
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [1, 2].map((n) => ({
        request: { method: 'PUT' as const, url: `Patient/tx-put-${n}` },
        resource: { ...patient(`Put${n}`, `P-${n}`), id: `tx-put-${n}` },
      })),
    };
    const result = (await c.transaction({
      body: transaction as never,
      options: NO_KEEPALIVE,
    })) as unknown as Bundle;
    expect(result.type).toBe('transaction-response');
    await c.transaction({ body: transaction as never, options: NO_KEEPALIVE });
    const found = (await c.search({
      resourceType: 'Patient',
      searchParams: { _id: 'tx-put-1,tx-put-2' },
      options: { ...NO_KEEPALIVE, postSearch: true },
    })) as unknown as Bundle;
    expect(found.total).toBe(2);
  });

  it('accepts a body over 64 KiB (a 50-patient transaction: the router allows at most 50 updates in one)', async () => {
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: 50 }, (_, n) => ({
        request: { method: 'PUT' as const, url: `Patient/big-${n}` },
        resource: { ...patient(`Big${'x'.repeat(1500)}`, `B-${n}`), id: `big-${n}` },
      })),
    };
    expect(JSON.stringify(transaction).length).toBeGreaterThan(64 * 1024);
    const result = (await client(empty).transaction({
      body: transaction as never,
      options: NO_KEEPALIVE,
    })) as unknown as Bundle;
    expect(result.entry).toHaveLength(50);
  });

  it("applies a transaction of 300 PUTs (over the router's 50) in one go, and a retry makes no copies (gap 6)", async () => {
    const c = client(empty);
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: 300 }, (_, n) => ({
        request: { method: 'PUT' as const, url: `Patient/long-${n}` },
        resource: { ...patient('Long', `L-${n}`), id: `long-${n}` },
      })),
    };
    // the first time every PUT creates ("201 Created", gap 7), the retry updates ("200")
    for (const status of ['201', '200']) {
      const result = (await c.transaction({
        body: transaction as never,
        options: NO_KEEPALIVE,
      })) as unknown as Bundle;
      expect(result.type).toBe('transaction-response');
      expect(result.entry).toHaveLength(300);
      expect(result.entry?.[299]?.response?.location).toMatch(/^Patient\/long-299/);
      expect(new Set(result.entry?.map((e) => e.response?.status.slice(0, 3)))).toEqual(new Set([status]));
    }
    const found = (await c.search({
      resourceType: 'Patient',
      searchParams: { name: 'Long', _count: 0 },
      options: NO_KEEPALIVE,
    })) as unknown as Bundle;
    expect(found.total).toBe(300);
  });

  it('refuses a long transaction as a whole when its entry 121 (in the third run of 50) is invalid (gap 6)', async () => {
    const c = client(empty);
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: 130 }, (_, n) => ({
        request: { method: 'PUT' as const, url: `Patient/undone-${n}` },
        resource:
          n === 120
            ? ({ resourceType: 'Patient', id: `undone-${n}`, birthDate: 'never' } as Patient)
            : { ...patient('Undone', `U-${n}`), id: `undone-${n}` },
      })),
    };
    const refused = await errorOf(c.transaction({ body: transaction as never, options: NO_KEEPALIVE }));
    expect(refused.status).toBe(400);
    expect(refused.data.issue?.[0]?.expression).toEqual(['Patient.birthDate']);
    for (const id of ['undone-0', 'undone-119']) {
      expect((await errorOf(c.read({ resourceType: 'Patient', id, options: NO_KEEPALIVE }))).status).toBe(
        404,
      );
    }
  });

  it('refuses a request without the right bearer token with 401', async () => {
    expect((await errorOf(client(locked).capabilityStatement({ ...NO_KEEPALIVE }))).status).toBe(401);
    expect((await errorOf(client(locked, 'wrong').capabilityStatement({ ...NO_KEEPALIVE }))).status).toBe(
      401,
    );
    const cs = (await client(locked, 'secret-token').capabilityStatement({ ...NO_KEEPALIVE })) as {
      resourceType: string;
    };
    expect(cs.resourceType).toBe('CapabilityStatement');
  });

  it('answers a path outside /fhir with 404 and an OperationOutcome', async () => {
    const response = await fetch(`${empty.origin}/other`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
  });
});

describe('local FHIR server answering as another origin', () => {
  it('names that origin in its links, Location and CapabilityStatement, and listens on loopback', async () => {
    const origin = 'http://127.0.0.1:4891';
    const server = await startFhirServer({
      origin,
      seed: [patient('Ames', 'MRN-1'), patient('Bell', 'MRN-2')],
    });
    try {
      expect([server.origin, server.baseUrl]).toEqual([origin, `${origin}/fhir`]);
      expect(new URL(server.listening).hostname).toBe('127.0.0.1');
      expect(server.listening).not.toBe(origin);
      // reached where it listens, as the browser does through its mapping
      const at = new Client({ baseUrl: `${server.listening}/fhir` });
      const metadata = (await at.capabilityStatement({ ...NO_KEEPALIVE })) as {
        implementation?: { url?: string };
      };
      expect(metadata.implementation?.url).toBe(`${origin}/fhir`);
      const page = (await at.search({
        resourceType: 'Patient',
        searchParams: { _count: 1 },
        options: NO_KEEPALIVE,
      })) as unknown as Bundle;
      expect(page.link?.map((l) => [l.relation, l.url?.startsWith(`${origin}/fhir/Patient?`)])).toEqual([
        ['self', true],
        ['next', true],
      ]);
      const created = await fetch(`${server.listening}/fhir/Patient`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(patient('Cole', 'MRN-3')),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(
        new RegExp(`^${origin.replaceAll('.', '\\.')}/fhir/Patient/`),
      );
    } finally {
      await server.close();
    }
  });
});
