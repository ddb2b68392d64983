/**
 * `preflight.workflow/v1` → BPMN 2.0 XML that bpmn.io and Camunda Modeler open laid out.
 *
 * One pool (participant, named after the workflow) holds one process whose laneSet has a lane per
 * workflow lane; with `pools`, each pool is a participant with its own process (see README.md),
 * message flows join steps and pools, and data objects are references with their associations.
 * Steps become the element they were imported as, or else the one their kind and medium give
 * (elements.ts); sub-processes hold their inner steps and boundary events sit on their activities
 * (structure.ts). Every Preflight attribute rides in `preflight:` extension elements (namespace
 * {@link PREFLIGHT_BPMN_NS}), which other tools keep untouched; notes are the BPMN documentation.
 *
 * The export is a walk over per-element writers (writers/index.ts), as bpmn-js's renderer
 * handlers are: each writes one kind of element, then its diagram interchange.
 *
 * Ids: BPMN ids must be XML names, unique across the file. A workflow id that is not one (or is
 * taken, e.g. a lane and a step both called "nurse") is rewritten, and the original is kept in
 * the extension's `id`, which import prefers, so the round trip returns the same ids.
 */

import type { Step, Workflow } from '../../../formats/workflow.ts';
import { documentDrawings } from '../documents.ts';
import { elementOf } from './elements.ts';
import { PREFLIGHT_BPMN_NS } from './model.ts';
import { BPMN_WRITERS, createExportContext, qualified } from './writers/index.ts';
import { VENDOR_NAMESPACES } from './writers/stepDetails.ts';

export {
  boundarySide,
  boundaryWaypoints,
  edgeWaypoints,
  messageWaypoints,
  poolGroups,
  routedWaypoints,
} from './writers/index.ts';
export { documentDrawings, PREFLIGHT_BPMN_NS };

/** The BPMN element type of a step standing alone (see elements.ts), e.g. `bpmn:UserTask`. */
export function bpmnTypeOf(step: Step): string {
  return qualified(elementOf(step));
}

/**
 * Writes a workflow as BPMN 2.0 XML with diagram interchange (shapes for the pool, lanes and
 * steps; edges with waypoints). The workflow should be valid (`loadWorkflow`); flows whose ends
 * are not steps are left out, since BPMN cannot express them.
 *
 * Steps inside a sub-process (`within`) are the sub-process's flow elements, drawn on its own
 * page with the sub-process collapsed on the page it is on; the flow from a sub-process to its
 * inner first steps is implied by BPMN and not written, and a flow from an inner step to a step
 * outside leaves from the sub-process. A boundary step attached to an activity (structure.ts) is
 * a `boundaryEvent` on the activity's border; its exception path's chance and transfer ride in
 * a `preflight:flow` on the event. A flow from a link throw event to a link catch event is the
 * pair's shared link name, not a sequence flow.
 */
export async function exportBpmn(workflow: Workflow): Promise<string> {
  const ctx = createExportContext(workflow);
  for (const writer of BPMN_WRITERS) writer.write(ctx);
  if (ctx.definitions === undefined) throw new Error('BPMN export: no writer wrote the definitions');
  // the other tools' namespaces the steps' performers are written in (stepDetails.ts)
  for (const prefix of ctx.namespaces) ctx.definitions.$attrs[`xmlns:${prefix}`] = VENDOR_NAMESPACES[prefix];
  const { xml } = await ctx.moddle.toXML(ctx.definitions, { format: true });
  return xml;
}
