/**
 * Signed tree heads time-stamped by an RFC 3161 authority (`serve --tsa`): OpenSSL's own TSA
 * (`openssl ts -reply`, behind a small HTTP handler) is the real one, with a throwaway CA and a
 * TSA certificate for time-stamping. Each new head is stamped and kept with its token, the
 * export carries it, and the stamp verifies under the CA; a slow authority holds no one else's
 * request (it is asked with no transaction open); an authority that is down leaves the head
 * unstamped, is not asked again during the pause, and the next head after is stamped; a stamp moved to another head, or by an authority
 * the user does not trust, is refused. One server, on the embedded database.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORITY_FILES, answerTimeStampQuery, makeTestAuthority } from '../../tests/setup/openSslTsa.ts';
import { runCli } from '../cli/cliTestKit.ts';
import { certificatesOfPem, checkTreeHeadStamp } from '../core/timeStamp/index.ts';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import { loadProjectAudit } from '../formats/projectAudit.ts';
import type { Database } from './index.ts';
import { fileTestEngines } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';
import { TSA_PAUSE_MS } from './timeStamper.ts';

const testEngines = fileTestEngines();
const START = Date.UTC(2026, 4, 4, 9);

describe('tree heads time-stamped by an RFC 3161 authority', () => {
  let dir: string;
  let tsa: Server;
  let tsaDown = false;
  /** every request the authority was sent, answered or not */
  let tsaRequests = 0;
  /** while set, the authority holds each answer until the test opens it */
  let gate: Promise<void> | undefined;
  /** resolved when the authority receives a request */
  let received: () => void = () => {};
  let db: Database;
  let server: ServerWithPeople<'lena' | 'vic'>;
  let project: string;
  let ca: Uint8Array[];
  /** the lead's first export: its head's stamp is over another head than later exports' */
  let firstExport: { treeHead: SignedTreeHead };
  let now = START;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-tsa-'));
    await makeTestAuthority(dir);
    ca = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.ca), 'utf8'));
    let asked = 0;
    tsa = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', async () => {
        tsaRequests++;
        received();
        if (tsaDown) return response.writeHead(503).end();
        await gate;
        const n = ++asked;
        const reply = await answerTimeStampQuery(dir, Buffer.concat(chunks), `q${n}`);
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
      });
    });
    await new Promise<void>((resolve) => tsa.listen(0, '127.0.0.1', resolve));
    const address = tsa.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    db = await testEngines.running().open('embedded');
    server = await serverWithPeople(db, { lena: 'Lena Lead', vic: 'Vic Viewer' }, () => now, {
      tsaUrl: `http://127.0.0.1:${port}/tsa`,
    });
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'vic', role: 'viewer' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
    tsa?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const headNow = async () =>
    (await server.ask('vic', 'GET', `/api/projects/${project}/log/head`)).body as SignedTreeHead;

  it('stamps each new head, keeps the token with it, and the export carries it', async () => {
    const head = await headNow();
    expect(head.timeStamp).toEqual(expect.any(String));
    const check = await checkTreeHeadStamp(head, head.timeStamp as string, ca);
    expect(check).toMatchObject({ ok: true, authority: 'Clinic Test TSA' });
    expect(check.ok && Math.abs(Date.parse(check.time) - Date.now())).toBeLessThan(120_000);
    // asked again over the same log, the server answers the head it kept, token and all
    expect(await headNow()).toEqual(head);

    const exported = await server.ask('lena', 'GET', `/api/projects/${project}/audit`);
    const loaded = loadProjectAudit(exported.body);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    const carried = loaded.ok ? loaded.value.treeHead : undefined;
    expect(carried?.timeStamp).toEqual(expect.any(String));
    firstExport = exported.body;
    expect(
      await checkTreeHeadStamp(carried as SignedTreeHead, carried?.timeStamp as string, ca),
    ).toMatchObject({ ok: true });
  });

  it('asks a slow authority with no transaction open: others are answered meanwhile', async () => {
    let open: () => void = () => {};
    gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const asked = new Promise<void>((resolve) => {
      received = resolve;
    });
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, slow authority' });
    const pending = headNow();
    await asked;
    // the stamp is pending: another person's read of the project, and a write, are answered
    const read = await server.ask('lena', 'GET', `/api/projects/${project}`);
    expect(read.status).toBe(200);
    const renamed = await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live' });
    expect(renamed.status).toBe(200);
    open();
    gate = undefined;
    const head = await pending;
    // the head is over the log as it was when it was signed, stamped, and kept with its stamp
    expect(await checkTreeHeadStamp(head, head.timeStamp as string, ca)).toMatchObject({ ok: true });
    const next = await headNow();
    expect(next.size).toBe(head.size + 1);
  });

  it('keeps heads unstamped while the authority is down, asks it again only after the pause', async () => {
    tsaDown = true;
    const before = tsaRequests;
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, clinic A' });
    const unstamped = await headNow();
    expect(unstamped.timeStamp).toBeUndefined();
    expect(tsaRequests).toBe(before + 1);
    // within the pause the authority is not asked, even though it is back: the head is unstamped
    tsaDown = false;
    now += TSA_PAUSE_MS - 1_000;
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, clinic A2' });
    const paused = await headNow();
    expect(paused.size).toBeGreaterThan(unstamped.size);
    expect(paused.timeStamp).toBeUndefined();
    expect(tsaRequests).toBe(before + 1);
    // after the pause the next head is stamped
    now += 1_000;
    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, clinic B' });
    const next = await headNow();
    expect(next.size).toBeGreaterThan(paused.size);
    expect(tsaRequests).toBe(before + 2);
    expect(await checkTreeHeadStamp(next, next.timeStamp as string, ca)).toMatchObject({ ok: true });
  });

  it('refuses a stamp moved to another head, or by an authority the user does not trust', async () => {
    const head = await headNow();
    const token = head.timeStamp as string;
    const moved = await checkTreeHeadStamp({ ...head, size: head.size + 1 }, token, ca);
    expect(moved).toEqual({
      ok: false,
      problem: 'other-head',
      message: expect.stringMatching(/over another message than this head/),
    });
    const other = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.other), 'utf8'));
    const untrusted = await checkTreeHeadStamp(head, token, other);
    expect(untrusted).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Clinic Test TSA, whose certificate is not one you trust/),
    });
    // the TSA's own certificate, trusted directly, is enough
    const own = certificatesOfPem(await readFile(path.join(dir, AUTHORITY_FILES.tsa), 'utf8'));
    expect(await checkTreeHeadStamp(head, token, own)).toMatchObject({ ok: true });
    // a token whose signature was tampered with does not verify
    const bytes = Buffer.from(token, 'base64');
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    expect(await checkTreeHeadStamp(head, bytes.toString('base64'), ca)).toMatchObject({ ok: false });
  });

  it('signoff verify checks each stamp against the certificate the user trusts and prints its time', async () => {
    const exported = (await server.ask('lena', 'GET', `/api/projects/${project}/audit`)).body;
    await writeFile(path.join(dir, 'export.json'), JSON.stringify(exported));
    const verify = (...args: string[]) => runCli(['signoff', 'verify', 'export.json', ...args], dir);

    const trusted = await verify('--tsa-cert', 'ca.pem');
    expect(trusted.code).toBe(0);
    expect(trusted.out).toMatch(
      new RegExp(
        `tree head of project ${project} over ${exported.treeHead.size} entries: time-stamped by Clinic Test TSA at \\d{4}-`,
      ),
    );
    const unnamed = await verify();
    expect(unnamed.code).toBe(0);
    expect(unnamed.out).toMatch(
      /carries a time-stamp by Clinic Test TSA, not checked against an authority you trust/,
    );

    const stranger = await verify('--tsa-cert', 'other.pem');
    expect(stranger.code).toBe(1);
    expect(stranger.out).toMatch(
      /TIME-STAMP REFUSED: .*Clinic Test TSA, whose certificate is not one you trust/,
    );

    // the first head's stamp put on the later head: the head's signature still verifies, the stamp does not
    const moved = {
      ...exported,
      treeHead: { ...exported.treeHead, timeStamp: firstExport.treeHead.timeStamp },
    };
    await writeFile(path.join(dir, 'export.json'), JSON.stringify(moved));
    const refused = await verify('--tsa-cert', 'ca.pem');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/TIME-STAMP REFUSED: .*over another message than this head/);
  });
});
