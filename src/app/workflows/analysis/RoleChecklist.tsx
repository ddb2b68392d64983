import { useId, useRef } from 'react';
import { dataItemName, type RoleImpact, type WorkflowComparison } from '../../../core/workflow/index.ts';
import type { Finding } from '../../../core/workflow/rules/index.ts';
import { describeChanges } from './ComparePanel.tsx';

/** A role's status in words, as its checklist's heading says it. */
export const ROLE_STATUS_TEXT: Readonly<Record<RoleImpact['status'], string>> = {
  changed: 'Works differently',
  unchanged: 'Nothing changes',
  added: 'New role',
  removed: 'No longer part of this process',
};

/**
 * One role's training checklist. `level`: its heading's level (the sections under it take the
 * next one), so it fits the outline of the page it is on.
 */
function RolePage({
  role,
  processName,
  level = 5,
}: {
  role: RoleImpact;
  processName: string;
  level?: 3 | 4 | 5;
}) {
  const headingId = useId();
  const Heading = `h${level}` as const;
  const Sub = `h${level + 1}` as 'h4' | 'h5' | 'h6';
  const nothing = role.gains.length + role.loses.length + role.changes.length === 0;
  return (
    <article className="role-page" aria-labelledby={headingId}>
      <Heading id={headingId}>
        {role.name}: {ROLE_STATUS_TEXT[role.status]}
      </Heading>
      <p className="print-only">Training checklist · {processName}</p>
      {nothing && <p>No step of this role changes.</p>}
      {role.changes.length > 0 && (
        <>
          <Sub>Done differently ({role.changes.length})</Sub>
          <ul className="checklist">
            {role.changes.map((c) => (
              <li key={c.step.stepId}>
                <strong>{c.step.label}</strong>
                {c.instead.length > 0 && (
                  <>
                    {' '}
                    instead of {c.instead.map((i) => i.step.label).join(' and ')}:{' '}
                    {c.instead
                      .map((i) => describeChanges(i.changes))
                      .filter(Boolean)
                      .join('; ')}
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {role.gains.length > 0 && (
        <>
          <Sub>New to this role ({role.gains.length})</Sub>
          <ul className="checklist">
            {role.gains.map((g) => (
              <li key={g.step.stepId}>
                <strong>{g.step.label}</strong>
                {g.instead.length > 0 && (
                  <>
                    {' '}
                    (takes over {g.instead.map((i) => `${i.step.label} from ${i.step.laneName}`).join(', ')})
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {role.loses.length > 0 && (
        <>
          <Sub>No longer done by this role ({role.loses.length})</Sub>
          <ul className="checklist">
            {role.loses.map((l) => (
              <li key={l.step.stepId}>
                {l.step.label}
                {l.reason === 'retired' && ' — retired by the plan'}
                {l.reason === 'moved' &&
                  ` — now done by ${[...new Set(l.movedTo.map((m) => m.laneName))].join(', ')}`}
                {l.reason === 'untraced' && ' — nobody is planned to do it: check with the project lead'}
              </li>
            ))}
          </ul>
        </>
      )}
      {(role.newSystems.length > 0 || role.newDataItems.length > 0) && (
        <dl className="facts">
          {role.newSystems.length > 0 && (
            <>
              <dt>Systems to learn</dt>
              <dd>{role.newSystems.join(', ')}</dd>
            </>
          )}
          {role.newDataItems.length > 0 && (
            <>
              <dt>Data newly typed</dt>
              <dd>{role.newDataItems.map(dataItemName).join(', ')}</dd>
            </>
          )}
        </dl>
      )}
    </article>
  );
}

/**
 * The training checklist per role: what each role gains, loses or does differently, the systems it
 * must learn and the data it newly types. "Print" prints one page per role (print stylesheet).
 */
export function RoleChecklist({ comparison }: { comparison: WorkflowComparison<Finding> }) {
  const headingId = useId();
  const sectionRef = useRef<HTMLElement>(null);
  // marks this checklist (and only it) for the print stylesheet while the print dialog is open
  const print = () => {
    const section = sectionRef.current;
    if (!section) return;
    section.dataset.printing = 'true';
    document.body.classList.add('printing-checklist');
    const done = () => {
      delete section.dataset.printing;
      document.body.classList.remove('printing-checklist');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  };
  return (
    <section aria-labelledby={headingId} className="role-checklist" ref={sectionRef}>
      <div className="row no-print">
        <h4 id={headingId}>Training checklists by role</h4>
        <button type="button" onClick={print}>
          Print the checklists (one page per role)
        </button>
      </div>
      {comparison.roles.map((role) => (
        <RolePage
          key={`${role.currentLaneId ?? ''}→${role.futureLaneId ?? ''}`}
          role={role}
          processName={comparison.future.name}
        />
      ))}
    </section>
  );
}
