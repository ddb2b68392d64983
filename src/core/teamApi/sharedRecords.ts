/**
 * A shared project's records on the team server (src/core/teamRecords): a pull of what changed
 * after a version, one record read, and one write per record naming the version it was based on.
 * A write based on an older version is refused (409) with what the server holds, so the app shows
 * both and the person chooses.
 *
 * Constraints: a record's body is checked by its kind's format and the never-sent guard on the
 * server, after these schemas (a body of the wrong JSON type never reaches that check); ids are
 * bounded here, the body's size by the server.
 */
import { Type } from 'typebox';
import { SHARED_RECORD_KINDS, type SharedRecord } from '../teamRecords/index.ts';
import { AfterQuery, Id, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

const RecordParams = Type.Object({
  ...ProjectParams.properties,
  kind: Type.Enum(SHARED_RECORD_KINDS, { type: 'string' }),
  recordId: Id,
});

/** A shared record as the server holds it (its type is the core's, src/core/teamRecords). */
const Record = Type.Unsafe<SharedRecord>({ type: 'object' });

/** `GET /api/projects/:projectId/records?after=`: the records written after a version, in order. */
export const pullRecordsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/records',
  params: ProjectParams,
  query: AfterQuery,
  answer: Type.Object({
    /** the project's last version: a copy at `head` has every record */
    head: Type.Integer(),
    /** oldest first, at most a page of them: pull again after the last one's version */
    records: Type.Array(Record),
  }),
});

/** `GET /api/projects/:projectId/records/:kind/:recordId`: one record. */
export const readRecordRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/records/:kind/:recordId',
  params: RecordParams,
  answer: Type.Object({ record: Record }),
});

/** `PUT /api/projects/:projectId/records/:kind/:recordId`: writes (or, with a null body, removes) one record. */
export const writeRecordRoute = defineRoute({
  method: 'PUT',
  path: '/api/projects/:projectId/records/:kind/:recordId',
  params: RecordParams,
  body: Type.Object(
    {
      /** the version the writer's copy was based on; 0 for a record new to the server */
      baseVersion: Type.Integer({ minimum: 0 }),
      /** the record's body; null removes it */
      body: Type.Union([Type.Object({}), Type.Array(Type.Unknown()), Type.Null()]),
    },
    { additionalProperties: false },
  ),
  answer: Type.Object({ record: Record }),
  refusals: {
    /** someone wrote it first (or removed it: `current` null): the server's record, to choose from */
    409: Type.Object({ error: Type.String(), current: Type.Union([Record, Type.Null()]) }),
  },
});
