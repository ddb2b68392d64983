/**
 * The project session: which projects exist, the open project, its autosave, import/export and
 * wipe. A plain engine (STYLE.md 2) owned by exactly one hook, `useProjectSession`.
 *
 * Constraints: every edit is a `ProjectChange` applied by the pure reducer, so autosave (and
 * later undo and audit) see one shape; a project that failed validation on load is shown
 * but never written back; an import that fails validation touches nothing already stored.
 */
import { applyChange, createProject, newId, type ProjectChange } from '../../core/project/changes.ts';
import type { Project, ProjectMeta } from '../../formats/project.ts';
import { createProjectFile, parseProjectFile } from '../../formats/project.ts';
import { type AutosaveStatus, createAutosave } from '../../storage/autosave.ts';
import { StorageError } from '../../storage/errors.ts';
import type { ProjectStorage } from '../../storage/storage.ts';

export const APP_VERSION = '0.1.0';

export type SessionPhase = 'loading' | 'ready' | 'failed' | 'wiped';

export interface SessionState {
  phase: SessionPhase;
  projects: ProjectMeta[];
  project: Project | null;
  save: AutosaveStatus;
  /** a problem the user must read (role="alert"), e.g. a refused import */
  error: string | null;
  /** a confirmation of something that went well (role="status") */
  notice: string | null;
}

export interface ProjectSessionOptions {
  openStorage: () => Promise<ProjectStorage>;
  /** builds the demo clinic from samples/ for a browser that has no project yet */
  createDemo: (now: string) => Promise<Project>;
  onState: (state: SessionState) => void;
  now?: () => string;
}

export interface ProjectSession {
  getState(): SessionState;
  dispatch(change: ProjectChange): void;
  open(id: string): Promise<void>;
  create(name: string): Promise<void>;
  remove(id: string): Promise<void>;
  exportCurrent(): Promise<{ fileName: string; text: string } | null>;
  importFile(fileName: string, text: string): Promise<boolean>;
  wipe(): Promise<void>;
  dismissMessages(): void;
  /** shows a refusal the UI decided on (e.g. a file too large to read) */
  refuse(message: string): void;
  flush(): Promise<void>;
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

/** Creates the session; call `init()` is implicit: loading starts at once. */
export function createProjectSession(options: ProjectSessionOptions): ProjectSession {
  const now = options.now ?? (() => new Date().toISOString());
  let storage: ProjectStorage | null = null;
  let destroyed = false;
  let state: SessionState = {
    phase: 'loading',
    projects: [],
    project: null,
    save: { state: 'saved' },
    error: null,
    notice: null,
  };

  const set = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch };
    if (!destroyed) options.onState(state);
  };

  let autosave: ReturnType<typeof createAutosave> | null = null;

  const refreshList = async () => {
    if (!storage) return;
    set({ projects: await storage.listProjects() });
  };

  const load = async (id: string) => {
    if (!storage || !autosave) return;
    await autosave.flush();
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
      autosave = createAutosave(storage, {
        onStatus: (save) => {
          set({ save });
          if (save.state === 'saved') void refreshList();
        },
      });
      let projects = await storage.listProjects();
      if (projects.length === 0 && !destroyed) {
        const demo = await options.createDemo(now());
        await storage.saveProject(demo);
        projects = await storage.listProjects();
      }
      opened.subscribe((notice) => set({ error: notice.error.message, notice: null }));
      set({ projects });
      const last = await storage.getLastProjectId();
      const target = projects.find((p) => p.id === last) ?? projects[0];
      try {
        if (target) await load(target.id);
      } catch (error) {
        // one damaged project must not lock the user out of the others: show the rest
        set({ error: describe(error) });
      }
      set({ phase: 'ready' });
    } catch (error) {
      set({ phase: 'failed', error: describe(error) });
    }
  };
  void start();

  const guard = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      set({ error: describe(error), notice: null });
    }
  };

  return {
    getState: () => state,
    dispatch(change) {
      const current = state.project;
      if (!current || !autosave) return;
      try {
        const next = applyChange(current, change, now());
        set({ project: next, error: null });
        autosave.update(next);
      } catch (error) {
        set({ error: describe(error) });
      }
    },
    open: (id) => guard(() => load(id)),
    create: (name) =>
      guard(async () => {
        if (!storage) return;
        await autosave?.flush();
        const project = createProject({ id: newId(), name, now: now() });
        await storage.saveProject(project);
        await refreshList();
        await load(project.meta.id);
        set({ notice: `Project “${name}” created.`, error: null });
      }),
    remove: (id) =>
      guard(async () => {
        if (!storage) return;
        const removed = state.projects.find((p) => p.id === id);
        await autosave?.flush();
        await storage.deleteProject(id);
        let projects = await storage.listProjects();
        if (projects.length === 0) {
          const fresh = createProject({ id: newId(), name: 'Untitled project', now: now() });
          await storage.saveProject(fresh);
          projects = await storage.listProjects();
        }
        set({ projects });
        if (state.project?.meta.id === id || !state.project) {
          const next = projects[0];
          if (next) await load(next.id);
        }
        set({ notice: `Project “${removed?.name ?? ''}” deleted.`, error: null });
      }),
    async exportCurrent() {
      const project = state.project;
      if (!project) return null;
      // export is the way out when storage is full: a failed flush must not block it
      await autosave?.flush().catch(() => {});
      const file = createProjectFile(project, { now: now(), appVersion: APP_VERSION });
      return { fileName: projectFileName(project.meta.name), text: `${JSON.stringify(file, null, 2)}\n` };
    },
    async importFile(fileName, text) {
      const parsed = parseProjectFile(text);
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
      let ok = false;
      await guard(async () => {
        if (!storage) return;
        await autosave?.flush();
        let project = parsed.value.project;
        const clash = state.projects.some((p) => p.id === project.meta.id);
        if (clash) {
          // never overwrite a stored project silently: the import becomes a copy
          project = {
            ...project,
            meta: {
              ...project.meta,
              id: newId(),
              name: `${project.meta.name} (imported ${now().slice(0, 10)})`,
            },
          };
        }
        await storage.saveProject(project);
        await refreshList();
        await load(project.meta.id);
        set({ notice: `Imported “${project.meta.name}”.`, error: null });
        ok = true;
      });
      return ok;
    },
    wipe: () =>
      guard(async () => {
        autosave?.destroy();
        autosave = null;
        const s = storage;
        storage = null;
        if (s) await s.wipe();
        set({ phase: 'wiped', projects: [], project: null, notice: null, error: null });
      }),
    refuse(message) {
      set({ error: message, notice: null });
    },
    dismissMessages() {
      set({ error: null, notice: null });
    },
    flush: async () => {
      await autosave?.flush();
    },
    destroy() {
      destroyed = true;
      autosave?.destroy();
      storage?.close();
    },
  };
}
