/**
 * writeTransaction against the local FHIR server (transactions that roll back as a whole,
 * validation on write) and a few misbehaving servers made here: success, retry safety, rollback,
 * 401, a stopped server, a slow one (a test-controlled timeout signal, no wall clock), a dropped
 * connection and a server without transactions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceType, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signoffBundle } from '../../src/core/signoff/exports/index.ts';
import { connectFhirServer } from '../../src/fhir/connection.ts';
import { FhirServerError } from '../../src/fhir/errors.ts';
import { TransactionBundleError, writeTransaction } from '../../src/fhir/transaction.ts';
import { fixtureDecision, fixtureReview, fixtureSamplePlan } from '../../src/formats/testing/fixtures.ts';
import { capabilityStatement, type RunningFhirServer, startFhirServer } from './server.ts';
import { signoffLikeBundle } from './transactionBundles.ts';

let server: RunningFhirServer;
let locked: RunningFhirServer;
let odd: Server;
let oddOrigin: string;
/** POSTs the odd server holds unanswered */
const hanging: (() => void)[] = [];
let postArrived: () => void = () => {};

beforeAll(async () => {
  [server, locked] = await Promise.all([startFhirServer(), startFhirServer({ token: 'write-token' })]);
  // /plain: an R4 server whose CapabilityStatement offers no transactions;
  // /slow: offers them but never answers the POST; /drop: closes the connection on the POST
  odd = createServer((req, res) => {
    const base = `${oddOrigin}${req.url?.split('/metadata')[0]}`;
    if (req.method === 'GET' && req.url?.endsWith('/metadata')) {
      const statement = capabilityStatement(base);
      if (req.url.startsWith('/plain')) delete statement.rest?.[0]?.interaction;
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(statement));
      return;
    }
    req.resume();
    if (req.url?.startsWith('/auth')) {
      res
        .writeHead(401, { 'content-type': 'application/fhir+json' })
        .end(
          JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }),
        );
      return;
    }
    if (req.url?.startsWith('/blame')) {
      res.writeHead(422, { 'content-type': 'application/fhir+json' }).end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'value',
              details: { text: 'Value "Jane" is not allowed' },
              expression: ['Bundle.entry[3].resource.status'],
            },
            { severity: 'warning', code: 'informational', expression: ['Bundle.entry[0].resource.code'] },
          ],
        }),
      );
      return;
    }
    if (req.url?.startsWith('/toomany') || req.url?.startsWith('/broken')) {
      const tooMany = req.url.startsWith('/toomany');
      res.writeHead(tooMany ? 400 : 502, { 'content-type': 'application/fhir+json' }).end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: tooMany ? 'too-costly' : 'exception',
              details: { text: 'Transaction for "Jane Secret" has too many entries (max 2)' },
            },
          ],
        }),
      );
      return;
    }
    if (req.url?.startsWith('/drop')) {
      req.on('end', () => req.socket.destroy());
      return;
    }
    hanging.push(() => res.end());
    postArrived();
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
  oddOrigin = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const answer of hanging) answer();
  odd?.closeAllConnections();
  await Promise.all([server?.close(), locked?.close(), new Promise((resolve) => odd?.close(resolve))]);
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

async function count(s: RunningFhirServer, resourceType: ResourceType): Promise<number> {
  return (await s.repository.searchResources({ resourceType })).length;
}

