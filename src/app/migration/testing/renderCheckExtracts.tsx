/**
 * Tests only: the Check extracts screen rendered as the app renders it for a project it may
 * change, with the app's job registry (the validator worker's API runs in process in component
 * tests). What the screen changes in the project and the reports it saves are collected.
 */
import { render } from '@testing-library/react';
import type { ProjectChange } from '../../../core/project/changes.ts';
import type { Project } from '../../../formats/project.ts';
import type { Report } from '../../../formats/report.ts';
import { createJobRegistry } from '../../jobs/jobRegistry.ts';
import { JobsContext } from '../../jobs/jobsContext.ts';
import { CheckExtracts } from '../CheckExtracts.tsx';

/** Renders the screen for `project`; returns what it changed and saved, in order, as it goes. */
export function renderCheckExtracts(project: Project): { changes: ProjectChange[]; reports: Report[] } {
  const changes: ProjectChange[] = [];
  const reports: Report[] = [];
  render(
    <JobsContext.Provider value={createJobRegistry()}>
      <CheckExtracts
        project={project}
        onChange={(change) => changes.push(change)}
        onSaveReport={async (report) => {
          reports.push(report);
        }}
      />
    </JobsContext.Provider>,
  );
  return { changes, reports };
}

/** The screen's file chooser: the one for the files listed, or the one behind the new-drop button. */
export function fileChooser(which: 'listed' | 'new drop'): HTMLInputElement {
  const chooser = document.querySelector<HTMLInputElement>(
    which === 'new drop' ? '.new-drop-check input[type="file"]' : 'input[type="file"]:not(.new-drop-check *)',
  );
  if (!chooser)
    throw new Error(`the screen has its file chooser for ${which === 'new drop' ? 'a new drop' : 'files'}`);
  return chooser;
}
