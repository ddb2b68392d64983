/**
 * What the review screens need from the open project: commit a change durably, make ids and
 * times, read the audit chain. Its own module so the review's panels import it without importing
 * the review screen that renders them.
 */
import type { ProjectChange } from '../../core/project/changes.ts';
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';

/** How the review stores decisions and reads the audit chain. */
export interface ReviewActions {
  /** applies a change and resolves once it is durably stored (session.commit) */
  commit: (change: ProjectChange) => Promise<void>;
  newId: () => string;
  /** now, RFC 3339 with zone */
  now: () => string;
  auditLog: () => Promise<ChainEntry[]>;
  /**
   * resolves once every change made so far is durably stored, with its audit entries (a change
   * shows on screen before its entry is written); rejects when it cannot be. Absent: not known
   */
  saved?: () => Promise<void>;
  /**
   * the open project as this page holds it now (what `saved` stores); exports read it after the
   * save (savedSignoff.ts). Absent: not known, the project on screen is used
   */
  current?: () => Project | undefined;
  /** the open project's id (the exported audit log names it) */
  projectId: string;
  /**
   * creates and opens a new project (a clinician opening a review packet), resolving to whether it
   * is open now; absent: not offered
   */
  createProject?: (name: string) => Promise<boolean>;
}
