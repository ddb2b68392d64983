/** Schema atoms many routes' params share. */
import { Type } from 'typebox';

/** The longest project id in a path. */
export const MAX_PROJECT_ID = 64;
/** The longest record id (or other id a path names). */
const MAX_ID = 200;

/** A project named in a path. */
export const ProjectParams = Type.Object({ projectId: Type.String({ maxLength: MAX_PROJECT_ID }) });
/** An id named in a path. */
export const Id = Type.String({ minLength: 1, maxLength: MAX_ID });

/** A pull's `?after=`: the last version (or head) the copy holds, as decimal digits. */
export const AfterQuery = Type.Object(
  { after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) },
  { additionalProperties: false },
);
