/**
 * A review of any size on a test server, for what a decision costs as the review grows: the lead
 * assigns a one-pass review of `records` records to one reviewer, records the decisions of her
 * offline packet on the records before the one measured (500 a request, the contract's bound), and
 * sends the pairs of the records she then decides on the server herself. A database wrapper counts
 * the statements and rows the server reads. Test-only: imported by *.test.ts files and the
 * benchmarks, never by the server.
 *
 * A change's notice to the other server processes (PostgreSQL's NOTIFY) is sent after its answer:
 * with {@link changeNotices} each step resolves only when its own notice is heard and its
 * statement has ended, so a count started after one step and read after the next holds exactly
 * the next step's statements, its notice included.
 */
import { randomUUID } from 'node:crypto';
import { type ShownRecord, shownHash } from '../../core/signoff/review/index.ts';
import { CHANGE_ID_HEADER } from '../../core/teamRecords/index.ts';
import type { Decision } from '../../formats/review.ts';
import { CHANGE_CHANNEL } from '../changeBus.ts';
import type { Database, Queryable } from '../index.ts';
import type { ServerWithPeople } from './people.ts';

/** The people of a large review: the lead and the one reviewer. */
export const LARGE_REVIEW_PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer' } as const;
type Who = keyof typeof LARGE_REVIEW_PEOPLE;

const PLAN_HASH = 'a'.repeat(64);
/** The contract's bound on decisions in one request (src/core/teamApi/reviews.ts). */
const DECISIONS_PER_REQUEST = 500;

const keyOf = (n: number) => `MRN-${n}`;

/** The pair the app shows for record `n` (1-based). */
function pairOf(n: number): ShownRecord {
  const key = keyOf(n);
  return {
    planHash: PLAN_HASH,
    stratum: 'patients',
    recordKey: key,
    source: { file: 'patients.csv', row: n, header: ['mrn'], cells: [key] },
    mapping: { id: 'm1', version: 1 },
    target: { identifier: key },
    alignment: [{ target: 'identifier', columns: ['mrn'], value: key }],
  };
}

/** A first-pass decision on record `n` of review `reviewId` by the reviewer `by`. */
export function decisionOn(reviewId: string, n: number, by: { id: string; name: string }): Decision {
  return {
    id: `${reviewId}-${n}`,
    planHash: PLAN_HASH,
    stratum: 'patients',
    recordKey: keyOf(n),
    row: n,
    file: 'patients.csv',
    reviewer: { ...by, role: 'Registered nurse' },
    decidedAt: '2026-03-02T09:15:00+01:00',
    outcome: 'accept',
    findings: [],
    mapping: { id: 'm1', version: 1 },
    stage: 'first',
    shownSha256: shownHash(pairOf(n)),
  };
}

/** A review of many records on `server`'s project `projectId`, with what can be done to it. */
export interface LargeReview {
  /** the lead records her packet's decisions on records `from`…`to` (1-based, inclusive) */
  importPacket(from: number, to: number): Promise<void>;
  /** the lead sends the pair of record `n` */
  sendPair(n: number): Promise<void>;
  /** the reviewer posts her own decision on record `n` (its pair sent) */
  decide(n: number): Promise<void>;
}

