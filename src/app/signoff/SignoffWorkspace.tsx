import type { Project } from '../../formats/project.ts';
import { Coming } from '../shared/Coming.tsx';
import { EmptyState } from '../shared/EmptyState.tsx';
import { formatCount } from '../shared/format.ts';
import { TableScroll } from '../shared/TableScroll.tsx';

const pct = (x: number) => `${(x * 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} %`;

/** `onOpenDemo`: offered when the project has no sample plans (left out inside the demo clinic itself). */
export function SignoffWorkspace({ project, onOpenDemo }: { project: Project; onOpenDemo?: () => void }) {
  const { samplePlans } = project;
  return (
    <section aria-labelledby="signoff-title" className="workspace">
      <h2 id="signoff-title">Sign-off</h2>
      <p className="lede">
        Clinicians review a statistically sized, reproducible sample of migrated records beside their legacy
        source and sign off with an audit trail.
      </p>
      {samplePlans.length === 0 ? (
        <EmptyState onOpenDemo={onOpenDemo}>
          <p>
            No sample plans in this project yet. Here clinicians will check a fair, reproducible sample of
            migrated records against the old system, side by side, mark what is wrong, and sign off when the
            error rate is low enough to go live. Preflight works out how many records to check and keeps a
            tamper-evident record of every decision.
          </p>
          <p>Look around the demo clinic to see a sample plan.</p>
        </EmptyState>
      ) : (
        samplePlans.map((plan) => (
          <article key={plan.id} className="card" aria-labelledby={`plan-${plan.id}`}>
            <h3 id={`plan-${plan.id}`}>{plan.name}</h3>
            <dl className="facts">
              <dt>Dataset</dt>
              <dd>{plan.population.dataset}</dd>
              <dt>Target maximum error rate</dt>
              <dd>{pct(plan.targetErrorRate)}</dd>
              <dt>Confidence</dt>
              <dd>{pct(plan.confidence)}</dd>
              <dt>Acceptance number</dt>
              <dd>{plan.acceptanceNumber}</dd>
              <dt>Seed</dt>
              <dd>
                <code>{plan.seed}</code>
              </dd>
            </dl>
            <TableScroll label={`Strata of ${plan.name}, scrollable`}>
              <table>
                <caption>Strata of {plan.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Stratum</th>
                    <th scope="col">Records</th>
                    <th scope="col">Kind</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.population.strata.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">{s.label}</th>
                      <td>{formatCount(s.size)}</td>
                      <td>{s.census ? 'census' : s.flagged ? 'flagged by validation' : 'sampled'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </article>
        ))
      )}
      <Coming>
        Exact sample sizes (binomial and hypergeometric), hash-ranked reproducible sampling, side-by-side
        review with defect classes, Clopper–Pearson bounds per stratum, a hash-chained audit log, signatures
        with re-authentication, and FHIR Provenance export.
      </Coming>
    </section>
  );
}
