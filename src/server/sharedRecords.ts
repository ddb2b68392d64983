/**
 * A shared project's records on the server: check sets, contracts, mappings, accepted issues,
 * sample plans, the sign-off roster, readiness records, steering decisions and report summaries
 * (the kinds are the core's table, src/core/teamRecords). Each record has one version, the
 * number of its last write in the project's one sequence; a write names the version it is based
 * on, and a write based on an older one is refused (409) with what the server holds, so the app
 * shows both and the person chooses — the server never overwrites a change it was not shown.
 *
 * Constraints:
 * - Every request checks the caller's current membership and role (src/core/teamRoles:
 *   `read-records`, and for a write the action that writes that record, `recordWriteAction` of
 *   src/core/teamRecords: its kind's, or the data dictionary's own); a write does so after locking
 *   the project's row, in the transaction that stores it and its audit entry. A write that would
 *   change a record another member wrote last asks `recordOverwriteAction` too (a run's summary
 *   is changed by another member only under the data checks' action).
 * - Never sent: a body is checked against its format's schema and the never-sent guard (no
 *   examples, failing rows, event-log events, whole reports); a report is kept as its summary
 *   and SHA-256s only. Refused with 400 and the place of the field, never its value.
 * - Bounded: body size, records per project, records per answer.
 *
 * Each route is its contract (src/core/teamApi/sharedRecords.ts: the request and answer written
 * once, the browser typed from it) over the tables' functions (data/sharedRecords.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { pullRecordsRoute, readRecordRoute, writeRecordRoute } from '../core/teamApi/index.ts';
import {
  KIND_RULES,
  recordContentProblem,
  recordOverwriteAction,
  recordSha256,
  recordWriteAction,
  type SharedRecordKind,
} from '../core/teamRecords/index.ts';
import { ACTION_WORDS, mayDo } from '../core/teamRoles/index.ts';
import { personOf } from './access.ts';
import { type RouteServices, serveProjectRoute } from './contractRoute.ts';
import { recordOf, recordsAfter, recordsHead, recordWriterOf, writeRecord } from './data/sharedRecords.ts';
import { ProjectRefusal } from './projects.ts';

/** The largest record body kept, as JSON (a contract or a roster of a large clinic is far smaller). */
export const MAX_RECORD_BYTES = 512 * 1024;
/** Records one pull answers with; the rest come with the next. */
const MAX_RECORDS_PER_ANSWER = 500;

/** Whether any text in `value` has a NUL character: PostgreSQL's jsonb cannot hold one. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, inner]) => holdsNul(key) || holdsNul(inner));
  return false;
}

/** Refuses a body that is not a well-formed record of `kind`, or that carries record content. */
function storableBody(kind: SharedRecordKind, id: string, body: unknown): string {
  const content = recordContentProblem(body);
  if (content !== undefined)
    throw new ProjectRefusal(400, `this ${KIND_RULES[kind].one} was not kept: ${content}`);
  const problem = KIND_RULES[kind].problem(body, id);
  if (problem !== undefined)
    throw new ProjectRefusal(
      422,
      `this is not a ${KIND_RULES[kind].one} Preflight can keep (at ${problem}): check it in the app and send it again`,
    );
  if (holdsNul(body)) throw new ProjectRefusal(422, 'text with a NUL character cannot be stored: remove it');
  const json = JSON.stringify(body);
  if (Buffer.byteLength(json) > MAX_RECORD_BYTES)
    throw new ProjectRefusal(413, `a shared record is kept up to ${MAX_RECORD_BYTES / 1024} KB`);
  return json;
}

/**
 * The shared record routes, a fastify plugin over `db` with the server's clock: reading is
 * `read-records`; a write is its record's action (`recordWriteAction`), in one transaction that
 * locks the project's row, with its audit entry. A body is checked before either.
 */
export const sharedRecordRoutes: FastifyPluginAsync<RouteServices> = async (app, services) => {
  const { clock } = services;

  serveProjectRoute(app, services, {
    contract: pullRecordsRoute,
    action: 'read-records',
    transaction: 'none',
    handler: async ({ tx, projectId, query }) => {
      const after = Number(query.after ?? 0);
      const head = await recordsHead(tx, projectId);
      return { head, records: await recordsAfter(tx, projectId, after, MAX_RECORDS_PER_ANSWER) };
    },
  });

  serveProjectRoute(app, services, {
    contract: readRecordRoute,
    action: 'read-records',
    transaction: 'none',
    handler: async ({ tx, projectId, params }) => {
      const record = await recordOf(tx, projectId, params.kind, params.recordId);
      if (record === undefined)
        throw new ProjectRefusal(404, `no such ${KIND_RULES[params.kind].one} in this project`);
      return { record };
    },
  });

  serveProjectRoute(app, services, {
    contract: writeRecordRoute,
    action: (request) => recordWriteAction(request.params.kind, request.params.recordId),
    transaction: 'change',
    prepare: (request) => {
      const { kind, recordId } = request.params;
      const { body } = request.body;
      return { json: body === null ? null : storableBody(kind, recordId, body), sha256: recordSha256(body) };
    },
    handler: async ({
      tx,
      me,
      projectId,
      params,
      body: { baseVersion, body },
      request,
      audit,
      refuse,
      prepared,
    }) => {
      const { kind, recordId } = params;
      const { json, sha256 } = prepared;
      const one = KIND_RULES[kind].one;
      const { issuer, subject, name } = personOf(request);
      const overwrite = recordOverwriteAction(kind, recordId);
      if (!mayDo(me.role, overwrite)) {
        // a change to what another member wrote last (the same body again is agreed as it is)
        const last = await recordWriterOf(tx, projectId, kind, recordId);
        if (
          last !== undefined &&
          last.sha256 !== sha256 &&
          (last.issuer !== issuer || last.subject !== subject)
        )
          throw new ProjectRefusal(
            403,
            `your role on this project (${me.role}) cannot ${ACTION_WORDS[overwrite]}: ask the project’s lead`,
          );
      }
      const at = new Date(clock()).toISOString();
      const write = {
        projectId,
        kind,
        id: recordId,
        baseVersion,
        json,
        sha256,
        by: { issuer, subject, name },
        at,
      };
      const done = await writeRecord(tx, write, `no such ${one} in this project`);
      if ('conflict' in done)
        return refuse(409, {
          error:
            done.conflict === null
              ? `this ${one} was removed from the team server after your copy was made`
              : `someone else changed this ${one} first (${done.conflict.by}, ${done.conflict.at}): choose which version to keep`,
          current: done.conflict,
        });
      if (done.written)
        await audit(body === null ? 'record-removed' : 'record-written', {
          record: kind,
          id: recordId,
          version: String(done.record.version),
          sha256,
        });
      return { record: done.record };
    },
  });
};
