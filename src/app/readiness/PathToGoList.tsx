/**
 * The path to go as the meeting reads it: the fewest actions that clear every blocking reason,
 * in order, each with the gate it clears, who does it and by when. An owner or a day no record
 * gives is said as missing, with where it would come from, never left blank. Shows the core's
 * `pathToGo`; judges nothing itself. Used by the board and by page 1 of the evidence pack.
 */
import { useId } from 'react';
import { GATE_NAMES, type PathToGoAction } from '../../core/readiness/index.ts';

/** The list (see the header); nothing when the path is empty (nothing blocks). */
export function PathToGoList({
  path,
  heading: H,
}: {
  path: readonly Pick<
    PathToGoAction,
    'action' | 'gate' | 'owner' | 'ownerFrom' | 'due' | 'dueFrom' | 'resolves'
  >[];
  heading: 'h3' | 'h4';
}) {
  const titleId = useId();
  if (path.length === 0) return null;
  const reasons = path.reduce((n, a) => n + a.resolves.length, 0);
  return (
    <section className="board-path" aria-labelledby={titleId} data-testid="path-to-go">
      <H id={titleId}>Path to go</H>
      <p>
        {path.length === 1 ? '1 action clears' : `${path.length} actions clear`}{' '}
        {reasons === 1 ? 'the blocking reason' : `the ${reasons} blocking reasons`}:
      </p>
      <ol aria-label="Path to go">
        {path.map((a) => (
          <li key={a.action}>
            {a.action}{' '}
            <span className="path-meta">
              Gate: {a.gate === null ? 'none' : GATE_NAMES[a.gate]} · Owner:{' '}
              {a.owner ?? <em>{a.ownerFrom}</em>} · Due: {a.due ?? <em>{a.dueFrom}</em>}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
