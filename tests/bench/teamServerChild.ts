/**
 * One team server process for the load benchmark (teamServer.bench.ts), on 127.0.0.1 at a free
 * port: `node --import tsx teamServerChild.ts embedded <people>` opens an in-memory embedded
 * database and seats the people itself; `… postgres <url> [<people>]` serves the database at `url`,
 * seating the people only when given a count (the first of several processes). It prints one JSON
 * line when it listens — its port and, when it seated them, each person's cookie, CSRF token and
 * project — and serves until stdin closes (its parent ends).
 *
 * People are seated with the server's own sign-in and roster functions, in teams of
 * {@link TEAM_SIZE} per project (a lead and data staff, who may write accepted issues), as a
 * clinic's go-live teams are.
 */
import {
  createServer,
  type Database,
  migrate,
  openEmbeddedDatabase,
  openPostgresDatabase,
  SESSION_COOKIE,
} from '../../src/server/index.ts';
import { addMember, createProject } from '../../src/server/projects.ts';
import { signIn } from '../../src/server/sessions.ts';

/** People per project. */
export const TEAM_SIZE = 10;

/** One seated person, as the load generator asks as them. */
export interface SeatedPerson {
  cookie: string;
  csrf: string;
  project: string;
}

const ISSUER = 'https://id.clinic.test';

async function seat(db: Database, count: number): Promise<SeatedPerson[]> {
  const now = Date.now();
  const people: SeatedPerson[] = [];
  let project = '';
  for (let i = 0; i < count; i++) {
    const person = { issuer: ISSUER, subject: `p${i}`, name: `Person ${i}`, email: `p${i}@clinic.test` };
    const { token, session } = await signIn(db, { ...person, emailVerified: true }, now, '127.0.0.1');
    if (i % TEAM_SIZE === 0)
      project = await db.transaction((tx) => createProject(tx, person, `Go-live ${i / TEAM_SIZE}`, now));
    else await db.transaction((tx) => addMember(tx, project, person, 'data', null, now));
    people.push({ cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken, project });
  }
  return people;
}

const [engine, ...rest] = process.argv.slice(2);
const db = engine === 'embedded' ? await openEmbeddedDatabase() : await openPostgresDatabase(rest[0] ?? '');
const count = Number(engine === 'embedded' ? rest[0] : (rest[1] ?? 0));
if (engine === 'embedded' || count > 0) await migrate(db);
const people = count > 0 ? await seat(db, count) : [];
const app = await createServer({ db, insecureHttp: true });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
process.stdout.write(`${JSON.stringify({ port, people })}\n`);
process.stdin.resume();
process.stdin.on('close', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
