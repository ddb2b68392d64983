/**
 * The path to go as the meeting reads it: the fewest actions that clear every blocking reason,
 * highest risk first, each with the gate it clears, who does it and by when. An owner no record
 * names is said as missing with the role who must name one; a due day already past is flagged as
 * overdue, never shown as a plan. Shows the core's `pathToGo` in the core's words; judges nothing
 * itself. Used by the board and by page 1 of the evidence pack.
 */
import { useId } from 'react';
import {
  GATE_NAMES,
  type PathToGoAction,
  pathDueWords,
  pathOwnerWords,
  pathPastWords,
} from '../../core/readiness/index.ts';

/** The list (see the header); nothing when the path is empty (nothing blocks). */
export function PathToGoList({
  path,
  heading: H,
}: {
  path: readonly Pick<
    PathToGoAction,
    | 'action'
    | 'gate'
    | 'owner'
    | 'ownerFrom'
    | 'ownerNamedBy'
    | 'due'
    | 'dueFrom'
    | 'dueState'
    | 'resolves'
    | 'risk'
  >[];
  heading: 'h3' | 'h4';
}) {
  const titleId = useId();
  if (path.length === 0) return null;
  const reasons = path.reduce((n, a) => n + a.resolves.length, 0);
  const past = pathPastWords(path);
  return (
    <section className="board-path" aria-labelledby={titleId} data-testid="path-to-go">
      <H id={titleId}>Path to go</H>
      <p>
        {path.length === 1 ? '1 action clears' : `${path.length} actions clear`}{' '}
        {reasons === 1 ? 'the blocking reason' : `the ${reasons} blocking reasons`}
        {path.length > 1 ? ', highest risk first' : ''}:
      </p>
      {past && (
        <p className="path-past" role="note" data-testid="path-past">
          {past}
        </p>
      )}
      <ol aria-label="Path to go">
        {path.map((a) => (
          <li key={a.action}>
            {a.action}{' '}
            <span className="path-meta">
              Gate: {a.gate === null ? 'none' : GATE_NAMES[a.gate]} · Owner:{' '}
              {a.owner ?? <em>{pathOwnerWords(a)}</em>} · Due:{' '}
              {a.dueState === 'past' ? (
                <strong className="path-overdue">{pathDueWords(a)}</strong>
              ) : (
                (a.due ?? <em>{pathDueWords(a)}</em>)
              )}
              {a.risk ? ` · Risk removed: ${a.risk}` : ''}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
