/**
 * A member's browser as the witness of the team server's audit log, against the real server
 * (its routes over the embedded database, people signed in as the sign-in callback signs them
 * in) and this browser's own store (fake IndexedDB): the browser keeps the head of each sync,
 * and when whoever owns the database deletes a former member's `member-removed` entry, re-chains
 * the rest and deletes the server's signed heads too — so the server, with nothing to compare,
 * signs the rewritten log — the next sync says the log was changed, with both heads, keeps the
 * head it had, and keeps saying so.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// biome-ignore lint/style/noRestrictedImports: the test reads the server's log to find the entry it deletes
import { readAudit } from '../../server/auditLog.ts';
// biome-ignore lint/style/noRestrictedImports: as below
import type { Database } from '../../server/database.ts';
// biome-ignore lint/style/noRestrictedImports: the test starts the real server the browser talks to over HTTP
import { startTestEngines, type TestEngines } from '../../server/testing/databases.ts';
// biome-ignore lint/style/noRestrictedImports: as above; the witness itself imports nothing of the server
import { type ServerWithPeople, serverWithPeople } from '../../server/testing/people.ts';
// biome-ignore lint/style/noRestrictedImports: as above: the database owner's rewrite, done without the server
import { deleteAndRechain, deleteSignedHeads } from '../../server/testing/rewrite.ts';
import { createLogWitnessStore } from '../../storage/logWitnessStore.ts';
import type { TeamSession } from '../../storage/teamServer.ts';
import { witnessTeamLog } from './logWitness.ts';

const PEOPLE = { lena: 'Lena Lead', vic: 'Vic Viewer', tom: 'Tom Former' } as const;
const NOW = Date.parse('2026-11-25T10:00:00.000Z');

let engines: TestEngines;
let server: ServerWithPeople<keyof typeof PEOPLE>;
let db: Database;
beforeAll(async () => {
  engines = await startTestEngines();
  db = await engines.open('embedded');
  server = await serverWithPeople(db, PEOPLE, () => NOW);
}, 180_000);
afterAll(async () => {
  await server.close();
  await engines.stop();
});

/** Vic's browser: same-origin requests go to the test server with her cookie. */
const vic = (): TeamSession => ({
  base: '',
  csrfToken: '',
  fetchImpl: (input, init) =>
    fetch(`${server.base}${input}`, {
      ...init,
      headers: { ...init?.headers, cookie: server.cookieOf('vic') },
    }),
});

describe('a member’s browser witnesses the team server’s audit log', () => {
  it('catches a rewrite the server itself can no longer see, and keeps saying so', async () => {
    const { ask } = server;
    const project = (await ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'vic', role: 'viewer' });
    const tom = await ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'tom',
      role: 'analyst',
    });
    const store = createLogWitnessStore('witness-test');
    expect(await witnessTeamLog(vic(), project, store)).toBeNull();
    expect((await store.get(project))?.head.size).toBe(3);

    await ask('lena', 'DELETE', `/api/projects/${project}/members/${tom.body.member.id}`);
    expect(await witnessTeamLog(vic(), project, store)).toBeNull();
    const seen = (await store.get(project))?.head;
    expect(seen?.size).toBe(4);

    const removed = (await readAudit(db, { project })).find((e) => e.kind === 'member-removed');
    await deleteAndRechain(db, removed?.seq as number);
    await deleteSignedHeads(db, project);
    await ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, clinic A' });

    const said = await witnessTeamLog(vic(), project, store, () => '2026-11-25T10:05:00.000Z');
    expect(said).toContain(
      'The team server’s audit log for this project was changed after this browser last saw it',
    );
    expect(said).toContain(
      `the ${seen?.size} entries it signed at ${seen?.timestamp} (root ${seen?.rootHash})`,
    );
    expect(said).toMatch(/The server now shows 4 entries \(root [0-9a-f]{64}/);
    const kept = await store.get(project);
    expect(kept?.head).toEqual(seen);
    expect(kept?.changed?.seenAt).toBe('2026-11-25T10:05:00.000Z');
    expect(await witnessTeamLog(vic(), project, store)).toBe(said);
  });
});
