/**
 * This browser as a witness of the team server's audit log: at each sync of a shared project it
 * asks the server for the project's signed tree head and a consistency proof from the head it
 * kept, checks them (src/core/transparency/witness.ts) and keeps the new head only when proved
 * to extend the old. When the server's log no longer extends what this browser saw, it keeps the
 * earlier head and says so, with both heads, at every sync after — it never forgets. It reports
 * the head it keeps to the server, once per head; a browser with none yet checks the server's
 * head against every head the team's browsers reported before keeping it, and says when it had
 * none to check against (a note, not an alarm: it trusts the log from then on). That note is
 * said at every sync after, a reload too, until a sync checks the kept head against another
 * member's report (its own member's reports are not the team's word: they may be its own).
 *
 * The RFC 3161 time-stamp a head carries (`serve --tsa`) is checked with the core the CLI uses
 * (src/core/timeStamp, loaded when a stamp is first checked) when the lead reads the audit log:
 * the authority of the first stamp that verifies is kept with the witnessed head, and later
 * stamps must be its — until the lead accepts another (a renewed authority), which is recorded.
 *
 * A head this browser kept with a stamp that verified, sent again by the server without it, had
 * its stamp taken off (the server stamps a head once and keeps the stamp with it): said at that
 * sync and every one after, and on the lead's screen, with the stamped head kept as evidence; the
 * log itself is still witnessed, since the entries are proved by the heads, not by the stamps.
 *
 * Constraint: the log key trusted is the one this browser first saw for the project, or one the
 * server rotated to from it, each rotation signed by the key before (the server's history of
 * keys, `GET /api/log/key`); a head signed with any other key is a changed log, not a new truth.
 * So with the time-stamp authority, except that a stamp by another one is a warning, never a
 * changed log: the log is proved by its heads and proofs, a stamp only dates them.
 */

import {
  logConsistencyRoute,
  logHeadRoute,
  logKeyRoute,
  logWitnessesRoute,
  reportWitnessRoute,
} from '../../core/teamApi/index.ts';
import type { WitnessedStamp } from '../../core/timeStamp/index.ts';
import {
  type SignedTreeHead,
  stampRemoved,
  type TeamWitness,
  witnessFirstHead,
  witnessHead,
} from '../../core/transparency/index.ts';
import type { LogWitnessStore, WitnessedLog } from '../../storage/logWitnessStore.ts';
import { TeamError, type TeamSession, teamCall } from '../../storage/teamServer.ts';

/** What one witness check tells the person: an alarm to act on, and a note to read. */
export interface WitnessSaid {
  /** the server's log no longer extends what this browser or the team saw, or a stamp was taken off */
  alarm: string | null;
  /** this browser could not check the server's log against what the team saw, and has not since */
  note: string | null;
}

const said = (alarm: string | null, note: string | null = null): WitnessSaid => ({ alarm, note });

/** What a browser that could not check its first head against the team's says. */
function uncheckedNote(why: string): string {
  return `This browser could not check the team server’s audit log for this project against what the team saw: ${why}. It trusts the log as the server shows it now and checks every change from here on. To be sure nothing was rewritten before, ask the project’s lead to compare the audit log with an earlier download or a printed tree root (preflight signoff verify).`;
}

/**
 * One witness check of `teamProjectId`: no alarm when the log extends what this browser kept (or
 * the server keeps no transparency log: an older server), else what the person is told. A
 * browser with nothing kept checks the server's head against the heads the team's other browsers
 * reported, and says when there were none. The head kept is reported to the server for the
 * team's next new browser.
 */
export async function witnessTeamLog(
  session: TeamSession,
  teamProjectId: string,
  store: LogWitnessStore,
  now: () => string = () => new Date().toISOString(),
): Promise<WitnessSaid> {
  const kept = await store.get(teamProjectId);
  if (kept?.changed !== undefined) return said(kept.changed.message);
  try {
    if (kept === undefined) return await firstSync(session, teamProjectId, store, now);
    const reply = await teamCall(session, logConsistencyRoute, {
      params: { projectId: teamProjectId },
      query: { from: String(kept.head.size) },
    });
    // a head signed by another key: the server's history of keys says whether it rotated to it
    const history =
      reply.head.keyId === kept.head.keyId ? [] : [...(await teamCall(session, logKeyRoute)).keys].reverse();
    const verdict = await witnessHead(kept.head, reply, kept.publicKey, history);
    if (verdict.status === 'kept') {
      const removed =
        kept.stampRemoved ?? (await removedStamp(kept.head, verdict.head, kept.stampAuthority, now));
      if (verdict.added > 0 || verdict.rotations > 0 || removed !== kept.stampRemoved)
        await store.put({
          ...kept,
          // the stamped head stays kept until the log grows past it; the evidence stays for good
          ...(verdict.added > 0 || verdict.rotations > 0
            ? { head: verdict.head, publicKey: verdict.publicKey }
            : {}),
          ...(removed === undefined ? {} : { stampRemoved: removed }),
        });
      await reportWitness(session, store, (await store.get(teamProjectId)) ?? kept);
      const unchecked = await checkAgainstTeam(session, teamProjectId, store, now);
      return unchecked?.alarm ? unchecked : said(removed?.message ?? null, unchecked?.note ?? null);
    }
    await store.put({
      ...kept,
      changed: { current: verdict.current, message: verdict.message, seenAt: now() },
    });
    return said(verdict.message);
  } catch (error) {
    // a server before transparency logs has no such routes: nothing to witness there
    if (error instanceof TeamError && error.status === 404) return said(null);
    // the server itself refuses a log it found changed: said in its words, the kept head stays
    if (error instanceof TeamError && error.status === 409 && kept !== undefined)
      return said(
        `The team server refuses this project’s audit log: ${error.reason} This browser keeps the head it saw last (${kept.head.size} entries, root ${kept.head.rootHash}, signed ${kept.head.timestamp}).`,
      );
    throw error;
  }
}

