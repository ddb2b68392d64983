/**
 * Data objects: each data object or data store reference, and each data input or output of a
 * process, is read where the walk meets it; once the steps are known, the references that stand
 * for one document are joined into one data object of the workflow, with the steps that read and
 * write it (dataAssociations.ts, and plain associations read by artifacts.ts).
 */

import type { DataDrawing, DataObject } from '../../../../formats/workflow.ts';
import { type El, extensionOf, type PfDataReference } from '../model.ts';
import type { DataRef, ImportContext } from './context.ts';
import { dataLinkStep, PROCESS_IO } from './dataAssociations.ts';

/**
 * A data object or data store reference, or a data input or output of a process: a data object
 * of the workflow (the last with `io`).
 */
export function addDataRef(ctx: ImportContext, element: El, container: El | undefined): void {
  const store = element.$type === 'bpmn:DataStoreReference';
  const io = PROCESS_IO[element.$type];
  const named =
    element.name?.trim() || element.dataObjectRef?.name?.trim() || element.dataStoreRef?.name?.trim();
  let id = element.id ?? (store ? 'DataStore' : 'DataObject');
  for (let n = 2, base = id; ctx.dataRefs.some((ref) => ref.data.id === id); n++) id = `${base}-${n}`;
  const data: DataObject = {
    id,
    label: named || (io ? `Data ${io}` : store ? 'Data store' : 'Data object'),
    kind: store ? 'store' : 'object',
    ...(io ? { io } : {}),
  };
  const shape = element.id ? ctx.shapes.get(element.id) : undefined;
  if (shape) data.position = ctx.positionOf(shape.bounds);
  ctx.dataRefs.push({ element, data, ...(container ? { container } : {}) });
}

/**
 * The references that stand for one document: those sharing a data object (or data store), as
 * other tools draw a document again where it is used, and one Preflight marks with
 * `preflight:dataReference` `of` joined to the reference it names. The document is its first
 * reference that is not such a mark (its id, name, place and sub-process); the others that are
 * not marks are its further drawings; a mark (which Preflight's export draws again) stands for
 * the reference it names, and its links are that reference's (`ownerOf`).
 */
function dataDocuments(
  ctx: ImportContext,
): { document: DataRef; drawings: DataRef[]; members: El[]; ownerOf: Map<El, El> }[] {
  const refs = ctx.dataRefs;
  const parent = refs.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    parent[index] = root;
    return root;
  };
  const join = (a: number, b: number): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const indexOf = new Map(refs.map((ref, index) => [ref.element, index]));
  const firstOfSource = new Map<El, number>();
  const markOf = new Map<number, number>();
  refs.forEach(({ element }, index) => {
    const source = element.dataObjectRef ?? element.dataStoreRef;
    if (source) {
      const first = firstOfSource.get(source);
      if (first === undefined) firstOfSource.set(source, index);
      else join(first, index);
    }
    const mark = extensionOf<PfDataReference>(element, 'preflight:DataReference');
    if (!mark) return;
    const named = mark.of !== undefined ? ctx.byId[mark.of] : undefined;
    const other = named ? indexOf.get(named) : undefined;
    if (other === undefined || other === index) {
      ctx.warnExtension(
        element,
        'preflight:dataReference of names no other data object or store reference; read as a reference of its own',
      );
      return;
    }
    markOf.set(index, other);
    join(index, other);
  });
  const groups = new Map<number, number[]>();
  refs.forEach((_, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), index]);
  });
  return [...groups.values()]
    .map((indices) => {
      const first = indices.find((index) => !markOf.has(index)) ?? (indices[0] as number);
      const drawn = indices.filter((index) => index === first || !markOf.has(index));
      const ownerOf = new Map<El, El>();
      for (const index of indices) {
        // a mark names the reference it stands for (a mark of a mark: the one that one names)
        let owner = index;
        for (let depth = 0; markOf.has(owner) && depth < indices.length; depth++)
          owner = markOf.get(owner) as number;
        if (!drawn.includes(owner)) owner = first;
        ownerOf.set(refs[index]?.element as El, refs[owner]?.element as El);
      }
      return { first, drawn, ownerOf, members: indices.map((index) => refs[index]?.element as El) };
    })
    .sort((a, b) => a.first - b.first)
    .map(({ first, drawn, ownerOf, members }) => ({
      document: refs[first] as DataRef,
      drawings: drawn.filter((index) => index !== first).map((index) => refs[index] as DataRef),
      members,
      ownerOf,
    }));
}

/**
 * The data objects with the steps that read and write them, in the format's field order; a
 * document drawn more than once keeps each further drawing with its own id, name, place,
 * sub-process and the links drawn to it (`drawings`), its links also the document's.
 */
export function dataObjectsOf(ctx: ImportContext): DataObject[] {
  const documents = dataDocuments(ctx);
  const byElement = new Map<El, { document: DataObject; drawing: DataObject }>();
  for (const { document, drawings, ownerOf } of documents) {
    const drawingOf = new Map([document, ...drawings].map((ref) => [ref.element, ref.data]));
    for (const [member, owner] of ownerOf) {
      byElement.set(member, { document: document.data, drawing: drawingOf.get(owner) ?? document.data });
    }
  }
  const link = (data: DataObject, direction: 'readBy' | 'writtenBy', step: string) => {
    const list = data[direction] ?? [];
    if (!list.includes(step)) list.push(step);
    data[direction] = list;
  };
  for (const dataLink of ctx.dataLinks) {
    const at = byElement.get(dataLink.data);
    const step = ctx.stepOf.get(dataLinkStep(ctx, dataLink))?.step.id;
    if (!at || step === undefined) continue;
    link(at.document, dataLink.direction, step);
    if (at.drawing !== at.document) link(at.drawing, dataLink.direction, step);
  }
  const withinOf = (container: El | undefined) =>
    container ? ctx.stepOf.get(container)?.step.id : undefined;
  return documents.map(({ document: { data, container, element }, drawings, members }) => {
    const within = withinOf(container);
    const { id, kind, io, readBy, writtenBy, position } = data;
    // a document drawn more than once (other tools name each drawing by the document's state,
    // "ID document [scanned]") is named by the data object or store the drawings share, else
    // by its first named drawing
    const shared = (element.dataObjectRef ?? element.dataStoreRef)?.name?.trim();
    const label =
      members.length === 1
        ? data.label
        : shared || members.map((member) => member.name?.trim()).find((name) => name) || data.label;
    const drawn: DataDrawing[] = drawings.map((drawing) => {
      const own = drawing.element.name?.trim();
      const inside = withinOf(drawing.container);
      const { readBy: reads, writtenBy: writes, position: at } = drawing.data;
      return {
        id: drawing.data.id,
        ...(own && own !== label ? { label: own } : {}),
        ...(reads ? { readBy: reads } : {}),
        ...(writes ? { writtenBy: writes } : {}),
        ...(inside !== undefined ? { within: inside } : {}),
        ...(at ? { position: at } : {}),
      };
    });
    return {
      id,
      label,
      kind,
      ...(io ? { io } : {}),
      ...(readBy ? { readBy } : {}),
      ...(writtenBy ? { writtenBy } : {}),
      ...(within !== undefined ? { within } : {}),
      ...(position ? { position } : {}),
      ...(drawn.length > 0 ? { drawings: drawn } : {}),
    };
  });
}
