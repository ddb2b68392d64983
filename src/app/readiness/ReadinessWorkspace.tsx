import type { Project } from '../../formats/project.ts';
import { Coming } from '../shared/Coming.tsx';

export function ReadinessWorkspace({ project }: { project: Project }) {
  const roles = new Set(project.workflows.flatMap((w) => w.lanes.map((l) => l.name)));
  const current = project.workflows.filter((w) => w.state === 'current').length;
  const future = project.workflows.filter((w) => w.state === 'future').length;
  const phases: { name: string; evidence: string }[] = [
    {
      name: 'Discovery',
      evidence: `${current} current and ${future} future workflows; ${roles.size} roles represented.`,
    },
    {
      name: 'Configuration',
      evidence: `${project.mappings.length} mappings, ${project.schemas.length} schemas.`,
    },
    { name: 'Training', evidence: 'Role-impact checklists arrive with workflow comparison.' },
    {
      name: 'Pre-launch',
      evidence: `${project.datasets.length} extracts described, ${project.reports.length} validation reports.`,
    },
    { name: 'Go-live', evidence: `${project.samplePlans.length} sample plans; no sign-off yet.` },
  ];
  return (
    <section aria-labelledby="readiness-title" className="workspace">
      <h2 id="readiness-title">Readiness</h2>
      <p className="lede">
        One view of the five phases where go-lives fail, with the evidence this project holds.
      </p>
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
