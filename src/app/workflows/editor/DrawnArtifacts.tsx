/**
 * The text annotations and groups of a workflow drawn on its diagram (artifactLayout.ts), read-only:
 * a note as text beside an open bracket with a dotted line to each of its steps, a group as a
 * dashed rounded frame with its name at the top. Drawn in the diagram's coordinates (inside the
 * canvas's viewport), above the lanes and steps; clicks and drags go through them to the diagram.
 * Each is named for assistive technology: a note ("Note on …: …") and a group's frame, a picture
 * ("Group: …"; its steps are not inside it in the page).
 */
import type { DrawnArtifacts as Drawn } from './artifactLayout.ts';

/** How long the bracket's ends are. */
const BRACKET_END = 12;

/** The notes and groups, positioned absolutely in canvas units (see the file header). */
export function DrawnArtifacts({ drawn }: { drawn: Drawn }) {
  if (drawn.notes.length === 0 && drawn.groups.length === 0) return null;
  return (
    <div className="wf-artifacts">
      <svg className="wf-artifact-lines" aria-hidden="true" width="1" height="1">
        {drawn.notes.flatMap((note) =>
          note.links.map((link, i) => (
            <line
              // biome-ignore lint/suspicious/noArrayIndexKey: a note's links are fixed by its steps' order
              key={`${note.id}:${i}`}
              className="wf-association"
              x1={link.from.x}
              y1={link.from.y}
              x2={link.to.x}
              y2={link.to.y}
            />
          )),
        )}
        {drawn.notes.map((note) => (
          <path
            key={note.id}
            className="wf-note-bracket"
            d={`M ${note.x + BRACKET_END} ${note.y} H ${note.x} V ${note.y + note.height} H ${note.x + BRACKET_END}`}
          />
        ))}
      </svg>
      {drawn.groups.map((group) => (
        <div
          key={group.id}
          role="img"
          aria-label={group.label ? `Group: ${group.label}` : 'Group'}
          className="wf-group-frame"
          style={{ left: group.x, top: group.y, width: group.width, height: group.height }}
        >
          {group.label ? (
            <span className="wf-group-label" aria-hidden="true">
              {group.label}
            </span>
          ) : null}
        </div>
      ))}
      {drawn.notes.map((note) => (
        <div
          key={note.id}
          role="note"
          aria-label={
            note.stepLabels.length > 0
              ? `Note on ${note.stepLabels.join(', ')}: ${note.text}`
              : `Note: ${note.text}`
          }
          className="wf-note"
          style={{ left: note.x, top: note.y, width: note.width, minHeight: note.height }}
        >
          <span aria-hidden="true">{note.text}</span>
        </div>
      ))}
    </div>
  );
}
