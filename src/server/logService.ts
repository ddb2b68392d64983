/**
 * The server's transparency log as the routes use it: its log key, the latest finding of its own
 * check of the log, and each project's signed head, refused (409, logged, told in the health
 * check) when the project's log no longer matches a head the server signed.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import type { Database, Queryable } from './database.ts';
import type { LogAnchor } from './logAnchor.ts';
import { ProjectRefusal } from './projects.ts';
import { type TimeStamper, TSA_PAUSE_MS } from './timeStamper.ts';
import {
  currentHead,
  type IgnoredHead,
  ignoredHeadsMessage,
  keepHead,
  type LogHealth,
  LogKeyRetiredError,
  LogRewrittenError,
  type LogSigner,
  type RewrittenLog,
} from './transparencyLog.ts';

/** The server's log key and what its own check of the log found, shared by the routes. */
export interface TransparencyLog {
  signer: LogSigner;
  /** the latest check's finding (at start, then each refused project added) */
  health(): LogHealth;
  /**
   * The signed head of `project` now, signed afresh if the log grew. A changed log is logged,
   * added to the health finding and refused (409). With a time-stamp authority a new head is not
   * kept yet: the caller, once its transaction is committed, answers `kept(db, head)` instead.
   */
  headOf(
    tx: Queryable,
    project: string,
    log: FastifyBaseLogger,
  ): Promise<{ head: SignedTreeHead; hashes: string[] }>;
  /**
   * `head` as kept: a head `headOf` made but did not keep is time-stamped with no transaction
   * open, then kept in a short one (transparencyLog.ts `keepHead`); any other head as it is.
   * Call it after the transaction `headOf` ran in is committed.
   */
  kept(db: Database, head: SignedTreeHead, log: FastifyBaseLogger): Promise<SignedTreeHead>;
}

/**
 * The log service over `signer`, starting from the check made at start; with `stamper`, each new
 * head is time-stamped outside any transaction — a slow authority then holds no transaction, so
 * on the embedded database (one connection) it stalls no one else's request. After a stamp that
 * failed the authority is not asked for `TSA_PAUSE_MS` (by `clock`): heads made meanwhile are
 * kept unstamped, and the failure is logged once for the pause.
 */
export function transparencyLog(
  signer: LogSigner,
  atStart: LogHealth,
  clock: () => number,
  stamper?: TimeStamper,
  anchor?: LogAnchor,
): TransparencyLog {
  let health = atStart;
  /** heads `headOf` made and did not keep, waiting for their stamp */
  const unkept = new WeakSet<SignedTreeHead>();
  /** until when (by `clock`) the authority is not asked, after a stamp that failed */
  let pausedUntil = Number.NEGATIVE_INFINITY;
  const note = (rewritten: RewrittenLog) => {
    const changed = health.status === 'changed' ? health.changed : [];
    health = {
      ...(health.ignored === undefined ? {} : { ignored: health.ignored }),
      status: 'changed',
      checkedAt: new Date(clock()).toISOString(),
      projects: health.projects,
      changed: [...changed.filter((c) => c.project !== rewritten.project), rewritten],
    };
  };
  /** heads the server ignored and said, by project, size and signature, so each is said once */
  const said = new Set((atStart.ignored ?? []).map((h) => `${h.project}|${h.size}|${h.keyId}`));
  const ignore = (ignored: readonly IgnoredHead[], log: FastifyBaseLogger) => {
    const fresh = ignored.filter((h) => !said.has(`${h.project}|${h.size}|${h.keyId}`));
    if (fresh.length === 0) return;
    for (const h of fresh) said.add(`${h.project}|${h.size}|${h.keyId}`);
    log.error({ project: fresh[0]?.project, heads: fresh.length }, ignoredHeadsMessage(fresh));
    health = { ...health, ignored: [...(health.ignored ?? []), ...fresh] };
  };
  /** `head`, kept and committed, written to the anchor outside the database */
  const anchored = (head: SignedTreeHead, log: FastifyBaseLogger): SignedTreeHead => {
    try {
      anchor?.record(head);
    } catch (error) {
      // the head is kept in the database; the next head kept tries the anchor again
      log.error(
        { project: head.project, size: head.size },
        `the log anchor ${anchor?.file} could not be written (${error instanceof Error ? error.message : String(error)}): the server's latest head is kept in the database only until it can`,
      );
    }
    return head;
  };
  const refused = (error: unknown, project: string, log: FastifyBaseLogger): unknown => {
    if (error instanceof LogKeyRetiredError) {
      log.error({ project, keyId: error.keyId }, error.message);
      return new ProjectRefusal(409, `${error.message}.`);
    }
    if (!(error instanceof LogRewrittenError)) return error;
    log.error({ project, after: error.rewritten.after }, error.message);
    note(error.rewritten);
    if (error.rewritten.reason === 'out-of-order')
      return new ProjectRefusal(
        409,
        `the team server's audit log of this project holds an entry written around the server after entry ${error.rewritten.after} (dated before the entry it follows), so the server refuses to sign or export it. Tell the clinic's administrator, and keep your own copies.`,
      );
    return new ProjectRefusal(
      409,
      `the team server's audit log of this project was changed ${error.rewritten.after === 0 ? 'from its first entry on' : `after entry ${error.rewritten.after}`}: it no longer matches the head the server signed over ${error.rewritten.head?.size ?? 0} entries, so the server refuses to sign or export it. Tell the clinic's administrator, and keep your own copies.`,
    );
  };
  const stampOf = async (
    ask: TimeStamper,
    head: SignedTreeHead,
    log: FastifyBaseLogger,
  ): Promise<string | undefined> => {
    if (clock() < pausedUntil) return undefined;
    try {
      return await ask(head);
    } catch (error) {
      pausedUntil = clock() + TSA_PAUSE_MS;
      log.warn(
        { project: head.project, size: head.size },
        `tree head kept unstamped: ${error instanceof Error ? error.message : String(error)}. The server asks the authority again in ${TSA_PAUSE_MS / 1000} s; heads made until then are kept unstamped, and the next head after is stamped`,
      );
      return undefined;
    }
  };
  return {
    signer,
    health: () => health,
    async headOf(tx, project, log) {
      try {
        const { head, hashes, kept, ignored } = await currentHead(
          tx,
          project,
          signer,
          clock(),
          stamper !== undefined,
          anchor?.heads().get(project),
        );
        ignore(ignored, log);
        if (!kept) unkept.add(head);
        return { head, hashes };
      } catch (error) {
        throw refused(error, project, log);
      }
    },
    async kept(db, head, log) {
      if (stamper === undefined || !unkept.has(head)) return anchored(head, log);
      const timeStamp = await stampOf(stamper, head, log);
      try {
        return anchored(await db.transaction((tx) => keepHead(tx, head, signer.history, timeStamp)), log);
      } catch (error) {
        throw refused(error, head.project, log);
      }
    },
  };
}
