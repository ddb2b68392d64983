/**
 * This browser as a witness of the team server's audit log: at each sync of a shared project it
 * asks the server for the project's signed tree head and a consistency proof from the head it
 * kept, checks them (src/core/transparency/witness.ts) and keeps the new head only when proved
 * to extend the old. When the server's log no longer extends what this browser saw, it keeps the
 * earlier head and says so, with both heads, at every sync after — it never forgets.
 *
 * Constraint: the log key trusted is the one this browser first saw for the project, or one the
 * server rotated to from it, each rotation signed by the key before (the server's history of
 * keys, `GET /api/log/key`); a head signed with any other key is a changed log, not a new truth.
 */

import { logConsistencyRoute, logHeadRoute, logKeyRoute } from '../../core/teamApi/index.ts';
import { witnessHead } from '../../core/transparency/index.ts';
import type { LogWitnessStore } from '../../storage/logWitnessStore.ts';
import { TeamError, type TeamSession, teamCall } from '../../storage/teamServer.ts';

/**
 * One witness check of `teamProjectId`: null when the log extends what this browser kept (or the
 * server keeps no transparency log: an older server), else what the person is told.
 */
export async function witnessTeamLog(
  session: TeamSession,
  teamProjectId: string,
  store: LogWitnessStore,
  now: () => string = () => new Date().toISOString(),
): Promise<string | null> {
  const kept = await store.get(teamProjectId);
  if (kept?.changed !== undefined) return kept.changed.message;
  try {
    if (kept === undefined) {
      const key = await teamCall(session, logKeyRoute);
      const head = await teamCall(session, logHeadRoute, { params: { projectId: teamProjectId } });
      const first = await witnessHead(undefined, { head }, key.publicKey);
      if (first.status === 'kept')
        await store.put({ teamProjectId, head: first.head, publicKey: key.publicKey });
      return null;
    }
    const reply = await teamCall(session, logConsistencyRoute, {
      params: { projectId: teamProjectId },
      query: { from: String(kept.head.size) },
    });
    // a head signed by another key: the server's history of keys says whether it rotated to it
    const history =
      reply.head.keyId === kept.head.keyId ? [] : [...(await teamCall(session, logKeyRoute)).keys].reverse();
    const verdict = await witnessHead(kept.head, reply, kept.publicKey, history);
    if (verdict.status === 'kept') {
      if (verdict.added > 0 || verdict.rotations > 0)
        await store.put({ ...kept, head: verdict.head, publicKey: verdict.publicKey });
      return null;
    }
    await store.put({
      ...kept,
      changed: { current: verdict.current, message: verdict.message, seenAt: now() },
    });
    return verdict.message;
  } catch (error) {
    // a server before transparency logs has no such routes: nothing to witness there
    if (error instanceof TeamError && error.status === 404) return null;
    // the server itself refuses a log it found changed: said in its words, the kept head stays
    if (error instanceof TeamError && error.status === 409 && kept !== undefined)
      return `The team server refuses this project’s audit log: ${error.reason} This browser keeps the head it saw last (${kept.head.size} entries, root ${kept.head.rootHash}, signed ${kept.head.timestamp}).`;
    throw error;
  }
}
