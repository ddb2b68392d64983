/**
 * The text annotations and groups of a workflow drawn on its diagram (artifactLayout.ts), read-only:
 * a note as text beside an open bracket with a dotted line to each of its steps, a group as a
 * dashed rounded frame with its name at the top. Drawn in the diagram's coordinates (inside the
 * canvas's viewport), above the lanes and steps; clicks and drags go through them to the diagram.
 * Each is named for assistive technology: a note ("Note on …: …") and a group's frame, a picture
 * ("Group: …"; its steps are not inside it in the page). A document is a page with a folded corner
 * (a store, a cylinder), its name under it, with a dotted line and an open arrow to each step that
 * reads it and from each step that writes it (routed around the shapes in its way); it is a
 * picture named by what it is and who reads and writes it ("Document: …, read by …"). A document
 * the case arrives or leaves with (a data input or output of the process) has an arrow in its top
 * left corner, hollow or filled, as bpmn-js draws one ("Incoming document: …").
 */
import type { DrawnArtifacts as Drawn, DrawnDocument } from './artifactLayout.ts';

/** How long the bracket's ends are. */
const BRACKET_END = 12;

/** The notes and groups, positioned absolutely in canvas units (see the file header). */
export function DrawnArtifacts({ drawn }: { drawn: Drawn }) {
  if (drawn.notes.length === 0 && drawn.groups.length === 0 && drawn.documents.length === 0) return null;
  return (
    <div className="wf-artifacts">
      <svg className="wf-artifact-lines" aria-hidden="true" width="1" height="1">
        {drawn.documents.length > 0 && (
          <defs>
            <marker
              id="wf-association-arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="8"
              markerHeight="8"
              orient="auto-start-reverse"
            >
              <path d="M0 0L10 5L0 10" fill="none" stroke="#5b6675" strokeWidth="1.5" />
            </marker>
          </defs>
        )}
        {drawn.documents.flatMap((document) =>
          document.links.map((link) => (
            <path
              key={`${document.id}:${link.reads ? 'reads' : 'writes'}:${link.step}`}
              className="wf-association wf-data-association"
              d={`M ${link.points.map((p) => `${p.x} ${p.y}`).join(' L ')}`}
              markerEnd="url(#wf-association-arrow)"
            />
          )),
        )}
        {drawn.documents.map((document) => (
          <path key={document.id} className="wf-document-shape" d={documentPath(document)} />
        ))}
        {drawn.documents.flatMap((document) =>
          document.io
            ? [
                <path
                  key={`${document.id}:io`}
                  className={`wf-document-io wf-document-${document.io}`}
                  d={ioArrowPath(document)}
                />,
              ]
            : [],
        )}
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
      {drawn.documents.map((document) => (
        <div
          key={document.id}
          role="img"
          aria-label={documentName(document)}
          className="wf-document"
          style={{ left: document.x, top: document.y, width: document.width, height: document.height }}
        >
          <span className="wf-document-label" aria-hidden="true">
            {document.label}
          </span>
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

/** How deep a page's folded corner is, and a store's rim. */
const CORNER = 10;
const RIM = 8;

/** A document's outline: a page with its top-right corner folded, or a store's cylinder. */
function documentPath(document: DrawnDocument): string {
  const { x, y, width: w, height: h } = document;
  if (document.kind === 'object')
    return `M ${x} ${y} H ${x + w - CORNER} L ${x + w} ${y + CORNER} V ${y + h} H ${x} Z M ${x + w - CORNER} ${y} V ${y + CORNER} H ${x + w}`;
  const rx = w / 2;
  return `M ${x} ${y + RIM / 2} A ${rx} ${RIM / 2} 0 0 1 ${x + w} ${y + RIM / 2} V ${y + h - RIM / 2} A ${rx} ${RIM / 2} 0 0 1 ${x} ${y + h - RIM / 2} Z M ${x} ${y + RIM / 2} A ${rx} ${RIM / 2} 0 0 0 ${x + w} ${y + RIM / 2} M ${x} ${y + RIM * 1.5} A ${rx} ${RIM / 2} 0 0 0 ${x + w} ${y + RIM * 1.5}`;
}

/**
 * The arrow at the top left of a document the case arrives with (hollow) or leaves with (filled),
 * as bpmn-js draws a process's data input and output.
 */
function ioArrowPath({ x, y }: DrawnDocument): string {
  return `M ${x + 5} ${y + 9} h 9 v -3 l 5 5 l -5 5 v -3 h -9 Z`;
}

/** What a document is called on the canvas, by what it is. */
const DOCUMENT_WORDS = {
  object: 'Document',
  store: 'Store',
  input: 'Incoming document',
  output: 'Outgoing document',
};

/** A document's accessible name: what it is, its name, who reads it and who writes it. */
function documentName(document: DrawnDocument): string {
  const who = (reads: boolean) =>
    document.links
      .filter((link) => link.reads === reads)
      .map((link) => link.stepLabel)
      .join(', ');
  const read = who(true);
  const written = who(false);
  return `${DOCUMENT_WORDS[document.io ?? document.kind]}: ${document.label}${read ? `, read by ${read}` : ''}${
    written ? `, written by ${written}` : ''
  }`;
}
