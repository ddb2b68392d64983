/**
 * The project session: which projects exist, the open project, its autosave, import/export and
 * wipe. A plain engine (no React) owned by exactly one hook, `useProjectSession`.
 *
 * Constraints: every edit is a `ProjectChange` applied by the pure reducer, so autosave (and
 * later undo and audit) see one shape; a project that failed validation on load is shown
 * but never written back; an import that fails validation touches nothing already stored.
 */

import { version } from '../../../package.json';
import { applyChange, createProject, newId, type ProjectChange } from '../../core/project/changes.ts';
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { LoadResult } from '../../formats/loading.ts';
import type { Project, ProjectFile, ProjectMeta } from '../../formats/project.ts';
import { createProjectFile, parseProjectFile } from '../../formats/project.ts';
import { checkProjectName, copyName } from '../../formats/projectName.ts';
import { type Autosave, type AutosaveStatus, createAutosave, retryDelayMs } from '../../storage/autosave.ts';
import { DISK_FULL_MESSAGE, OPEN_FAILED_MESSAGE, TERMINATED_MESSAGE } from '../../storage/db.ts';
import { StorageError } from '../../storage/errors.ts';
import type { RescueOutcome } from '../../storage/rescue.ts';
import type { ProjectStorage } from '../../storage/storage.ts';
import {
  type AsyncMarkerStore,
  activeMarker,
  compareMarker,
  type MarkerStore,
  type MarkerVerdict,
  newerMarker,
  type StoreMarker,
  wipedMarker,
} from '../../storage/storeMarker.ts';
import { DEMO_PROJECT_NAME } from '../demo/demoName.ts';

/** The app's version, written into exported project files; package.json is the one source. */
export const APP_VERSION: string = version;

/**
 * loading: storage not open yet; failed: storage cannot be opened; wiped: after Close and wipe;
 * lost: the database is empty although the store marker says projects were stored — nothing is
 * created until the user imports a file or explicitly starts the demo.
 */
export type SessionPhase = 'loading' | 'ready' | 'failed' | 'wiped' | 'lost';

/** Everything the UI renders from the session. */
export interface SessionState {
  phase: SessionPhase;
  projects: ProjectMeta[];
  project: Project | null;
  save: AutosaveStatus;
  /** a problem the user must read (role="alert"), e.g. a refused import */
  error: string | null;
  /** a confirmation of something that went well (role="status") */
  notice: string | null;
  /** phase 'failed' only: the open is tried again on a timer (a full disk), so no reload is needed */
  openRetrying?: boolean;
}

/** What the session needs from its surroundings (injected so tests can run it without a browser). */
export interface ProjectSessionOptions {
  openStorage: () => Promise<ProjectStorage>;
  /** builds the demo clinic from samples/ for a browser that has no project yet */
  createDemo: (now: string) => Promise<Project>;
  onState: (state: SessionState) => void;
  now?: () => string;
  /**
   * The store marker outside IndexedDB (src/storage/storeMarker.ts); the app passes
   * localStorage's. Without it no loss can be noticed.
   */
  marker?: MarkerStore;
  /**
   * The marker's second copy (a file in the origin private file system), for a browser killed
   * before it wrote localStorage to disk; the newer of the two counts.
   */
  markerCopy?: AsyncMarkerStore;
  /**
   * Erases what Preflight keeps beside the project storage (its other databases, files in the
   * origin private file system, Cache Storage, web storage) during "Close and wipe", after the
   * project storage; the marker is written as wiped after it.
   */
  wipeOutside?: () => Promise<void>;
}

