/**
 * `GET /api/projects/:projectId/events`: the project's change stream (`text/event-stream`), each
 * event the kind of a change and when (src/core/teamRecords' change events), never its content.
 * The answer is a stream, not JSON: the browser reads it with an EventSource.
 */
import { Type } from 'typebox';
import { ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

/** A project's change stream. */
export const projectEventsRoute = defineRoute({
  method: 'GET',
  path: '/api/projects/:projectId/events',
  params: ProjectParams,
  answer: Type.String(),
});
