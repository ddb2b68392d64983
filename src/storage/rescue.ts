/**
 * Rescue records: the unsaved changes a tab writes as it is hidden, reloaded or closed, and how a
 * later start applies them, so no edit is lost on reload.
 *
 * Why a separate record and not the ordinary write: a page being unloaded keeps running only for
 * the synchronous part of its `pagehide` handler. An ordinary write reads the stored revision first
 * (optimistic concurrency between tabs) — a round trip that a dying page never completes, so
 * Chromium aborts the transaction and the edit is lost. A transaction whose requests are all issued
 * synchronously and then `commit()`ed survives the page (tests/e2e/projects.spec.ts reloads right
 * after an edit; tests/bench/RESULTS.md). Such a write cannot check revisions, so it must not touch
 * the project itself: it puts a rescue record into the `meta` store, under a key of its own per tab
 * and project. The next start (any tab) applies it through the ordinary, checked write.
 * An ordinary write still in flight holds the same store and waits on the page, so the rescue
 * aborts it first; otherwise the rescue queues behind it and is lost with it.
 *
 * Constraints:
 * - Keys are `rescue:<tab session id>:<project id>`; the prefix is a contract with stored data.
 * - A rescue record holds a whole project snapshot (documents only, never source files — like
 *   the project itself) and is deleted by the ordinary write that stores that snapshot or a
 *   later one, in the same transaction; so a record that survives means the write never landed.
 * - Applying never overwrites another tab's work: a rescue is applied only when the stored
 *   project is still at the revision the rescued changes were based on (or is exactly the
 *   snapshot that was being written when the page went away). Otherwise it is kept as a copy.
 */
import { canonicalSha256Hex } from '../core/hash/index.ts';
import type { Project } from '../formats/project.ts';

/** Prefix of rescue keys in the `meta` store. */
export const RESCUE_KEY_PREFIX = 'rescue:';

/** Format tag of a rescue record; a record with another tag is ignored and removed. */
export const RESCUE_FORMAT = 'preflight.rescue/v1';

/** The `meta` key of the rescue record of `projectId` written by tab session `sessionId`. */
export function rescueKey(sessionId: string, projectId: string): string {
  return `${RESCUE_KEY_PREFIX}${sessionId}:${projectId}`;
}

/** What a tab writes as it goes away: its newest snapshot of one project and what it was based on. */
export interface RescueRecord {
  format: typeof RESCUE_FORMAT;
  /** when the tab wrote it (ISO time) */
  rescuedAt: string;
  /** the newest snapshot of the project in that tab */
  project: Project;
  /**
   * the stored revision the snapshot's changes were made on (the last write the tab knew
   * landed); absent when the tab never knew one (a project not yet stored)
   */
  baseRevision?: number;
  /**
   * canonical SHA-256 of a snapshot the tab was writing when it went away: if that write
   * landed, the stored project equals it, and the rescue applies on top of it
   */
  inFlightHash?: string;
  /** the tab knew the project to be stored: if it is gone now, it was deleted, not never created */
  stored: boolean;
}

/** What one unsaved project in a tab going away consists of (autosave's side of a rescue). */
export interface RescueEntry {
  project: Project;
  baseRevision: number | undefined;
  /** the snapshot a write in flight is storing, if any */
  inFlight: Project | null;
  stored: boolean;
}

/** Builds the record written for `entry`. */
export function rescueRecord(entry: RescueEntry, rescuedAt: string): RescueRecord {
  const record: RescueRecord = {
    format: RESCUE_FORMAT,
    rescuedAt,
    project: entry.project,
    stored: entry.stored,
  };
  if (entry.baseRevision !== undefined) record.baseRevision = entry.baseRevision;
  if (entry.inFlight) record.inFlightHash = canonicalSha256Hex(entry.inFlight);
  return record;
}

/**
 * Reads a stored rescue record back; `null` for anything malformed (the project inside is
 * validated again when it is written, like any write).
 */
export function readRescueRecord(value: unknown): RescueRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<RescueRecord>;
  if (record.format !== RESCUE_FORMAT || typeof record.rescuedAt !== 'string') return null;
  const project = record.project as Partial<Project> | undefined;
  if (typeof project !== 'object' || project === null || typeof project.meta?.id !== 'string') return null;
  if (record.baseRevision !== undefined && !Number.isSafeInteger(record.baseRevision)) return null;
  if (record.inFlightHash !== undefined && typeof record.inFlightHash !== 'string') return null;
  return { ...record, stored: record.stored === true } as RescueRecord;
}

/** What the stored side looks like when a rescue is considered. */
export type StoredState =
  | { found: false }
  | { found: true; revision: number | undefined; project: Project }
  /** stored, but unreadable: never written over */
  | { found: true; corrupt: true };

/**
 * What to do with a rescue record:
 * - `apply`: the stored project is what the rescued changes were made on: write them over it
 * - `discard`: nothing to do (already stored, or the project was deliberately deleted since)
 * - `copy`: the project changed elsewhere since (or cannot be read): keep the rescued work as
 *   a new project beside it, so neither side is lost
 */
export type RescueDecision = 'apply' | 'discard' | 'copy';

/** Decides what to do with `record` given the stored state of its project. */
export function decideRescue(record: RescueRecord, stored: StoredState): RescueDecision {
  if (!stored.found) return record.stored ? 'discard' : 'apply';
  if ('corrupt' in stored) return 'copy';
  if (record.baseRevision !== undefined && stored.revision === record.baseRevision) return 'apply';
  const storedHash = canonicalSha256Hex(stored.project);
  if (storedHash === canonicalSha256Hex(record.project)) return 'discard';
  if (record.inFlightHash !== undefined && storedHash === record.inFlightHash) return 'apply';
  return 'copy';
}

/** What a start did with the rescue records it found, for the notice the user reads. */
export interface RescueOutcome {
  projectId: string;
  projectName: string;
  decision: RescueDecision;
  /** the new project holding a `copy` */
  copyId?: string;
  copyName?: string;
  /** a `discard` because the project was deleted since (the user is told) */
  deleted?: boolean;
  /** set when applying failed; the record is kept for the next start */
  error?: string;
}
