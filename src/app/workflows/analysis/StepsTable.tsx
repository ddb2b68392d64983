import { useEffect, useMemo, useRef } from 'react';
import { processOrder } from '../../../core/workflow/index.ts';
import type { StepMedium, Workflow } from '../../../formats/workflow.ts';
import { formatCount } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';

/** How a step is done, in words; the ones that are not digital stand out. */
const MEDIUM_LABELS: Readonly<Record<StepMedium, string>> = {
  paper: 'Paper',
  fax: 'Fax',
  phone: 'Phone',
  verbal: 'Spoken',
  digital: 'On screen',
};

/**
 * A workflow's steps in process order, with the attributes the findings talk about. Steps a
 * finding points at are highlighted (marked in text too, not by colour alone); when the
 * highlight changes, the first highlighted step is scrolled into view and focused, so keyboard
 * and screen-reader users land on it.
 */
export function StepsTable({
  workflow,
  highlighted,
  focusRequest,
  highlightNote = 'shown for the chosen finding',
  label = `Steps of ${workflow.name}`,
}: {
  workflow: Workflow;
  highlighted: ReadonlySet<string>;
  /** changes each time the user asks to be taken to the highlighted steps */
  focusRequest: number;
  /** why a step is highlighted, read out by screen readers */
  highlightNote?: string;
  /** the table region's name; must differ from other step lists of the same workflow on the page */
  label?: string;
}) {
  const order = useMemo(() => processOrder(workflow), [workflow]);
  const steps = useMemo(
    () => [...workflow.steps].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)),
    [workflow, order],
  );
  const laneName = (id: string) => workflow.lanes.find((l) => l.id === id)?.name ?? id;
  const firstRef = useRef<HTMLTableCellElement>(null);
  useEffect(() => {
    if (focusRequest === 0) return;
    firstRef.current?.scrollIntoView({ block: 'center' });
    firstRef.current?.focus({ preventScroll: true });
  }, [focusRequest]);
  let first = true;
  return (
    <TableScroll label={label}>
      <table className="wide steps-table">
        <caption>
          Steps of {workflow.name} ({workflow.state === 'current' ? 'today' : 'planned'})
        </caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Role</th>
            <th scope="col">How</th>
            <th scope="col">System</th>
            <th scope="col">Staff min</th>
            <th scope="col">Wait min</th>
            <th scope="col">Clicks</th>
            <th scope="col">Data typed</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => {
            const isHighlighted = highlighted.has(step.id);
            const ref = isHighlighted && first ? firstRef : undefined;
            if (isHighlighted) first = false;
            return (
              <tr key={step.id} className={isHighlighted ? 'step-highlighted' : undefined}>
                <th scope="row" ref={ref} tabIndex={isHighlighted ? -1 : undefined}>
                  {isHighlighted ? <mark>{step.label}</mark> : step.label}
                  {isHighlighted && <span className="visually-hidden"> ({highlightNote})</span>}
                </th>
                <td>{laneName(step.lane)}</td>
                <td className={step.medium === 'digital' ? undefined : 'medium-analogue'}>
                  {MEDIUM_LABELS[step.medium]}
                </td>
                <td>{step.system}</td>
                <td>{formatCount(step.touchMin)}</td>
                <td>{formatCount(step.waitMin)}</td>
                <td>{formatCount(step.clicks)}</td>
                <td>{step.enters.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
