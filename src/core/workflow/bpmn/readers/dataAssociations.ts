/**
 * Data associations: what an activity reads (a data input association from a data object or
 * store, or a data input of the process) and writes (a data output association to one). A step
 * inside a collapsed sub-process has its associations on the sub-process, with
 * `preflight:dataLink` naming the step.
 */

import { type El, extensionOf, type PfDataLink } from '../model.ts';
import type { ImportContext } from './context.ts';

/** What a process's data input or output is to a case: what it arrives with, what it leaves with. */
export const PROCESS_IO: Record<string, 'input' | 'output' | undefined> = {
  'bpmn:DataInput': 'input',
  'bpmn:DataOutput': 'output',
};

/** Whether an element is a data input or output of a process (not of an activity). */
function isProcessIo(element: El | undefined): boolean {
  return (
    element !== undefined &&
    PROCESS_IO[element.$type] !== undefined &&
    element.$parent?.$type === 'bpmn:InputOutputSpecification' &&
    element.$parent.$parent?.$type === 'bpmn:Process'
  );
}

/**
 * What an activity reads (data input associations from a data object or store) and writes
 * (data output associations to one); an association with anything else (a data input of the
 * process, a property) is listed.
 */
export function readDataAssociations(ctx: ImportContext, element: El): void {
  const isData = (end: El | undefined): end is El =>
    end?.$type === 'bpmn:DataObjectReference' || end?.$type === 'bpmn:DataStoreReference' || isProcessIo(end);
  const ends = (ref: El | El[] | undefined): El[] => (Array.isArray(ref) ? ref : ref ? [ref] : []);
  const linkOf = (association: El) => {
    const inner = extensionOf<PfDataLink>(association, 'preflight:DataLink')?.step;
    return { step: element, association, ...(inner !== undefined ? { inner } : {}) };
  };
  let lost = 0;
  let lostPath: string | undefined;
  for (const association of element.dataInputAssociations ?? []) {
    // moddle reads a data input association's sources as a list (BPMN allows several)
    const sources = ends(association.sourceRef as El | El[] | undefined).filter(isData);
    if (sources.length === 0) {
      lost++;
      lostPath ??= ctx.pathOf(association);
    }
    for (const data of sources) ctx.dataLinks.push({ ...linkOf(association), data, direction: 'readBy' });
  }
  for (const association of element.dataOutputAssociations ?? []) {
    const target = association.targetRef;
    if (isData(target)) ctx.dataLinks.push({ ...linkOf(association), data: target, direction: 'writtenBy' });
    else {
      lost++;
      lostPath ??= ctx.pathOf(association);
    }
  }
  if (lost > 0) {
    ctx.drop(
      element,
      `${lost} data association${lost === 1 ? '' : 's'} with no data object or store at its end`,
      'Preflight keeps what a step reads from and writes to data objects and stores',
      lostPath,
    );
  }
}

/**
 * The step element a data association is for: the activity that carries it, or the step inside
 * it that its `preflight:dataLink` names (Preflight writes an association of a step inside a
 * collapsed sub-process on the sub-process). A name that is no step inside it is warned about.
 */
export function dataLinkStep(ctx: ImportContext, link: { step: El; inner?: string; association: El }): El {
  if (link.inner === undefined) return link.step;
  const inner = [...ctx.stepOf.keys()].find((element) => element.id === link.inner);
  for (let cursor = inner?.$parent, depth = 0; cursor && depth < 1_000; cursor = cursor.$parent, depth++) {
    if (cursor === link.step) return inner as El;
  }
  ctx.warnExtension(
    link.association,
    `preflight:dataLink step is not a step inside "${link.step.id ?? '?'}"; the association is kept on it`,
  );
  return link.step;
}