/** The session's operations. None of them rejects: failures become `state.error`. */
export interface ProjectSession {
  getState(): SessionState;
  /** applies one edit to the open project and queues it for autosave */
  dispatch(change: ProjectChange): void;
  /**
   * Applies one edit like `dispatch` and resolves only once it is durably stored (its
   * strict-durability transaction completed): for changes whose "Saved" must be true when
   * shown, such as review decisions and signatures. Rejects when the edit is refused (with the
   * reason) or can no longer be stored (project deleted or changed in another tab, or closed).
   * Failing writes are retried meanwhile, so a full disk leaves it pending, never "Saved".
   */
  commit(change: ProjectChange): Promise<void>;
  /**
   * The open project's sign-off audit chain as stored (oldest first; empty when none or no
   * project). Entries are written only with the decisions they record (src/storage/auditRecord.ts).
   */
  auditLog(): Promise<ChainEntry[]>;
  /** switches to another stored project */
  open(id: string): Promise<void>;
  /** reads the list of stored projects again: another tab may have created or deleted one */
  refreshProjects(): Promise<void>;
  /** creates an empty project and opens it */
  create(name: string): Promise<void>;
  /**
   * Stores `project`, made in this browser from elsewhere (a team project's shared records pulled
   * here), as a new project and opens it, saying `notice`. Resolves true when stored and opened.
   */
  adopt(project: Project, notice: string): Promise<boolean>;
  /** deletes a stored project; deleting the last one leaves an empty "Untitled project" */
  remove(id: string): Promise<void>;
  /** the open project as a project file, or null (with `state.error`) */
  exportCurrent(): Promise<{ fileName: string; text: string } | null>;
  /** imports a project file; refused files change nothing. Resolves true when imported. */
  importFile(fileName: string, text: string): Promise<boolean>;
  /**
   * Imports a project file already parsed and checked by `parseProjectFile` (in a worker, so a large
   * file never blocks the page): stores an ok result, refuses the others with the same messages as
   * `importFile`. Resolves true when imported.
   */
  importChecked(fileName: string, result: LoadResult<ProjectFile>): Promise<boolean>;
  /**
   * Opens the demo clinic: switches to the stored project named "Demo clinic" (the most recently
   * changed one if several), or builds it from the samples when there is none. After a loss
   * (`phase: 'lost'`) this is the user's explicit choice to start over with the demo.
   */
  openDemo(): Promise<void>;
  /** erases everything Preflight stored in this browser */
  wipe(): Promise<void>;
  dismissMessages(): void;
  /** shows a refusal the UI decided on (e.g. a file too large to read) */
  refuse(message: string): void;
  /** shows a confirmation the UI decided on (e.g. an import the user cancelled) */
  inform(message: string): void;
  /** resolves when pending changes are durably written (rejects when they cannot be) */
  flush(): Promise<void>;
  /**
   * The page is being hidden, reloaded or closed: records unsaved changes in the one kind of
   * write that survives an unloading page, and starts the ordinary write. Returns false when
   * changes are at risk (writes are failing or stopped), the moment to warn before leaving.
   */
  secure(): boolean;
  destroy(): void;
}

/** Project names go into file names: keep letters, digits, dash and underscore only. */
export function projectFileName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'project'}.preflight.json`;
}

function describe(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  if (error instanceof Error) return error.message;
  return 'An unexpected error occurred.';
}

/** Shown after an import that came back with draft states (e.g. branch probabilities not yet summing to 1). */
function warningSummary(warnings: readonly { path: string; message: string }[]): string {
  if (warnings.length === 0) return '';
  const first = warnings[0];
  const where = first?.path ? ` (at ${first.path})` : '';
  const more = warnings.length > 1 ? ` and ${warnings.length - 1} more` : '';
  return ` It has unfinished parts to review: ${first?.message ?? ''}${where}${more}.`;
}

/**
 * What the user reads about changes recovered from a tab that went away. Changes applied as
 * they were need no words (the edit is simply there); a copy, a drop or a failure does.
 */
export function rescueSummary(
  outcomes: readonly RescueOutcome[],
): { kind: 'notice' | 'error'; text: string } | null {
  const lines: string[] = [];
  let failed = false;
  for (const o of outcomes) {
    if (o.error) {
      failed = true;
      lines.push(
        `Changes to “${o.projectName}” made just before a Preflight tab closed could not be restored: ${o.error}`,
      );
    } else if (o.decision === 'copy') {
      lines.push(
        `Changes to “${o.projectName}” made just before a Preflight tab closed could not be merged, because the ` +
          `project was changed since in another tab. They are kept as a separate project, “${o.copyName}”.`,
      );
    } else if (o.decision === 'discard' && o.deleted) {
      lines.push(
        `Changes to “${o.projectName}” made just before a Preflight tab closed were not restored: the project ` +
          'had been deleted since.',
      );
    }
  }
  if (lines.length === 0) return null;
  return { kind: failed ? 'error' : 'notice', text: lines.join(' ') };
}

/** The state before storage has answered. */
export const initialSessionState: SessionState = {
  phase: 'loading',
  projects: [],
  project: null,
  save: { state: 'saved' },
  error: null,
  notice: null,
};

/** What the user reads when the database is empty although the marker says projects were stored. */
function lossMessage(verdict: Extract<MarkerVerdict, { kind: 'lost' }>): string {
  const count = verdict.projectIds.length;
  const stored = count === 1 ? 'One project was' : `${count} projects were`;
  return (
    "Preflight's stored projects are gone: the browser discarded its database (this happens when the disk " +
    `was full or the site's data was cleared). ${stored} stored here, last saved ${formatWhen(verdict.savedAt)}. ` +
    'Nothing new has been written. Import the last exported project file to continue, or start the demo ' +
    `clinic if you no longer need ${count === 1 ? 'it' : 'them'}.`
  );
}

