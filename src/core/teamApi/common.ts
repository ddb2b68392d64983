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

/**
 * Text with no control characters (line breaks, tabs, escape codes): an id a client makes is
 * written to the audit log and shown on screen, where such characters could forge or hide a line.
 */
export const PRINTABLE_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

/**
 * Words for a body a pattern refused, by the pattern: the server says them instead of the
 * pattern itself, which staff cannot read.
 */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [PRINTABLE_PATTERN]: 'must not contain line breaks, tabs or other control characters',
};

/**
 * A client-made id in a body (a decision's): 1 to {@link MAX_ID} printable characters. The app
 * makes UUIDs (36 characters), far inside the bound.
 */
export const ClientId = Type.String({ minLength: 1, maxLength: MAX_ID, pattern: PRINTABLE_PATTERN });

/** A pull's `?after=`: the last version (or head) the copy holds, as decimal digits. */
export const AfterQuery = Type.Object(
  { after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) },
  { additionalProperties: false },
);
