/**
 * The notice of a project's change that one server process sends the others on the clinic's
 * PostgreSQL (projectEvents.ts listens on the same channel): the one statement the change bus
 * runs, kept here with the rest of the server's SQL.
 *
 * Constraint: the payload names the project and the kind of change, never its content.
 */
import type { Queryable } from '../database.ts';

/** Sends `payload` on `channel` to every process listening there (PostgreSQL's NOTIFY). */
export async function notifyChange(db: Queryable, channel: string, payload: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