/**
 * The first sync of a project in this browser: the server's head checked against the heads the
 * team's browsers reported (src/core/transparency `witnessFirstHead`), and kept — or, when the
 * log no longer extends one of them, that head kept as the evidence with the alarm.
 */
async function firstSync(
  session: TeamSession,
  teamProjectId: string,
  store: LogWitnessStore,
  now: () => string,
): Promise<WitnessSaid> {
  const params = { projectId: teamProjectId };
  const key = await teamCall(session, logKeyRoute);
  const head = await teamCall(session, logHeadRoute, { params });
  // a server from before members' reports has none to give: said, not an alarm
  const reports = await teamReports(session, teamProjectId);
  const first = await witnessFirstHead(head, key.publicKey, [...key.keys].reverse(), reports ?? [], (size) =>
    teamCall(session, logConsistencyRoute, { params, query: { from: String(size) } }),
  );
  if (first.status === 'changed') {
    await store.put({
      teamProjectId,
      head: first.kept,
      publicKey: first.keptKey,
      changed: { current: first.current, message: first.message, seenAt: now() },
    });
    return said(first.message);
  }
  const log: WitnessedLog = {
    teamProjectId,
    head: first.head,
    publicKey: first.publicKey,
    firstSeen: {
      at: now(),
      ...(first.against === undefined ? {} : { checkedAgainst: first.against }),
    },
  };
  await store.put(log);
  await reportWitness(session, store, log);
  if (first.against !== undefined) return said(null);
  return said(null, uncheckedNote(uncheckedWhy(reports, first.unchecked?.notServers ?? 0)));
}

/** Why no head of the team's was there to check against, from the reports the server gave. */
function uncheckedWhy(reports: readonly TeamWitness[] | undefined, notServers: number): string {
  return reports === undefined
    ? 'the team server is of a version that keeps no member’s head'
    : notServers > 0
      ? `the ${notServers === 1 ? 'one head' : `${notServers} heads`} the server gave as the team’s ${notServers === 1 ? 'is' : 'are'} not signed by its log keys`
      : 'no other browser of the team has reported a head for this project yet (or the server no longer holds their reports)';
}

/** The heads members' browsers reported, or undefined from a server from before members' reports. */
async function teamReports(session: TeamSession, teamProjectId: string): Promise<TeamWitness[] | undefined> {
  return teamCall(session, logWitnessesRoute, { params: { projectId: teamProjectId } }).then(
    (answer) => answer.witnesses,
    (error: unknown) => {
      if (error instanceof TeamError && error.status === 404) return undefined;
      throw error;
    },
  );
}

/**
 * A browser whose first sync had no head of the team's to check against (`firstSeen` without
 * `checkedAgainst`) checks the head it keeps against the other members' reports at each sync
 * after: once one is proved extended, that is kept and nothing more is said; a report the log no
 * longer extends is the alarm, kept as evidence as at a first sync; none yet, and the note again.
 * Undefined when there is nothing to check (checked before, or kept before first syncs said so).
 */
async function checkAgainstTeam(
  session: TeamSession,
  teamProjectId: string,
  store: LogWitnessStore,
  now: () => string,
): Promise<WitnessSaid | undefined> {
  const log = await store.get(teamProjectId);
  if (log?.firstSeen === undefined || log.firstSeen.checkedAgainst !== undefined || log.changed !== undefined)
    return undefined;
  const reports = await teamReports(session, teamProjectId);
  const others = (reports ?? []).filter((w) => w.mine !== true);
  let notServers = 0;
  if (others.length > 0) {
    const params = { projectId: teamProjectId };
    const key = await teamCall(session, logKeyRoute);
    const checked = await witnessFirstHead(log.head, log.publicKey, [...key.keys].reverse(), others, (size) =>
      teamCall(session, logConsistencyRoute, { params, query: { from: String(size) } }),
    );
    if (checked.status === 'changed') {
      await store.put({
        ...log,
        head: checked.kept,
        publicKey: checked.keptKey,
        changed: { current: checked.current, message: checked.message, seenAt: now() },
      });
      return said(checked.message);
    }
    if (checked.against !== undefined) {
      await store.put({ ...log, firstSeen: { ...log.firstSeen, checkedAgainst: checked.against } });
      return said(null);
    }
    notServers = checked.unchecked?.notServers ?? 0;
  }
  return said(null, uncheckedNote(uncheckedWhy(reports, notServers)));
}

