import { useId, useRef, useState } from 'react';
import { MAX_PROJECT_FILE_BYTES } from '../../formats/project.ts';
import type { AutosaveStatus } from '../../storage/autosave.ts';
import { ConfirmDialog, PromptDialog } from '../shared/Dialog.tsx';
import { downloadText } from '../shared/download.ts';
import type { ProjectSession, SessionState } from './projectSession.ts';

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

export function ProjectBar({ state, session }: { state: SessionState; session: ProjectSession }) {
  const [pending, setPending] = useState<Pending>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const selectId = useId();
  const project = state.project;
  const close = () => setPending(null);

  return (
    <div className="project-bar">
      <div className="project-select">
        <label htmlFor={selectId}>Project</label>
        <select
          id={selectId}
          value={project?.meta.id ?? ''}
          onChange={(e) => {
            if (e.target.value) void session.open(e.target.value);
          }}
        >
          {!project && <option value="">Choose a project…</option>}
          {state.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {/* the open project's name as edited, even before (or without) a successful save */}
              {p.id === project?.meta.id ? project.meta.name : p.name}
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
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Import a project file"
          tabIndex={-1}
          onChange={async (event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            input.value = '';
            if (!file) return;
            if (file.size > MAX_PROJECT_FILE_BYTES) {
              session.refuse(
                `“${file.name}” was not imported: at ${Math.round(file.size / 1e6)} MB it is too large to be a Preflight project file (projects hold no raw extracts). Nothing stored was changed.`,
              );
              return;
            }
            let text: string;
            try {
              text = await file.text();
            } catch {
              session.refuse(
                `“${file.name}” could not be read: it may have been moved or changed since you chose it. Choose it again. Nothing stored was changed.`,
              );
              return;
            }
            await session.importFile(file.name, text);
          }}
        />
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

      <PromptDialog
        open={pending === 'create'}
        title="New project"
        label="Project name"
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
          <p>
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
          void session.wipe();
        }}
      />
    </div>
  );
}
