/**
 * Workspace actions that bring a workflow in: create a new one (current, or future naming its
 * baseline) and import a `preflight.workflow/v1` file through the format's loader, with its
 * problems listed by place. Both store with one `workflow/put` and open the editor.
 */
import { useId, useState } from 'react';
import { byteSizeWords } from '../../../core/byteSize/index.ts';
import { createWorkflow, importWorkflowBytes } from '../../../core/workflow/edit/index.ts';
import type { FormatProblem } from '../../../formats/loading.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow, WorkflowState } from '../../../formats/workflow.ts';

/** Largest workflow file read (a 1,000-step workflow is well under 1 MB). */
const MAX_WORKFLOW_FILE_BYTES = 20 * 1024 * 1024;

function describeProblem(problem: FormatProblem): string {
  return problem.path ? `${problem.message} (at ${problem.path})` : problem.message;
}

/** Creates a current workflow, or a future one naming the current workflow it replaces. */
export function NewWorkflowForm({
  project,
  onCreate,
}: {
  project: Project;
  onCreate: (workflow: Workflow) => void;
}) {
  const [name, setName] = useState('');
  const [state, setState] = useState<WorkflowState>('current');
  const currents = project.workflows.filter((w) => w.state === 'current');
  const [baseline, setBaseline] = useState('');
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const baselineId = baseline && currents.some((w) => w.id === baseline) ? baseline : (currents[0]?.id ?? '');
  return (
    <form
      className="wf-new"
      aria-labelledby={`${nameId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        try {
          onCreate(
            createWorkflow(project, { name, state, baseline: state === 'future' ? baselineId : undefined }),
          );
          setName('');
          setError(null);
        } catch (caught) {
          setError(caught instanceof Error ? caught.message : 'The workflow could not be created.');
        }
      }}
    >
      <h3 id={`${nameId}-title`}>New workflow</h3>
      <div className="wf-new-fields">
        <label className="field">
          Name
          <input
            autoComplete="off"
            type="text"
            value={name}
            placeholder="e.g. Referral processing (current)"
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <fieldset className="field wf-new-state">
          <legend>State</legend>
          <label>
            <input
              type="radio"
              name="new-state"
              checked={state === 'current'}
              onChange={() => setState('current')}
            />
            Current (today)
          </label>
          <label>
            <input
              type="radio"
              name="new-state"
              checked={state === 'future'}
              onChange={() => setState('future')}
              disabled={currents.length === 0}
            />
            Future (on the new EHR)
          </label>
        </fieldset>
        {state === 'future' && (
          <label className="field">
            Replaces the current workflow
            <select value={baselineId} onChange={(event) => setBaseline(event.target.value)}>
              {currents.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="primary" disabled={name.trim() === ''}>
          Create and open
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Imports a workflow JSON file through the format's loader; refusals list each problem with its path. */
export function WorkflowImport({
  project,
  onImport,
}: {
  project: Project;
  onImport: (workflow: Workflow, note: string) => void;
}) {
  const [problems, setProblems] = useState<{ file: string; list: FormatProblem[] } | null>(null);
  const id = useId();
  return (
    <div className="wf-import">
      <label htmlFor={id}>Import a workflow file (preflight.workflow/v1 JSON)</label>
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        onChange={async (event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          if (!file) return;
          if (file.size > MAX_WORKFLOW_FILE_BYTES) {
            setProblems({
              file: file.name,
              list: [
                {
                  path: '',
                  code: 'too-large',
                  message: `the file is larger than ${byteSizeWords(MAX_WORKFLOW_FILE_BYTES)}; a workflow file is far smaller`,
                },
              ],
            });
            return;
          }
          const result = importWorkflowBytes(new Uint8Array(await file.arrayBuffer()), project, file.name);
          if (!result.ok) {
            setProblems({ file: file.name, list: result.problems });
            return;
          }
          setProblems(null);
          const notes = [
            result.renamedFrom ? 'A workflow with its id was already here, so it was added as a copy.' : '',
            result.warnings.length > 0
              ? `To review: ${result.warnings.slice(0, 3).map(describeProblem).join('; ')}${
                  result.warnings.length > 3 ? ` and ${result.warnings.length - 3} more` : ''
                }.`
              : '',
          ].filter(Boolean);
          onImport(result.workflow, notes.join(' '));
        }}
      />
      {problems && (
        <div className="banner banner-error banner-stacked" role="alert">
          <p>
            “{problems.file}” was not imported:{' '}
            {problems.list.length === 1 ? 'one problem' : `${problems.list.length} problems`}. Nothing in the
            project was changed.
          </p>
          <ul>
            {problems.list.slice(0, 10).map((p) => (
              <li key={`${p.path}|${p.code}|${p.message}`}>{describeProblem(p)}</li>
            ))}
          </ul>
          {problems.list.length > 10 && <p>and {problems.list.length - 10} more.</p>}
        </div>
      )}
    </div>
  );
}