describe('writeTransaction', () => {
  it('writes every entry with its own id, and a retry writes the same ids again (no duplicates)', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const bundle = signoffLikeBundle('s1');
    const first = await writeTransaction(connection, bundle);
    expect(first.entries.map((e) => `${e.resourceType}/${e.id}`)).toEqual([
      'Task/s1-task',
      'Provenance/s1-decision-1',
      'Provenance/s1-decision-2',
      'VerificationResult/s1-stratum-1',
    ]);
    expect(first.entries.every((e) => e.location?.startsWith(`${e.resourceType}/${e.id}`))).toBe(true);
    // the local server answers "201 Created" to a PUT that creates (server.ts gap 7)
    expect([first.created, first.updated]).toEqual([4, 0]);
    const counts = async () => ({
      Task: await count(server, 'Task'),
      Provenance: await count(server, 'Provenance'),
      VerificationResult: await count(server, 'VerificationResult'),
    });
    expect(await counts()).toEqual({ Task: 1, Provenance: 2, VerificationResult: 1 });
    const again = await writeTransaction(connection, bundle);
    expect(again.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect([again.created, again.updated]).toEqual([0, 4]);
    expect(await counts()).toEqual({ Task: 1, Provenance: 2, VerificationResult: 1 });
    const task = await server.repository.readResource<Task>('Task', 's1-task');
    expect(task.status).toBe('completed');
  });

  it('writes a sign-off of 120 Provenances (three of the router’s runs of 50 updates) in one transaction, retry-safe', async () => {
    // the bound crossed is the router's 50 updates: a third, partial run proves the runs chain
    const DECIDED = 120;
    const keys = Array.from({ length: DECIDED }, (_, i) => `MRN-${i + 1}`);
    const base = fixtureReview('long');
    const review = {
      ...base,
      sample: {
        ...base.sample,
        strata: [
          {
            id: 'patients',
            census: false,
            population: 5000,
            n: DECIDED,
            records: keys.map((key, i) => ({ file: 'patients.csv', row: i + 2, key })),
          },
        ],
      },
      decisions: keys.map((key, i) => ({ ...fixtureDecision(`demo-d${i}`, key), row: i + 2 })),
    };
    const bundle = signoffBundle({ plan: fixtureSamplePlan(), review, now: '2025-03-03T10:00:00Z' });
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const provenances = await count(server, 'Provenance');
    const first = await writeTransaction(connection, bundle);
    expect(first.entries).toHaveLength(bundle.entry.length);
    expect(first.created).toBe(bundle.entry.length);
    expect(await count(server, 'Provenance')).toBe(provenances + DECIDED);
    const again = await writeTransaction(connection, bundle);
    expect([again.created, again.updated]).toEqual([0, bundle.entry.length]);
    expect(await count(server, 'Provenance')).toBe(provenances + DECIDED);
  }, 120_000);

  it('writes nothing when one entry is refused, and names that entry and where, not its values', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const bundle = signoffLikeBundle('s2');
    // the third entry's Provenance loses a required element: the server refuses the whole transaction
    const broken = bundle.entry[2]?.resource as { recorded?: string };
    delete broken.recorded;
    const before = await count(server, 'Provenance');
    const error = await failure(writeTransaction(connection, bundle));
    expect(error).toBeInstanceOf(FhirServerError);
    const { kind, status, message, advice } = error as FhirServerError;
    expect({ kind, status }).toEqual({ kind: 'server-error', status: 400 });
    expect(message).toContain(
      `${server.origin} refused the transaction (HTTP 400); nothing in it was written.`,
    );
    // the server names only the type: both Provenance entries are named, with the location
    expect(message).toContain('entry 2 (Provenance/s2-decision-1), entry 3 (Provenance/s2-decision-2)');
    expect(message).toContain('Provenance.recorded');
    expect(message).not.toContain('Reviewer');
    expect(advice).toMatch(/send it again/);
    expect(await count(server, 'Provenance')).toBe(before);
    await expect(server.repository.readResource('Task', 's2-task')).rejects.toThrow();
  });

  it('names the entry a Bundle.entry[n] location points at (errors only), without the server’s text', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/blame` });
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s13')))) as FhirServerError;
    expect(error.message).toBe(
      `${oddOrigin} refused the transaction (HTTP 422); nothing in it was written. It names entry 4 (VerificationResult/s13-stratum-1) at Bundle.entry[3].resource.status (value).`,
    );
    expect(error.advice).toMatch(/^Correct the named record/);
  });

  it('gives the server’s reason when it names no entry, leaving out anything quoted', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/toomany` });
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s11')))) as FhirServerError;
    expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'server-error', status: 400 });
    expect(error.message).toBe(
      `${oddOrigin} refused the transaction (HTTP 400); nothing in it was written. It says: Transaction for … has too many entries (max 2) (too-costly).`,
    );
    expect(error.message).not.toContain('Jane');
    expect(error.advice).toMatch(/how many records one transaction may hold/);
  });

  it('says a server error (5xx) leaves it unknown whether it was applied, and that a retry is safe', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/broken` });
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s12')))) as FhirServerError;
    expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'server-error', status: 502 });
    expect(error.message).toBe(
      `${oddOrigin} answered with an error (HTTP 502) while applying the transaction, so the server may or may not have applied it.`,
    );
    expect(error.message).not.toContain('Jane');
    expect(error.advice).toMatch(/^Sending the same Bundle again is safe/);
  });

  it('refuses a Bundle with a POST entry before sending anything', async () => {
    const connection = await connectFhirServer({ baseUrl: server.baseUrl });
    const bundle = signoffLikeBundle('s3');
    (bundle.entry[1] as { request: { method: string; url: string } }).request = {
      method: 'POST',
      url: 'Provenance',
    };
    const before = await count(server, 'Task');
    const error = await failure(writeTransaction(connection, bundle));
    expect(error).toBeInstanceOf(TransactionBundleError);
    expect(error.message).toMatch(/entry 2 .*POST.*retry would duplicate/);
    expect(await count(server, 'Task')).toBe(before);
  });

  it('sends the token, and says what to do when the server refuses it (401)', async () => {
    const good = await connectFhirServer({ baseUrl: locked.baseUrl, token: 'write-token' });
    expect((await writeTransaction(good, signoffLikeBundle('s4'))).entries).toHaveLength(4);
    expect(await count(locked, 'Task')).toBe(1);
    // /auth reads its CapabilityStatement openly but refuses the write
    const open = await connectFhirServer({ baseUrl: `${oddOrigin}/auth`, token: 'expired-token' });
    const error = (await failure(writeTransaction(open, signoffLikeBundle('s5')))) as FhirServerError;
    expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'unauthorized', status: 401 });
    expect(error.advice).toMatch(/access token/);
    expect(`${error.message} ${error.advice}`).not.toContain('expired-token');
  });

  it('says a stopped server cannot be reached, that it may or may not have applied it, and that a retry is safe', async () => {
    const stopped = await startFhirServer();
    const connection = await connectFhirServer({ baseUrl: stopped.baseUrl });
    await stopped.close();
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s6')))) as FhirServerError;
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      `The connection to ${stopped.origin} failed while sending the transaction, so the server may or may not have applied it.`,
    );
    expect(error.advice).toMatch(
      /^Sending the same Bundle again is safe: every entry is a PUT with its own id/,
    );
  });

  it('says the same when the server drops the connection mid-request', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/drop` });
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s7')))) as FhirServerError;
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/may or may not have applied it/);
    expect(error.advice).toMatch(/safe/);
  });

  it('gives up on a slow server (timeout) and says a retry is safe', async () => {
    let arm: AbortController | undefined;
    const connection = await connectFhirServer({
      baseUrl: `${oddOrigin}/slow`,
      timeoutSignal: () => {
        arm = new AbortController();
        return arm.signal;
      },
    });
    postArrived = () => arm?.abort(new DOMException('timed out', 'TimeoutError'));
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s8')))) as FhirServerError;
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(
      `${oddOrigin} did not answer in time while applying the transaction, so the server may or may not have applied it.`,
    );
    expect(error.advice).toMatch(/safe/);
  });

  it('tells a cancel from a timeout', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/slow` });
    const user = new AbortController();
    postArrived = () => user.abort();
    const error = (await failure(
      writeTransaction(connection, signoffLikeBundle('s9'), { signal: user.signal }),
    )) as FhirServerError;
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(/may or may not have applied it/);
  });

  it('refuses a server that does not offer transactions, sending nothing', async () => {
    const connection = await connectFhirServer({ baseUrl: `${oddOrigin}/plain` });
    const posts = hanging.length;
    const error = (await failure(writeTransaction(connection, signoffLikeBundle('s10')))) as FhirServerError;
    expect(error.kind).toBe('not-supported');
    expect(error.message).toMatch(/does not say it accepts transactions.*nothing was sent/);
    expect(hanging.length).toBe(posts);
  });
});