/**
 * Tells the server the head this browser keeps, once per head, for the team's next new browser
 * to check against. Best effort: a server that cannot be reached, or is of a version without the
 * route, is asked again with the next head; nothing else waits on it.
 */
async function reportWitness(session: TeamSession, store: LogWitnessStore, log: WitnessedLog): Promise<void> {
  if (log.reportedSize === log.head.size || log.changed !== undefined) return;
  try {
    await teamCall(session, reportWitnessRoute, {
      params: { projectId: log.teamProjectId },
      body: { head: log.head },
    });
    await store.put({ ...log, reportedSize: log.head.size });
  } catch (error) {
    if (!(error instanceof TeamError)) throw error;
  }
}

/**
 * When `current` is the head this browser kept (`kept`) without the stamp it carried, and that
 * stamp verifies over it (by the authority kept, or any when none is kept yet): the alarm.
 */
async function removedStamp(
  kept: SignedTreeHead,
  current: SignedTreeHead,
  trusted: string | undefined,
  now: () => string,
): Promise<{ head: SignedTreeHead; message: string; seenAt: string } | undefined> {
  if (!stampRemoved(kept, current)) return undefined;
  const stamp = await judgeStamp(kept, trusted);
  if (stamp.status !== 'stamped' && stamp.status !== 'other-authority') return undefined;
  return {
    head: kept,
    message: stampRemovedMessage(kept.size, stamp.authority, stamp.time),
    seenAt: now(),
  };
}

/** The words for a head that lost its stamp: what happened, and what to do. */
function stampRemovedMessage(size: number, authority: string, time: string): string {
  return `The team server now sends its signed head over this project’s ${size} audit-log entries without the time-stamp it carried when this browser saw it (by ${authority}, ${time}). A head is stamped once and keeps its stamp, so the stamp was taken off on the server; a head without one could be one made later and dated back. Tell the clinic’s administrator, and keep your exports of the audit log.`;
}

/** The stamp of `head` as this browser's witness judges it, with `trusted` the authority kept. */
async function judgeStamp(head: SignedTreeHead, trusted: string | undefined): Promise<WitnessedStamp> {
  if (typeof head.timeStamp !== 'string') return { status: 'unstamped' };
  const { witnessTreeHeadStamp } = await import('../../core/timeStamp/index.ts');
  return witnessTreeHeadStamp(head, trusted);
}

/**
 * A head's time-stamp as the lead's screen shows it: an unstamped head says whether this browser
 * saw the project's heads stamped before (the authority did not answer this time) or never (the
 * server has no authority: nothing to say).
 */
export type HeadStamp =
  | Exclude<WitnessedStamp, { status: 'unstamped' }>
  | { status: 'unstamped'; stampedBefore: boolean }
  /** the very head this browser saw stamped by `authority` at `time`, now without its stamp */
  | { status: 'removed'; authority: string; time: string };

/**
 * The time-stamp `head` carries, checked as this browser's witness of `teamProjectId`: against
 * the authority kept for the project, or — when none is kept yet and the browser witnesses the
 * project — the first one seen, which is then kept. For the lead's audit-log screen.
 */
export async function witnessHeadStamp(
  store: LogWitnessStore,
  teamProjectId: string,
  head: SignedTreeHead,
): Promise<HeadStamp> {
  const kept = await store.get(teamProjectId);
  const stamp = await judgeStamp(head, kept?.stampAuthority);
  if (stamp.status === 'unstamped') {
    const seenStamped = [kept?.stampRemoved?.head, kept?.head].find(
      (h) => h !== undefined && stampRemoved(h, head),
    );
    const earlier = seenStamped && (await judgeStamp(seenStamped, kept?.stampAuthority));
    if (earlier?.status === 'stamped' || earlier?.status === 'other-authority')
      return { status: 'removed', authority: earlier.authority, time: earlier.time };
    return { status: 'unstamped', stampedBefore: kept?.stampAuthority !== undefined };
  }
  if (stamp.status === 'stamped' && kept !== undefined && kept.stampAuthority === undefined)
    await store.keepStampAuthority(teamProjectId, stamp.certificate);
  return stamp;
}

/**
 * The lead accepts the authority of a stamp this browser warned is not the one it kept (the
 * clinic renewed or changed its time-stamp authority): `certificate` (base64 DER, the new
 * authority's, from the `other-authority` stamp) is trusted for `teamProjectId`'s stamps from now
 * on, and the acceptance is recorded with the certificate it replaced and when.
 */
export async function acceptStampAuthority(
  store: LogWitnessStore,
  teamProjectId: string,
  certificate: string,
  now: () => string = () => new Date().toISOString(),
): Promise<void> {
  if (certificate === '') throw new Error('the stamp names no certificate to accept');
  await store.acceptStampAuthority(teamProjectId, certificate, now());
}
