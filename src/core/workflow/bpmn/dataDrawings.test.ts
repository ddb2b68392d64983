/**
 * Documents drawn more than once keep every drawing through the round trip, on the two MIWG models
 * that draw them so (C.4.0: one data store drawn in four pools' processes; C.5.0: an ID document
 * and customer data each drawn three times, named by their state, and a store drawn twice): every
 * data store and data object reference of the file, by its id, and every data association between
 * a reference and an activity, by its two ends, is in the export with a shape of its own, and is
 * read back the same (import → export → import).
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import type { El } from './model.ts';
import { parse } from './testing/diagramChecks.ts';

const REFERENCE = /^bpmn:(DataObjectReference|DataStoreReference)$/;

/** Each reference as "type id", sorted. */
function references(byId: Record<string, El>): string[] {
  return Object.values(byId)
    .filter((e) => REFERENCE.test(e.$type))
    .map((e) => `${e.$type} ${e.id ?? '?'}`)
    .sort();
}

/** Each association between a reference and an activity, as "reads|writes reference activity", sorted. */
function associations(byId: Record<string, El>): string[] {
  const isReference = (e: El | undefined): e is El => e !== undefined && REFERENCE.test(e.$type);
  return Object.values(byId)
    .flatMap((e) => {
      if (e.$type === 'bpmn:DataInputAssociation')
        return [e.sourceRef as El | El[] | undefined]
          .flat()
          .filter(isReference)
          .map((ref) => `reads ${ref.id} ${e.$parent?.id ?? '?'}`);
      if (e.$type === 'bpmn:DataOutputAssociation' && isReference(e.targetRef))
        return [`writes ${e.targetRef.id} ${e.$parent?.id ?? '?'}`];
      return [];
    })
    .sort();
}

/** Each document's id and its drawings' ids, with their links: what the round trip must keep. */
function documents(workflow: Workflow | undefined) {
  return (workflow?.dataObjects ?? []).map(({ position: _, drawings, ...data }) => ({
    ...data,
    drawings: (drawings ?? []).map(({ position: _at, ...drawing }) => drawing),
  }));
}

describe.each(['C.4.0.bpmn', 'C.5.0.bpmn'])('%s: documents drawn more than once', (name) => {
  it('keeps every reference and data association, drawn, through import → export → import', async () => {
    const decoded = decodeXmlBytes(bpmnModelBytes(name));
    if (!decoded.ok) throw new Error(decoded.message);
    const source = await parse(decoded.text);
    const imported = await importBpmn(decoded.text);
    const workflow = imported.workflow;
    if (!workflow) throw new Error(`${name}: no workflow`);
    expect(imported.notCarriedOver.filter((n) => REFERENCE.test(n.elementType))).toEqual([]);

    const exported = await parse(await exportBpmn(workflow));
    expect(references(exported.byId)).toEqual(references(source.byId));
    expect(associations(exported.byId)).toEqual(associations(source.byId));
    // each reference has its shape, on the page that shows the steps joined to it
    const drawn = exported.pages.flatMap((page) => page.shapes.map((shape) => shape.element.id));
    for (const line of references(exported.byId)) {
      const id = line.split(' ')[1];
      expect(
        drawn.filter((shapeId) => shapeId === id),
        `${id} drawn once`,
      ).toHaveLength(1);
    }

    const again = (await importBpmn(await exportBpmn(workflow))).workflow;
    expect(documents(again)).toEqual(documents(workflow));
    // after the export's one move into the lanes' bands, each drawing keeps its place
    const twice = again && (await importBpmn(await exportBpmn(again))).workflow;
    expect(twice?.dataObjects).toEqual(again?.dataObjects);
  });
});
