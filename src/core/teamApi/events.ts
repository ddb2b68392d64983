/**
 * `GET /api/projects/:projectId/events`: the project's change stream (`text/event-stream`), each
 * event the kind of a change and when (src/core/teamRecords' change events), never its content.
 * The answer is a stream that stays open, not JSON: the browser reads it with an EventSource, and
 * the server checks each event it sends against {@link TeamChangeEvent} where it checks answers.
 */
import { Type } from 'typebox';
import { CHANGE_ID_PATTERN, TEAM_CHANGE_KINDS, type TeamChange } from '../teamRecords/index.ts';
import { ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

/**
 * One event of the stream: the kind of a change and when the server finished it, and, on the
 * streams of the person who made it only, the id her page gave the change (its
 * `x-preflight-change` header), so the page knows its own change's echo.
 */
const TeamChangeEvent = Type.Object(
  {
    kind: Type.Union(TEAM_CHANGE_KINDS.map((kind) => Type.Literal(kind))),
    at: Type.Integer({ minimum: 0 }),
    change: Type.Optional(Type.String({ pattern: CHANGE_ID_PATTERN })),
  },
  { additionalProperties: false },
);

/** A project's change stream. */
export const projectEventsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/events',
  params: ProjectParams,
  /** the stream's text, event after event */
  answer: Type.String(),
  events: Type.Unsafe<TeamChange>(TeamChangeEvent),
});
