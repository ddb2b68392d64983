/**
 * A process's data inputs and outputs (what a case arrives and leaves with, in the process's
 * input/output specification) survive import → export → import, on the MIWG models that draw
 * them (C.6.0: a travel request in, an itinerary out; C.7.0: an advertisement out; C.8.0: three
 * inputs and two outputs of a vacation request): each input and output by its id, type and name,
 * in its process's input/output specification and drawn; every data association between a
 * document (a data object or store reference, or such an input or output) and an activity, by its
 * two ends, with an edge from the one shape to the other; and the workflow's documents read back
 * the same.
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import type { DiBounds, El } from './model.ts';
import { type Parsed, parse } from './testing/diagramChecks.ts';

const DATA = /^bpmn:(DataObjectReference|DataStoreReference|DataInput|DataOutput)$/;

/** Whether an element is one of a process's own data inputs or outputs. */
const ofProcess = (e: El) =>
  /^bpmn:Data(Input|Output)$/.test(e.$type) && e.$parent?.$parent?.$type === 'bpmn:Process';

/** Each data input and output of a process, as "type id name", sorted. */
function processData(parsed: Parsed): string[] {
  return Object.values(parsed.byId)
    .filter(ofProcess)
    .map((e) => `${e.$type} ${e.id ?? '?'} ${e.name ?? ''}`)
    .sort();
}

/** Each data association between a document and an activity, with its ends and the association. */
function associations(parsed: Parsed): { line: string; id: string; data: El; activity: El }[] {
  const isData = (e: El | undefined): e is El =>
    e !== undefined && DATA.test(e.$type) && (!/Input|Output/.test(e.$type) || ofProcess(e));
  return Object.values(parsed.byId).flatMap((e) => {
    const activity = e.$parent;
    if (!activity || !e.id) return [];
    if (e.$type === 'bpmn:DataInputAssociation')
      return [e.sourceRef as El | El[] | undefined]
        .flat()
        .filter(isData)
        .map((data) => ({ line: `reads ${data.id} ${activity.id}`, id: e.id as string, data, activity }));
    if (e.$type === 'bpmn:DataOutputAssociation' && isData(e.targetRef))
      return [{ line: `writes ${e.targetRef.id} ${activity.id}`, id: e.id, data: e.targetRef, activity }];
    return [];
  });
}

/** Whether a point lies on or in a shape (a route starts and ends on its shapes' borders). */
const touches = (point: { x: number; y: number } | undefined, box: DiBounds | undefined) =>
  point !== undefined &&
  box !== undefined &&
  point.x >= box.x - 1 &&
  point.x <= box.x + box.width + 1 &&
  point.y >= box.y - 1 &&
  point.y <= box.y + box.height + 1;

/** Each document without its place (the export moves a drawing into its lane's band once). */
function documents(workflow: Workflow | undefined) {
  return (workflow?.dataObjects ?? []).map(({ position: _, ...data }) => data);
}

describe.each(['C.6.0.bpmn', 'C.7.0.bpmn', 'C.8.0.bpmn'])(
  '%s: data inputs and outputs of the process',
  (name) => {
    it('keeps each input, output and data association, drawn, through import → export → import', async () => {
      const decoded = decodeXmlBytes(bpmnModelBytes(name));
      if (!decoded.ok) throw new Error(decoded.message);
      const source = await parse(decoded.text);
      const imported = await importBpmn(decoded.text);
      const workflow = imported.workflow;
      if (!workflow) throw new Error(`${name}: no workflow`);
      expect(processData(source).length).toBeGreaterThan(0);

      const exported = await parse(await exportBpmn(workflow));
      expect(processData(exported)).toEqual(processData(source));
      const lines = (parsed: Parsed) =>
        associations(parsed)
          .map((a) => a.line)
          .sort();
      expect(lines(exported)).toEqual(lines(source));
      const own = new Set(
        Object.values(source.byId)
          .filter(ofProcess)
          .map((e) => e.id),
      );
      expect(associations(source).filter((a) => own.has(a.data.id)).length).toBeGreaterThan(0);
      // every association drawn on a page that shows both its ends, from the one to the other
      for (const { id, data, activity } of associations(exported)) {
        const page = exported.pages.find((p) => p.routes.has(id));
        const route = page?.routes.get(id) ?? [];
        const box = (e: El) => page?.shapes.find((s) => s.element === e)?.bounds;
        const reads = exported.byId[id]?.$type === 'bpmn:DataInputAssociation';
        const [from, to] = reads ? [box(data), box(activity)] : [box(activity), box(data)];
        expect(touches(route[0], from) && touches(route.at(-1), to), `${id} drawn between its ends`).toBe(
          true,
        );
      }

      const again = await importBpmn(await exportBpmn(workflow));
      expect(again.notCarriedOver.length).toBeLessThanOrEqual(imported.notCarriedOver.length);
      expect(documents(again.workflow)).toEqual(documents(workflow));
    });
  },
);