/** What the user reads when some stored projects or audit entries are missing. */
function damageMessage(
  verdict: Extract<MarkerVerdict, { kind: 'damaged' }>,
  names: ReadonlyMap<string, string>,
): string {
  const name = (id: string) => `“${names.get(id) ?? id}”`;
  const parts: string[] = [];
  if (verdict.missing.length > 0)
    parts.push(
      `${verdict.missing.length === 1 ? 'a project stored' : `${verdict.missing.length} projects stored`} in ` +
        `this browser ${verdict.missing.length === 1 ? 'is' : 'are'} missing (${verdict.missing.join(', ')})`,
    );
  for (const id of verdict.auditShorter)
    parts.push(`the sign-off audit log of ${name(id)} has fewer entries than were saved`);
  for (const id of verdict.auditChanged)
    parts.push(`the sign-off audit log of ${name(id)} does not end with the entry that was saved last`);
  return (
    `Stored data was lost or altered since ${formatWhen(verdict.savedAt)}: ${parts.join('; ')}. ` +
    'Do not rely on these sign-offs: compare with the last exported project file or audit log, and import it ' +
    'if it is complete.'
  );
}

/** "2026-11-24 06:40 UTC" from an ISO time (the raw text when it is not one). */
function formatWhen(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** Shown once saving works again after the browser had closed storage on its own. */
export const SAVING_RESUMED_MESSAGE = 'Saving works again: every change made in this tab is saved.';

/**
 * Why the browser closed storage, when a later successful save ends the problem (a full disk that
 * was freed). Cleared site data is not among them: the projects saved before stay gone.
 */
const RECOVERABLE_CLOSE_MESSAGES: readonly string[] = [DISK_FULL_MESSAGE, TERMINATED_MESSAGE];

/** Shown when storage cannot even be opened because the disk or the site's quota is full. */
export const OPEN_QUOTA_MESSAGE =
  "Preflight cannot open its stored projects because the computer's disk (or the browser's storage) is " +
  'full. Nothing stored was lost, and nothing is written or replaced meanwhile. Free disk space (delete ' +
  'files you no longer need, or other sites’ data): Preflight keeps trying and opens your projects as soon ' +
  'as it can, without a reload.';

/**
 * Open failures that can end on their own (space freed, a transient browser error): the session
 * retries the open on a timer, with the autosave's backoff, and says nothing new meanwhile.
 */
const RETRIED_OPEN_KINDS: readonly StorageError['kind'][] = ['quota', 'unknown'];

/** The messages of an open that failed and is being retried (the UI's private-window hint does not apply). */
export const RETRIED_OPEN_MESSAGES: readonly string[] = [OPEN_QUOTA_MESSAGE, OPEN_FAILED_MESSAGE];

/** Name given to the empty project created when the user deletes the last one. */
export const FALLBACK_PROJECT_NAME = 'Untitled project';

/** Creates the session; loading starts at once. */
export function createProjectSession(options: ProjectSessionOptions): ProjectSession {
  const now = options.now ?? (() => new Date().toISOString());
  let storage: ProjectStorage | null = null;
  let autosave: Autosave | null = null;
  let destroyed = false;
  let state: SessionState = initialSessionState;
  /** failed opens in a row, and the timer of the next try */
  let openFailures = 0;
  let openRetry: ReturnType<typeof setTimeout> | undefined;
  /** what the last failed open said */
  let lastOpenMessage: string | null = null;

  const set = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch };
    if (!destroyed) options.onState(state);
  };

  const guard = async (action: () => Promise<void>): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (error) {
      set({ error: describe(error), notice: null });
      return false;
    }
  };

  /**
   * Writes what is pending before another operation. A failure (e.g. storage full) is already
   * shown in the save status and the change stays queued for retry, so it must not block the
   * operations that free space or rescue the work: delete, switch, export, import.
   */
  const flushPending = async () => {
    await autosave?.flush().catch(() => {});
  };

  /** The newer of the marker's two copies. */
  const readMarker = async (): Promise<StoreMarker | null> =>
    newerMarker(options.marker?.read() ?? null, (await options.markerCopy?.read()) ?? null);
  const writeMarker = async (marker: StoreMarker) => {
    options.marker?.write(marker);
    await options.markerCopy?.write(marker);
  };

  /**
   * Records in the marker what the database holds now (after every successful write). The marker
   * only follows the database where that is expected: `accept` after the user was told of a loss
   * (or chose to start over), `removed` for the project the user just deleted. Otherwise a database
   * that lost projects or audit entries while the app ran (the browser closed it and a fresh one
   * opened) is said at once and the marker keeps its evidence for the next start.
   */
  const recordMarker = async (
    projects: readonly ProjectMeta[],
    expect: { accept?: boolean; removed?: string } = {},
  ) => {
    if (!storage || !(options.marker || options.markerCopy)) return;
    const observed = await storage.auditSummary(projects.map((p) => p.id));
    const previous = await readMarker();
    if (!expect.accept && previous?.state === 'active') {
      const known = { ...previous.projects };
      if (expect.removed !== undefined) delete known[expect.removed];
      const verdict = compareMarker({ ...previous, projects: known }, observed);
      if (verdict.kind === 'lost' || verdict.kind === 'damaged') {
        const names = new Map(projects.map((p) => [p.id, p.name]));
        set({
          error: verdict.kind === 'lost' ? lossMessage(verdict) : damageMessage(verdict, names),
        });
        return;
      }
    }
    await writeMarker(activeMarker(observed, now()));
  };

  const refreshList = async (expect: { accept?: boolean } = {}) => {
    if (!storage) return;
    const projects = await storage.listProjects();
    set({ projects });
    // a lost database stays reported until the user imports or starts the demo
    if (state.phase !== 'lost') await recordMarker(projects, expect);
  };

  const load = async (id: string) => {
    if (!storage || !autosave) return;
    await flushPending();
    const project = await storage.loadProject(id);
    autosave.reset(project);
    await storage.setLastProjectId(id);
    set({ project });
  };

  const start = async () => {
    try {
      const opened = await options.openStorage();
      if (destroyed) {
        // React StrictMode mounts twice: the first session must not create a second demo
        opened.close();
        return;
      }
      storage = opened;
      // the open worked after failing: its message no longer applies
      if (openFailures > 0)
        set({
          phase: 'loading',
          openRetrying: false,
          ...(state.error !== null && RETRIED_OPEN_MESSAGES.includes(state.error) ? { error: null } : {}),
        });
      openFailures = 0;
      autosave = createAutosave(opened, {
        onStatus: (save) => {
          set({ save });
          if (save.state !== 'saved') return;
          // the browser closed storage on its own (full disk) and saving works again: say so
          if (state.error !== null && RECOVERABLE_CLOSE_MESSAGES.includes(state.error)) {
            set({ error: null, notice: SAVING_RESUMED_MESSAGE });
          }
          void guard(refreshList);
        },
      });
      opened.subscribe((notice) => set({ error: notice.error.message, notice: null }));
      // changes a tab secured as it went away (a reload right after an edit) are stored first
      const rescued = await opened.recoverRescued().catch((error: unknown) => {
        set({ error: describe(error) });
        return [];
      });
      const rescueMessage = rescueSummary(rescued);
      let projects = await opened.listProjects();
      const verdict = compareMarker(await readMarker(), await opened.auditSummary(projects.map((p) => p.id)));
      if (verdict.kind === 'lost') {
        // never seed the demo over a loss: the user decides (import the last export, or the demo)
        set({ phase: 'lost', projects: [], project: null, error: lossMessage(verdict), notice: null });
        return;
      }
      if (projects.length === 0 && !destroyed) {
        await opened.saveProject(await options.createDemo(now()));
        projects = await opened.listProjects();
      }
      set({ projects });
      if (verdict.kind === 'damaged') {
        // the warning shows at this start, and from here the marker follows the database again
        set({ error: damageMessage(verdict, new Map(projects.map((p) => [p.id, p.name]))) });
      }
      await recordMarker(projects, { accept: true });
      const last = await opened.getLastProjectId();
      const target = projects.find((p) => p.id === last) ?? projects[0];
      // one damaged project must not lock the user out of the others: report it, show the rest
      if (target) await guard(() => load(target.id));
      if (rescueMessage) set({ [rescueMessage.kind]: rescueMessage.text });
      set({ phase: 'ready' });
    } catch (error) {
      // a step after the open failed (seeding the demo on a full disk): start again from the open
      autosave?.destroy();
      autosave = null;
      storage?.close();
      storage = null;
      const full = error instanceof StorageError && error.kind === 'quota';
      const retry = error instanceof StorageError && RETRIED_OPEN_KINDS.includes(error.kind) && !destroyed;
      const message = full ? OPEN_QUOTA_MESSAGE : describe(error);
      // a retry failing the same way keeps quiet: a message the user dismissed stays dismissed
      const same = openFailures > 0 && message === lastOpenMessage;
      lastOpenMessage = message;
      set({ phase: 'failed', openRetrying: retry, ...(same ? {} : { error: message }) });
      // a full disk or a transient error: try again on a timer, so the projects open without a
      // reload once space is freed; nothing is created (no demo) until the open succeeds
      if (retry) {
        openFailures += 1;
        openRetry = setTimeout(() => {
          openRetry = undefined;
          if (!destroyed) void start();
        }, retryDelayMs(openFailures));
      }
    }
  };
  void start();

  /** Applies `change` to the open project and queues it for autosave; says why when it cannot. */
  const apply = (
    change: ProjectChange,
  ): { ok: true; autosave: Autosave; projectId: string } | { ok: false; reason: string } => {
    const current = state.project;
    if (!current || !autosave) return { ok: false, reason: 'No project is open.' };
    try {
      const next = applyChange(current, change, now());
      // a notice naming the project ("… created") would show a stale name after a rename
      set({ project: next, error: null, ...(change.type === 'project/rename' ? { notice: null } : {}) });
      autosave.update(next);
      return { ok: true, autosave, projectId: next.meta.id };
    } catch (error) {
      const reason = describe(error);
      set({ error: reason });
      return { ok: false, reason };
    }
  };

  return {
    getState: () => state,
    dispatch(change) {
      apply(change);
    },
    commit(change) {
      const result = apply(change);
      if (!result.ok) return Promise.reject(new Error(result.reason));
      return result.autosave.whenSaved(result.projectId);
    },
    auditLog: async () => {
      const id = state.project?.meta.id;
      if (!storage || !id) return [];
      return storage.readAuditLog(id);
    },
    open: async (id) => {
      // a notice about the project being left must not stay up over the next one
      if (await guard(() => load(id))) set({ notice: null });
    },
    refreshProjects: async () => {
      await guard(refreshList);
    },
    openDemo: async () => {
      await guard(async () => {
        if (!storage) return;
        await flushPending();
        // ask storage, not the cached list: another tab may have created or removed it meanwhile
        const demos = (await storage.listProjects())
          .filter((p) => p.name === DEMO_PROJECT_NAME)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        const existing = demos[0];
        if (existing) {
          await load(existing.id);
          set({ notice: null, error: null });
          return;
        }
        const demo = await options.createDemo(now());
        await storage.saveProject(demo);
        // after a loss this is the user's explicit choice: from now on the marker follows the database
        const afterLoss = state.phase === 'lost';
        if (afterLoss) set({ phase: 'ready' });
        await refreshList({ accept: afterLoss });
        await load(demo.meta.id);
        set({ notice: `The demo clinic was added to your projects and opened.`, error: null });
      });
    },
    create: async (name) => {
      await guard(async () => {
        if (!storage) return;
        await flushPending();
        const project = createProject({ id: newId(), name, now: now() });
        await storage.saveProject(project);
        await refreshList();
        await load(project.meta.id);
        set({ notice: `Project “${project.meta.name}” created.`, error: null });
      });
    },
    adopt: (project, notice) =>
      guard(async () => {
        if (!storage) throw new Error('The projects stored in this browser are not open yet; try again.');
        await flushPending();
        await storage.saveProject(project);
        await refreshList();
        await load(project.meta.id);
        set({ notice, error: null });
      }),
    remove: async (id) => {
      await guard(async () => {
        if (!storage) return;
        const removed = state.projects.find((p) => p.id === id);
        // a queued write must not re-create the project after it is gone
        autosave?.forget(id);
        await storage.deleteProject(id);
        let projects = await storage.listProjects();
        if (projects.length === 0) {
          await storage.saveProject(createProject({ id: newId(), name: FALLBACK_PROJECT_NAME, now: now() }));
          projects = await storage.listProjects();
        }
        set({ projects });
        await recordMarker(projects, { removed: id });
        if (state.project?.meta.id === id || !state.project) {
          set({ project: null });
          const next = projects[0];
          if (next) await load(next.id);
        }
        set({ notice: `Project “${removed?.name ?? ''}” deleted.`, error: null });
      });
    },
    async exportCurrent() {
      const project = state.project;
      if (!project) return null;
      // export is the way out when storage is full: a failed flush must not block it
      await flushPending();
      try {
        const file = createProjectFile(project, { now: now(), appVersion: APP_VERSION });
        return { fileName: projectFileName(project.meta.name), text: `${JSON.stringify(file, null, 2)}\n` };
      } catch (error) {
        set({ error: `The project could not be exported: ${describe(error)}`, notice: null });
        return null;
      }
    },
    importFile(fileName, text) {
      return this.importChecked(fileName, parseProjectFile(text));
    },
    async importChecked(fileName, parsed) {
      if (!parsed.ok) {
        const first = parsed.problems
          .slice(0, 3)
          .map((p) => (p.path ? `${p.message} (at ${p.path})` : p.message));
        const more = parsed.problems.length > 3 ? ` and ${parsed.problems.length - 3} more problems` : '';
        set({
          error: `“${fileName}” was not imported: ${first.join('; ')}${more}. Nothing stored was changed.`,
          notice: null,
        });
        return false;
      }
      return guard(async () => {
        if (!storage) return;
        await flushPending();
        let project = parsed.value.project;
        // the loader refused names that break the rule; store the trimmed form, as create and rename do
        const name = checkProjectName(project.meta.name);
        if (name.ok && name.name !== project.meta.name)
          project = { ...project, meta: { ...project.meta, name: name.name } };
        // ask storage, not the cached list: another tab may have created this id meanwhile
        const stored = await storage.listProjects();
        if (stored.some((p) => p.id === project.meta.id)) {
          // never overwrite a stored project silently: the import becomes a copy
          project = {
            ...project,
            meta: {
              ...project.meta,
              id: newId(),
              name: copyName(project.meta.name, ` (imported ${now().slice(0, 10)})`),
            },
          };
        }
        await storage.saveProject(project);
        const afterLoss = state.phase === 'lost';
        if (afterLoss) set({ phase: 'ready' });
        await refreshList({ accept: afterLoss });
        await load(project.meta.id);
        set({
          notice: `Imported “${project.meta.name}”.${warningSummary(parsed.warnings ?? [])}`,
          error: null,
        });
      });
    },
    async wipe() {
      const s = storage;
      autosave?.destroy();
      autosave = null;
      storage = null;
      let blocked: string | null = null;
      const unsubscribe = s?.subscribe((notice) => {
        if (notice.type === 'blocked') blocked = notice.error.message;
      });
      try {
        if (s) await s.wipe();
        await options.wipeOutside?.().catch(() => undefined);
        options.marker?.write(wipedMarker(now()));
        set({ phase: 'wiped', projects: [], project: null, notice: null, error: blocked });
      } catch (error) {
        await options.wipeOutside?.().catch(() => undefined);
        options.marker?.write(wipedMarker(now()));
        set({ phase: 'wiped', projects: [], project: null, notice: null, error: describe(error) });
      } finally {
        unsubscribe?.();
      }
    },
    refuse(message) {
      set({ error: message, notice: null });
    },
    inform(message) {
      set({ notice: message, error: null });
    },
    dismissMessages() {
      set({ error: null, notice: null });
    },
    flush: async () => {
      await autosave?.flush();
    },
    secure() {
      if (!autosave) return true;
      const covered = autosave.rescue();
      // in a page that is only hidden the ordinary write lands and removes the rescue record;
      // its failures already show in the save status
      autosave.flush().catch(() => undefined);
      return covered;
    },
    destroy() {
      destroyed = true;
      if (openRetry !== undefined) clearTimeout(openRetry);
      autosave?.destroy();
      storage?.close();
    },
  };
}
