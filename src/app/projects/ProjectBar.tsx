import { type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { checkProjectName, MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';
import type { AutosaveStatus } from '../../storage/autosave.ts';
import { ConfirmDialog, PromptDialog } from '../common/Dialog.tsx';
import { downloadText } from '../common/download.ts';
import { formatBytes } from '../common/format.ts';
import { useJobRegistry } from '../jobs/useJobs.ts';
import { projectLabels } from './projectLabels.ts';
import type { ProjectSession, SessionState } from './projectSession.ts';
import { type ProjectImportState, useProjectImport } from './useProjectImport.ts';

const PERCENT = 100;
const NAME_HINT = `Up to ${MAX_PROJECT_NAME_LENGTH} characters.`;

/** The dialogs' check: the same rule as the session and the import (src/formats/projectName.ts). */
function checkName(value: string) {
  const checked = checkProjectName(value);
  return checked.ok
    ? { ok: true as const, value: checked.name }
    : { ok: false as const, message: checked.message };
}

/**
 * A button that picks a project file and hands it to the import (a hidden file input behind it, so
 * the button's words are the control's name); disabled while an import runs.
 */
export function ImportProjectButton({
  imports,
  className,
  children,
}: {
  imports: ReturnType<typeof useProjectImport>;
  className?: string;
  children: ReactNode;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => fileInput.current?.click()}
        disabled={imports.state.phase === 'running'}
      >
        {children}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        aria-label="Import a project file"
        tabIndex={-1}
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          if (file) void imports.start(file);
        }}
      />
    </>
  );
}

/** Shows a running import: reading with a measure, then checking (one step without one), and Cancel. */
export function ImportProgress({ state, onCancel }: { state: ProjectImportState; onCancel: () => void }) {
  if (state.phase !== 'running') return null;
  const reading = state.progress?.stage === 'reading' ? state.progress.progress : null;
  const checking = state.progress?.stage === 'checking';
  const percent = reading?.total ? Math.floor((reading.done / reading.total) * PERCENT) : 0;
  return (
    <div className="import-progress">
      <progress
        max={PERCENT}
        // no value while checking: an indeterminate bar, as parsing has no measure
        value={checking ? undefined : percent}
        aria-label={`Importing ${state.fileName}`}
      />
      <p className="import-text">
        <span className="name" title={state.fileName}>
          {state.fileName}
        </span>
        <span aria-live="polite">{checking ? ': checking the project…' : ': reading the file…'}</span>
        {reading && !checking && (
          <span>
            {' '}
            {percent} % — {formatBytes(reading.done)} of {formatBytes(reading.total ?? 0)}
          </span>
        )}
      </p>
      <button type="button" onClick={onCancel}>
        Cancel import
      </button>
    </div>
  );
}

type Pending = null | 'create' | 'rename' | 'delete' | 'wipe';

function saveLabel(save: AutosaveStatus): string {
  switch (save.state) {
    case 'saved':
      return save.lastSavedAt ? `Saved ${new Date(save.lastSavedAt).toLocaleTimeString()}` : 'Saved';
    case 'pending':
      return 'Unsaved changes…';
    case 'saving':
      return 'Saving…';
    case 'error':
      return `Not saved: ${save.error?.message ?? 'the browser refused the write.'}`;
  }
}

export function ProjectBar({
  state,
  session,
  onChoose,
}: {
  state: SessionState;
  session: ProjectSession;
  /** the user chose another project (the app opens it by its address) */
  onChoose: (id: string) => void;
}) {
  const [pending, setPending] = useState<Pending>(null);
  const jobs = useJobRegistry();
  const selectId = useId();
  const project = state.project;
  const close = () => setPending(null);
  const imports = useProjectImport(session);
  // the open project's name as edited, even before (or without) a successful save
  const currentName = project?.meta.name ?? '';
  const openId = project?.meta.id;
  const listed = useMemo(
    () => state.projects.map((p) => (p.id === openId ? { ...p, name: currentName } : p)),
    [state.projects, openId, currentName],
  );
  const labels = useMemo(() => projectLabels(listed), [listed]);

  return (
    <div className="project-bar">
      <div className="project-select">
        <label htmlFor={selectId}>Project</label>
        <select
          id={selectId}
          title={currentName || undefined}
          value={project?.meta.id ?? ''}
          onChange={(e) => {
            if (e.target.value) onChoose(e.target.value);
          }}
        >
          {!project && <option value="">Choose a project…</option>}
          {listed.map((p) => (
            <option key={p.id} value={p.id} title={p.name}>
              {labels.get(p.id) ?? p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="project-actions">
        <button type="button" onClick={() => setPending('create')}>
          New project
        </button>
        <button type="button" onClick={() => setPending('rename')} disabled={!project}>
          Rename
        </button>
        <button
          type="button"
          disabled={!project}
          onClick={async () => {
            const file = await session.exportCurrent();
            if (file) downloadText(file.fileName, file.text);
          }}
        >
          Export
        </button>
        <ImportProjectButton imports={imports}>Import</ImportProjectButton>
        <button
          type="button"
          className="danger-outline"
          onClick={() => setPending('delete')}
          disabled={!project}
        >
          Delete
        </button>
        <button type="button" className="danger-outline" onClick={() => setPending('wipe')}>
          Close and wipe
        </button>
      </div>
      <output className={`save-status save-${state.save.state}`} aria-live="polite">
        {saveLabel(state.save)}
      </output>
      <ImportProgress state={imports.state} onCancel={imports.cancel} />

      <PromptDialog
        open={pending === 'create'}
        title="New project"
        label="Project name"
        hint={NAME_HINT}
        check={checkName}
        initial=""
        submitLabel="Create project"
        onCancel={close}
        onSubmit={(name) => {
          close();
          void session.create(name);
        }}
      />
      <PromptDialog
        open={pending === 'rename'}
        title="Rename project"
        label="Project name"
        hint={NAME_HINT}
        check={checkName}
        initial={project?.meta.name ?? ''}
        submitLabel="Rename"
        onCancel={close}
        onSubmit={(name) => {
          close();
          session.dispatch({ type: 'project/rename', name });
        }}
      />
      <ConfirmDialog
        open={pending === 'delete'}
        title="Delete project?"
        message={
          <p className="long-text">
            “{project?.meta.name}” and everything saved in it (workflows, mappings, plans, reports) will be
            removed from this browser. Export it first if you may need it again.
          </p>
        }
        confirmLabel="Delete project"
        onCancel={close}
        onConfirm={() => {
          close();
          if (project) void session.remove(project.meta.id);
        }}
      />
      <ConfirmDialog
        open={pending === 'wipe'}
        title="Close and wipe everything?"
        message={
          <p>
            Every project and everything Preflight stored in this browser will be erased. Your source files on
            disk are not touched. Export the projects you want to keep first.
          </p>
        }
        confirmLabel="Wipe everything"
        onCancel={close}
        onConfirm={() => {
          close();
          // running jobs stop first: one still running could write its journal entry or its key
          // files again after the wipe removed them
          jobs?.cancelAll('projectWiped');
          void session.wipe();
        }}
      />
    </div>
  );
}
