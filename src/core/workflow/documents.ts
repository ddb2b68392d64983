/**
 * The drawings of a workflow's documents: a document (a data object or store) may be drawn more
 * than once, each drawing joined to some of its readers and writers (`DataObject.drawings`). The
 * BPMN export writes a reference per drawing and the editor's canvas draws each; both read them
 * from here.
 */
import type { DataObject } from '../../formats/workflow.ts';

/**
 * Whether a document is a data input (`input`) or output (`output`) of the process, what a case
 * arrives or leaves with: its `io`, for a document (not a store) drawn once on the process's page.
 * The BPMN export writes such a document in the process's input/output specification, and the
 * canvas draws it with an arrow, as bpmn-js does; any other is a plain document.
 */
export function processDataOf(document: DataObject): 'input' | 'output' | undefined {
  if (document.kind !== 'object' || document.within !== undefined) return undefined;
  return (document.drawings ?? []).length === 0 ? document.io : undefined;
}

/**
 * Each drawing of a document as a document of its own, with the document it draws: its first
 * drawing (the document's id, name, place and sub-process) joined to the steps no further drawing
 * is drawn joined to, each further drawing (see `DataDrawing`) to the document's steps it names.
 */
export function documentDrawings(document: DataObject): { data: DataObject; document: DataObject }[] {
  const { drawings = [], ...first } = document;
  if (drawings.length === 0) return [{ data: first, document }];
  const links = (list: 'readBy' | 'writtenBy', named: readonly string[] | undefined) =>
    (named ?? []).filter((id) => document[list]?.includes(id));
  const claimed = (list: 'readBy' | 'writtenBy') =>
    new Set(drawings.flatMap((drawing) => links(list, drawing[list])));
  const linked = (readBy: string[], writtenBy: string[]) => ({
    ...(readBy.length > 0 ? { readBy } : {}),
    ...(writtenBy.length > 0 ? { writtenBy } : {}),
  });
  const taken = { readBy: claimed('readBy'), writtenBy: claimed('writtenBy') };
  const { readBy: _r, writtenBy: _w, ...place } = first;
  return [
    {
      data: {
        ...place,
        ...linked(
          (document.readBy ?? []).filter((id) => !taken.readBy.has(id)),
          (document.writtenBy ?? []).filter((id) => !taken.writtenBy.has(id)),
        ),
      },
      document,
    },
    ...drawings.map((drawing) => ({
      data: {
        id: drawing.id,
        label: drawing.label ?? document.label,
        kind: document.kind,
        ...linked(links('readBy', drawing.readBy), links('writtenBy', drawing.writtenBy)),
        ...(drawing.within !== undefined ? { within: drawing.within } : {}),
        ...(drawing.position ? { position: drawing.position } : {}),
      },
      document,
    })),
  ];
}
