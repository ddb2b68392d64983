/**
 * The process map last measured from an event log, kept in the project (`logMaps`,
 * `#/$defs/logMap` of preflight.project/v1) so a reload, or coming back another day, shows the
 * same map and variants without the log (the file is never stored). It autosaves like any
 * document and travels with a project export, as the last go-live check does (lastCheck.ts).
 *
 * Constraints:
 * - A finished discovery is put into the project once, by {@link useKeepLogMaps} at the app's
 *   top (jobs run on while the user is elsewhere), and only into the project it was started in.
 * - The file's SHA-256 is computed in the hash worker, once per chosen file (filters re-run
 *   discovery on the same file): it tells a file chosen again from another one.
 * - A file chosen again is compared with the kept map's (size, then SHA-256) before discovery,
 *   so the user knows whether a new discovery measures the same log or replaces it with another.
 * - What is kept is what `logMapOf` copies (counts, durations, activity names); a record storage
 *   would refuse is never put (it would stop autosave).
 */
import { useEffect, useRef, useState } from 'react';
import type { DiscoverOutcome } from '../../../../workers/eventLogApi.ts';
import { hashFileInWorker } from '../../../../workers/hashClient.ts';
import type { ProjectChange } from '../../../core/project/changes.ts';
import { type LogFileIdentity, logMapOf } from '../../../core/workflow/eventlog/index.ts';
import type { LogMap, Project } from '../../../formats/project.ts';
import { writeProblems } from '../../../storage/documentRecord.ts';
import type { Job } from '../../jobs/jobRegistry.ts';
import { useLatestJobStatus } from '../../jobs/useJobs.ts';
import {
  type Answered,
  answerOf,
  attributeChoices,
  DISCOVER_KIND,
  type DiscoverRequest,
} from './eventLogJobs.ts';

/**
 * The map to keep in `project` from a finished discovery's answer and its file's identity, or
 * null: a failed discovery, one without a map or with no case left, one started in another
 * project, or one storage would refuse.
 */
export function logMapToKeep(
  answer: Answered<DiscoverRequest, DiscoverOutcome> | null,
  file: LogFileIdentity,
  projectId: string,
  measuredAt: string,
): LogMap | null {
  if (!answer?.outcome.ok || !answer.outcome.map || answer.request.projectId !== projectId) return null;
  if (answer.outcome.filters.casesAfter === 0) return null;
  // the conditions are kept as one stack (an older single condition becomes its first)
  const { attribute: _, ...form } = answer.request.form;
  const attributes = attributeChoices(answer.request.form);
  const kept = logMapOf(
    answer.outcome.map,
    file,
    { ...form, ...(attributes.length > 0 ? { attributes } : {}) },
    measuredAt,
  );
  return writeProblems(projectId, 'logMap', kept).length === 0 ? kept : null;
}

/** One hash per chosen file: filters re-run discovery on the same File object. */
const hashes = new WeakMap<Blob, Promise<string>>();
function sha256Of(file: Blob): Promise<string> {
  let found = hashes.get(file);
  if (!found) {
    found = hashFileInWorker(file).then((digest) => digest.sha256);
    hashes.set(file, found);
    // a failed read is not remembered: choosing the file again may succeed
    found.catch(() => hashes.delete(file));
  }
  return found;
}

/** How a chosen file stands to the kept map's: the same content (its name may differ) or not. */
export type KeptFileMatch = 'same' | 'different';

/** Whether `file` is the file the kept map was measured from: the same size and SHA-256. */
export function keptFileMatch(file: LogFileIdentity, kept: LogMap): KeptFileMatch {
  return file.bytes === kept.log.bytes && file.sha256 === kept.log.sha256 ? 'same' : 'different';
}

/**
 * The chosen `file` against the `kept` map's: null without either; `comparing` while its SHA-256
 * is computed (a file of another size is different at once); `unreadable` when it cannot be read.
 * The hash is the one the map is kept with after discovery (computed once per chosen file).
 */
export function useKeptFileMatch(
  file: Blob | undefined,
  kept: LogMap | null,
): KeptFileMatch | 'comparing' | 'unreadable' | null {
  const [hashed, setHashed] = useState<{ file: Blob; sha256: string | null } | null>(null);
  const keptBytes = kept?.log.bytes;
  useEffect(() => {
    if (!file || keptBytes === undefined || file.size !== keptBytes) return;
    let current = true;
    sha256Of(file).then(
      (sha256) => current && setHashed({ file, sha256 }),
      () => current && setHashed({ file, sha256: null }),
    );
    return () => {
      current = false;
    };
  }, [file, keptBytes]);
  if (!file || !kept) return null;
  if (file.size !== kept.log.bytes) return 'different';
  if (hashed?.file !== file) return 'comparing';
  if (hashed.sha256 === null) return 'unreadable';
  return keptFileMatch({ name: '', bytes: file.size, sha256: hashed.sha256 }, kept);
}

/** The wall clock, as RFC 3339 (when a map is recorded as measured). */
const wallClock = () => new Date().toISOString();

/**
 * Puts each finished discovery's map into the open project, once per job. Mounted once, at the
 * app's top. A file that can no longer be read for its hash leaves the kept map as it was.
 */
export function useKeepLogMaps(
  project: Project | null,
  dispatch: ((change: ProjectChange) => void) | undefined,
  now: () => string = wallClock,
): void {
  const job = useLatestJobStatus(DISCOVER_KIND);
  // the job object, not its id: ids start again at "job-1" in another project's registry
  const kept = useRef<Job | null>(null);
  const projectId = project?.meta.id;
  // read when a hash arrives: the project open then, and the newest discovery being kept
  const openProject = useRef(projectId);
  openProject.current = projectId;
  useEffect(() => {
    if (job?.status !== 'done' || kept.current === job || !projectId || !dispatch) return;
    kept.current = job;
    const answer = answerOf<DiscoverRequest, DiscoverOutcome>(job, DISCOVER_KIND);
    if (!answer?.outcome.ok || !answer.outcome.map || answer.request.projectId !== projectId) return;
    const measuredAt = now();
    const { file } = answer.request;
    sha256Of(file).then(
      (sha256) => {
        // a newer discovery, or another project, has come since: this map is not the last
        if (kept.current !== job || openProject.current !== projectId) return;
        const identity = { name: file.name, bytes: file.size, sha256 };
        const logMap = logMapToKeep(answer, identity, projectId, measuredAt);
        if (logMap) dispatch({ type: 'logMap/put', logMap });
      },
      () => {},
    );
  }, [job, projectId, dispatch, now]);
}
