import type { Project } from '../../formats/project.ts';
import { Coming } from '../shared/Coming.tsx';
import { EmptyState } from '../shared/EmptyState.tsx';
import { readinessPhases } from './readinessPhases.ts';

/** `onOpenDemo`: offered when the project holds nothing yet (left out inside the demo clinic itself). */
export function ReadinessWorkspace({ project, onOpenDemo }: { project: Project; onOpenDemo?: () => void }) {
  const empty =
    project.workflows.length === 0 && project.datasets.length === 0 && project.samplePlans.length === 0;
  const phases = readinessPhases(project);
  return (
    <section aria-labelledby="readiness-title" className="workspace">
      <h2 id="readiness-title">Readiness</h2>
      <p className="lede">
        One view of the five phases where go-lives fail, with the evidence this project holds.
      </p>
      {empty && (
        <EmptyState onOpenDemo={onOpenDemo}>
          <p>
            This project holds nothing yet, so there is no evidence to weigh. As workflows, checked extracts
            and clinician sign-offs are added, this page shows for each phase whether the clinic is ready to
            go live, and why not.
          </p>
        </EmptyState>
      )}
      <ol className="phases">
        {phases.map((p) => (
          <li key={p.name}>
            <strong>{p.name}</strong>: {p.evidence}
          </li>
        ))}
      </ol>
      <Coming>
        Go-live gates computed from open bottleneck findings, migration pass rates, sign-off verdicts and peak
        and go-live simulations, exportable as a go/no-go report.
      </Coming>
    </section>
  );
}
