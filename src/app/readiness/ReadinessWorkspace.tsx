import type { Project } from '../../formats/project.ts';
import { Coming } from '../shared/Coming.tsx';
import { EmptyState } from '../shared/EmptyState.tsx';
import { plural } from '../shared/format.ts';

/** `onOpenDemo`: offered when the project holds nothing yet (left out inside the demo clinic itself). */
export function ReadinessWorkspace({ project, onOpenDemo }: { project: Project; onOpenDemo?: () => void }) {
  const roles = new Set(project.workflows.flatMap((w) => w.lanes.map((l) => l.name)));
  const current = project.workflows.filter((w) => w.state === 'current').length;
  const future = project.workflows.filter((w) => w.state === 'future').length;
  const empty =
    project.workflows.length === 0 && project.datasets.length === 0 && project.samplePlans.length === 0;
  const phases: { name: string; evidence: string }[] = [
    {
      name: 'Discovery',
      evidence: `${plural(project.workflows.length, 'workflow')} (${current} current, ${future} future); ${plural(roles.size, 'role')} represented.`,
    },
    {
      name: 'Configuration',
      evidence: `${plural(project.mappings.length, 'mapping')}, ${plural(project.schemas.length, 'column contract and target schema', 'column contracts and target schemas')}.`,
    },
    { name: 'Training', evidence: 'Role-impact checklists arrive with workflow comparison.' },
    {
      name: 'Pre-launch',
      evidence: `${plural(project.datasets.length, 'extract')} described, ${plural(project.reports.length, 'validation report')}.`,
    },
    { name: 'Go-live', evidence: `${plural(project.samplePlans.length, 'sample plan')}; no sign-off yet.` },
  ];
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
