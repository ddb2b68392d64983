/**
 * Who confirms a signing key on the team server, on the embedded database: another lead or the
 * data lead, never the key's owner. A one-lead project's lead has her key confirmed by the data
 * lead; a reviewer confirms nobody's; each refusal says why in words, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, readAudit } from './index.ts';
import { testAuthenticator } from './testing/authenticator.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';

const PEOPLE = { lena: 'Lena Lead', dora: 'Dora Data', rita: 'Rita Reviewer' } as const;
type Who = keyof typeof PEOPLE;

describe('confirming a signing key', () => {
  let db: Database;
  let server: ServerWithPeople<Who>;
  let project: string;

  beforeAll(async () => {
    db = await freshEmbedded();
    server = await serverWithPeople(db, PEOPLE, () => Date.now());
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    for (const [who, role] of [
      ['dora', 'data'],
      ['rita', 'reviewer'],
    ] as const)
      await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: who, role });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  async function registered(who: Who): Promise<string> {
    const key = await testAuthenticator(server.base);
    const options = await server.ask(who, 'POST', `/api/projects/${project}/signing-keys/options`);
    const answer = await server.ask(who, 'POST', `/api/projects/${project}/signing-keys`, {
      response: await key.register(options.body),
    });
    expect(answer.status).toBe(201);
    return answer.body.key.id;
  }
  const confirm = (who: Who, keyId: string) =>
    server.ask(who, 'POST', `/api/projects/${project}/signing-keys/${keyId}/confirm`);

  it('refuses the owner and a reviewer; the data lead confirms the only lead’s key', async () => {
    const lenaKey = await registered('lena');
    const own = await confirm('lena', lenaKey);
    expect(own.status).toBe(403);
    expect(own.body.error).toMatch(
      /^you cannot confirm your own signing key: another lead or the project’s data lead confirms it/,
    );
    const byReviewer = await confirm('rita', lenaKey);
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.error).toMatch(
      /\(reviewer\) cannot confirm signing keys: a lead or the data lead/,
    );
    const kinds = async () => (await readAudit(db, { project })).map((e) => e.kind);
    expect(await kinds(), 'a refusal records no confirmation').not.toContain('signing-key-confirmed');

    const byData = await confirm('dora', lenaKey);
    expect(byData.status).toBe(200);
    expect(byData.body.key).toMatchObject({ status: 'confirmed', confirmedBy: 'Dora Data' });
  });

  it('the data lead’s own key is the lead’s to confirm, not hers', async () => {
    const doraKey = await registered('dora');
    expect((await confirm('dora', doraKey)).status).toBe(403);
    const byLead = await confirm('lena', doraKey);
    expect(byLead.body.key).toMatchObject({ status: 'confirmed', confirmedBy: 'Lena Lead' });
    // revoking stays the lead's
    const revoke = await server.ask(
      'dora',
      'POST',
      `/api/projects/${project}/signing-keys/${doraKey}/revoke`,
      {
        reason: 'lost',
      },
    );
    expect(revoke.status).toBe(403);
  });
});