/** The change notices other server processes hear on a database, by the id each change's page gave it. */
export interface ChangeNotices {
  /** resolves when the notice of change `changeId` has been heard */
  heard(changeId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Listens to the change notices on `db` as another server process would; undefined on the
 * embedded database, which sends none (it has one server process).
 */
export async function changeNotices(db: Database): Promise<ChangeNotices | undefined> {
  if (db.listen === undefined) return undefined;
  const heard = new Set<string>();
  const waiting = new Map<string, () => void>();
  const listening = await db.listen(CHANGE_CHANNEL, (payload) => {
    const change = (JSON.parse(payload) as { by?: { change?: string } }).by?.change;
    if (change === undefined) return;
    heard.add(change);
    waiting.get(change)?.();
  });
  return {
    heard: (changeId) =>
      heard.has(changeId) ? Promise.resolve() : new Promise((resolve) => waiting.set(changeId, resolve)),
    close: () => listening.close(),
  };
}

/**
 * Assigns review `reviewId` of `records` records to the reviewer (membership `ritaId`). With
 * `tail`, each step also waits for its change's notice to be `heard` and for the database's
 * statements to have `settled` (a {@link countingDatabase}'s).
 */
export async function largeReview(
  server: ServerWithPeople<Who>,
  projectId: string,
  ritaId: string,
  reviewId: string,
  records: number,
  tail?: { notices: ChangeNotices | undefined; settled(): Promise<void> },
): Promise<LargeReview> {
  const base = `/api/projects/${projectId}/reviews`;
  const expectStatus = (what: string, got: { status: number; body: unknown }, status: number) => {
    if (got.status !== status)
      throw new Error(`${what}: answered ${got.status}, not ${status}: ${JSON.stringify(got.body)}`);
  };
  /** `who` makes a change as the app does, naming it; with `tail`, resolves after its notice */
  const change = async (who: Who, path: string, body: unknown) => {
    const changeId = randomUUID();
    const answer = await server.ask(who, 'POST', path, body, { [CHANGE_ID_HEADER]: changeId });
    if (answer.status >= 200 && answer.status < 300 && tail !== undefined) {
      await tail.notices?.heard(changeId);
      await tail.settled();
    }
    return answer;
  };
  const keys = Array.from({ length: records }, (_, i) => keyOf(i + 1));
  const assigned = await change('lena', base, {
    review: {
      id: reviewId,
      plan: { id: 'p1', hash: PLAN_HASH },
      mapping: { id: 'm1', version: 1 },
      sample: {
        drawnAt: '2026-03-02T08:00:00Z',
        seed: '9f2c',
        inputs: [{ file: 'patients.csv', sha256: 'c'.repeat(64), bytes: 40 * records, rows: records }],
        strata: [
          {
            id: 'patients',
            census: true,
            population: records,
            n: records,
            records: keys.map((key, i) => ({ file: 'patients.csv', row: i + 1, key })),
          },
        ],
      },
    },
    assignments: keys.map((recordKey) => ({ stratum: 'patients', recordKey, first: ritaId })),
  });
  expectStatus('the review', assigned, 201);
  const rita = { id: ritaId, name: LARGE_REVIEW_PEOPLE.rita };
  return {
    async importPacket(from, to) {
      for (let start = from; start <= to; start += DECISIONS_PER_REQUEST) {
        const decisions = [];
        for (let n = start; n <= Math.min(to, start + DECISIONS_PER_REQUEST - 1); n += 1)
          decisions.push({
            ...decisionOn(reviewId, n, rita),
            imported: {
              packetSha256: 'd'.repeat(64),
              chainHead: 'c'.repeat(64),
              entry: n,
              entryHash: 'e'.repeat(64),
            },
          });
        expectStatus(
          'the packet',
          await change('lena', `${base}/${reviewId}/packet-decisions`, { decisions }),
          201,
        );
      }
    },
    async sendPair(n) {
      const sent = await change('lena', `${base}/${reviewId}/records`, {
        records: [{ shown: pairOf(n) }],
      });
      expectStatus('the pair', sent, 200);
    },
    async decide(n) {
      const posted = await change('rita', `${base}/${reviewId}/decisions`, {
        decisions: [decisionOn(reviewId, n, rita)],
      });
      expectStatus('her decision', posted, 201);
    },
  };
}

/** What a server read from its database: statements, the rows they answered, and their JSON's size. */
export interface ReadTally {
  statements: number;
  rows: number;
  bytes: number;
}

/**
 * `db` with every statement's answer counted in `tally` (also inside transactions), for a test
 * that holds what one request reads; `reset` starts the count again, `settled` resolves when no
 * statement begun so far is still running.
 */
export function countingDatabase(db: Database): {
  db: Database;
  tally: ReadTally;
  reset(): void;
  settled(): Promise<void>;
} {
  const tally: ReadTally = { statements: 0, rows: 0, bytes: 0 };
  const running = new Set<Promise<unknown>>();
  const counted = (q: Queryable): Queryable => ({
    query(sql, params) {
      const answered = (async () => {
        const rows = await q.query(sql, params);
        tally.statements += 1;
        tally.rows += rows.length;
        tally.bytes += JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v)).length;
        return rows;
      })();
      running.add(answered);
      answered.then(
        () => running.delete(answered),
        () => running.delete(answered),
      );
      // biome-ignore lint/suspicious/noExplicitAny: the rows are the caller's type, passed through
      return answered as any;
    },
    exec: (sql) => q.exec(sql),
  });
  const wrapped = new Proxy(db, {
    get(target, name, receiver) {
      if (name === 'query') return counted(target).query;
      if (name === 'transaction')
        return <T>(work: (tx: Queryable) => Promise<T>) => target.transaction((tx) => work(counted(tx)));
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: wrapped,
    tally,
    reset() {
      tally.statements = 0;
      tally.rows = 0;
      tally.bytes = 0;
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
