/**
 * The CLI's FHIR client follows no redirect: a 307 would re-POST a search body (patients'
 * identifiers) to another server, and that server's answer would be reported as this one's. Each
 * redirect is refused naming the origin it pointed to, and the other server hears nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFhirServer } from './connection.ts';
import { FhirServerError } from './errors.ts';
import { bulkExport, pageSearch } from './pull.ts';

const CAPABILITIES = {
  resourceType: 'CapabilityStatement',
  fhirVersion: '4.0.1',
  rest: [{ mode: 'server', resource: [{ type: 'Patient', operation: [{ name: 'export' }] }] }],
};

let redirecting: Server;
let elsewhere: Server;
let here = '';
let there = '';
/** requests the other server received */
let heardElsewhere = 0;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  elsewhere = createServer((request, response) => {
    heardElsewhere++;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/fhir+json' });
    response.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }));
  });
  there = await listen(elsewhere);
  redirecting = createServer((request, response) => {
    request.resume();
    const url = request.url ?? '';
    if (url.startsWith('/fhir/metadata')) {
      response.writeHead(200, { 'content-type': 'application/fhir+json' });
      response.end(JSON.stringify(CAPABILITIES));
    } else if (url.startsWith('/fhir/moved')) {
      response.writeHead(301, { location: '/fhir-new/Patient' });
      response.end();
    } else {
      // the search (POST _search or GET), the export kick-off: all sent on to the other server
      response.writeHead(307, { location: `${there}${url}` });
      response.end('Temporary Redirect');
    }
  });
  here = await listen(redirecting);
});

afterAll(async () => {
  await Promise.all([redirecting, elsewhere].map((s) => new Promise((resolve) => s.close(resolve))));
});

const connect = () =>
  connectFhirServer({
    baseUrl: `${here}/fhir`,
    refuseRedirects: true,
    timeoutSignal: () => new AbortController().signal,
  });

async function refusal(run: () => Promise<unknown>): Promise<FhirServerError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirServerError);
  return error as FhirServerError;
}

describe('redirects from a FHIR server (CLI)', () => {
  it.each([
    {
      description: 'a search with values (POST _search) sent on by a 307',
      run: (c: Awaited<ReturnType<typeof connect>>) =>
        pageSearch(c, { resourceType: 'Patient', params: { identifier: 'MRN|123' }, onPage: () => {} }),
    },
    {
      description: 'a search without values (GET) sent on by a 307',
      run: (c: Awaited<ReturnType<typeof connect>>) =>
        pageSearch(c, { resourceType: 'Patient', onPage: () => {} }),
    },
    {
      description: 'a bulk export kick-off sent on by a 307',
      run: (c: Awaited<ReturnType<typeof connect>>) =>
        bulkExport(c, { resourceType: 'Patient', onPage: () => {} }),
    },
  ])('refuses $description, naming the other origin', async ({ run }) => {
    heardElsewhere = 0;
    const connection = await connect();
    const error = await refusal(() => run(connection));
    expect(error.kind).toBe('redirected');
    expect(error.status).toBe(307);
    expect(error.message).toContain(`${here} redirected the request to another server, ${there} (HTTP 307)`);
    expect(error.message).toContain('nothing was sent there');
    expect(error.message).not.toContain('MRN');
    expect(heardElsewhere).toBe(0);
  });

  it('refuses a redirect on the same server, saying so', async () => {
    const connection = await connect();
    const error = await refusal(() =>
      connection.call('reading Patient records', (client, o) => client.request('moved', { options: o })),
    );
    expect(error.kind).toBe('redirected');
    expect(error.message).toContain('to another address on the same server (HTTP 301)');
  });
});
