/**
 * Event logs on the Workflows workspace (the one entry point): discover today's workflow from a
 * log, and check a log from the new system against the planned workflow after go-live.
 */
import './eventlog.css';
import { useId } from 'react';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { ConformPanel } from './ConformPanel.tsx';
import { DiscoverPanel } from './DiscoverPanel.tsx';

/** The event-log section of the Workflows workspace. */
export function EventLogPanel({
  project,
  onWorkflowChange,
  onShowDrift,
}: {
  project: Project;
  /** adds a discovered workflow to the project; absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
  /** opens a planned workflow in the editor with the last check's drift overlay on */
  onShowDrift?: (workflowId: string) => void;
}) {
  const headingId = useId();
  return (
    <section className="eventlog" aria-labelledby={headingId}>
      <h3 id={headingId}>Event logs: what really happens</h3>
      <DiscoverPanel project={project} onWorkflowChange={onWorkflowChange} />
      <ConformPanel project={project} onShowOnCanvas={onShowDrift} />
    </section>
  );
}
