/**
 * The server's transparency log as the routes use it: its log key, the latest finding of its own
 * check of the log, and each project's signed head, refused (409, logged, told in the health
 * check) when the project's log no longer matches a head the server signed.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import type { Queryable } from './database.ts';
import { ProjectRefusal } from './projects.ts';
import type { TimeStamper } from './timeStamper.ts';
import {
  currentHead,
  type LogHealth,
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
   * added to the health finding and refused (409).
   */
  headOf(
    tx: Queryable,
    project: string,
    log: FastifyBaseLogger,
  ): Promise<{ head: SignedTreeHead; hashes: string[] }>;
}

/**
 * The log service over `signer`, starting from the check made at start; with `stamper`, each new
 * head is time-stamped, and a head the authority did not stamp is logged as unstamped.
 */
export function transparencyLog(
  signer: LogSigner,
  atStart: LogHealth,
  clock: () => number,
  stamper?: TimeStamper,
): TransparencyLog {
  let health = atStart;
  const note = (rewritten: RewrittenLog) => {
    const changed = health.status === 'changed' ? health.changed : [];
    health = {
      status: 'changed',
      checkedAt: new Date(clock()).toISOString(),
      projects: health.projects,
      changed: [...changed.filter((c) => c.project !== rewritten.project), rewritten],
    };
  };
  return {
    signer,
    health: () => health,
    async headOf(tx, project, log) {
      try {
        const stamp =
          stamper === undefined
            ? undefined
            : (head: SignedTreeHead) =>
                stamper(head).catch((error: unknown) => {
                  log.warn(
                    { project, size: head.size },
                    `tree head kept unstamped (the next head will be stamped): ${error instanceof Error ? error.message : String(error)}`,
                  );
                  return undefined;
                });
        return await currentHead(tx, project, signer, clock(), stamp);
      } catch (error) {
        if (!(error instanceof LogRewrittenError)) throw error;
        log.error({ project, after: error.rewritten.after }, error.message);
        note(error.rewritten);
        throw new ProjectRefusal(
          409,
          `the team server's audit log of this project was changed ${error.rewritten.after === 0 ? 'from its first entry on' : `after entry ${error.rewritten.after}`}: it no longer matches the head the server signed over ${error.rewritten.head?.size ?? 0} entries, so the server refuses to sign or export it. Tell the clinic's administrator, and keep your own copies.`,
        );
      }
    },
  };
}
