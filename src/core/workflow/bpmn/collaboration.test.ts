/**
 * Pools, message flows and data objects travel through BPMN: several pools each with its own
 * process (a party seen from outside without one), message flows in the collaboration, data
 * object and store references with their associations, all drawn (DI) with no two shapes or
 * pools overlapping, and read back as the same workflow. The analysis never follows a message.
 */
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Workflow } from '../../../formats/workflow.ts';
import { computeMetrics } from '../metrics.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn } from './importBpmn.ts';
import { bpmnModdle, type DiBounds, type El } from './model.ts';
import {
  documentsAcross,
  documentsIntoSubProcess,
  labInside,
  referral,
  step,
} from './testing/collaborationSamples.ts';
import {
  dataAssociationsOffPage,
  messagesWithinOnePool,
  overlappingPairs,
  parse as parsePages,
  undrawnConnections,
} from './testing/diagramChecks.ts';

async function parse(
  xml: string,
): Promise<{ byId: Record<string, El>; shapes: Map<string, DiBounds>; edges: Set<string> }> {
  const { rootElement, elementsById } = await bpmnModdle().fromXML(xml);
  const shapes = new Map<string, DiBounds>();
  const edges = new Set<string>();
  for (const diagram of (rootElement as El).diagrams ?? []) {
    for (const item of diagram.plane?.planeElement ?? []) {
      const id = item.bpmnElement?.id ?? '';
      if (item.$type === 'bpmndi:BPMNShape' && item.bounds) shapes.set(id, item.bounds);
      if (item.$type === 'bpmndi:BPMNEdge') edges.add(id);
    }
  }
  return { byId: elementsById as Record<string, El>, shapes, edges };
}

const overlap = (a: DiBounds, b: DiBounds): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('pools, message flows and data objects in BPMN', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(referral).ok).toBe(true);
  });

  it('writes a pool per party, its process, message flows and data objects, all drawn', async () => {
    const { byId, shapes, edges } = await parse(await exportBpmn(referral));
    const participants = Object.values(byId).filter((e) => e.$type === 'bpmn:Participant');
    expect(participants.map((p) => p.name)).toEqual(['Clinic', 'Reference lab', 'Patient']);
    // the patient is seen from outside: a pool without a process
    expect(byId.patient?.processRef).toBeUndefined();
    expect(byId.clinic?.processRef?.flowElements?.some((e) => e.id === 'order')).toBe(true);
    expect(byId.lab?.processRef?.flowElements?.some((e) => e.id === 'analyse')).toBe(true);
    for (const id of ['send-order', 'send-result', 'tell-patient']) {
      expect(byId[id]?.$type).toBe('bpmn:MessageFlow');
      expect(edges.has(id), `${id} drawn`).toBe(true);
    }
    expect(byId['order-form']?.$type).toBe('bpmn:DataObjectReference');
    expect(byId.ehr?.$type).toBe('bpmn:DataStoreReference');
    expect(byId.order?.dataOutputAssociations?.map((a) => a.targetRef?.id)).toEqual(['order-form']);
    const associations = [
      ...(byId.analyse?.dataInputAssociations ?? []),
      ...(byId.review?.dataInputAssociations ?? []),
      ...(byId.order?.dataOutputAssociations ?? []),
    ];
    expect(associations).toHaveLength(3);
    for (const association of associations) expect(edges.has(association.id ?? '')).toBe(true);

    // no two shapes overlap: steps and data objects, and pools with each other
    const nodes = [...shapes].filter(
      ([id]) => byId[id]?.$type !== 'bpmn:Lane' && byId[id]?.$type !== 'bpmn:Participant',
    );
    const pools = [...shapes].filter(([id]) => byId[id]?.$type === 'bpmn:Participant');
    for (const list of [nodes, pools]) {
      for (const [i, [a, ra]] of list.entries()) {
        for (const [b, rb] of list.slice(i + 1)) expect(overlap(ra, rb), `${a} × ${b}`).toBe(false);
      }
    }
    // each pool holds its lanes' steps
    const inside = (inner: DiBounds, outer: DiBounds) =>
      inner.x >= outer.x &&
      inner.y >= outer.y &&
      inner.x + inner.width <= outer.x + outer.width &&
      inner.y + inner.height <= outer.y + outer.height;
    expect(inside(shapes.get('analyse') as DiBounds, shapes.get('lab') as DiBounds)).toBe(true);
    expect(inside(shapes.get('order') as DiBounds, shapes.get('clinic') as DiBounds)).toBe(true);
  });

  it('reads its own export back as the same workflow, and again with the same positions', async () => {
    const once = await importBpmn(await exportBpmn(referral));
    expect(once.problems).toEqual([]);
    expect(once.notCarriedOver).toEqual([]);
    const workflow = once.workflow as Workflow;
    expect(workflow.pools).toEqual(referral.pools);
    expect(workflow.lanes).toEqual(referral.lanes);
    expect(workflow.messageFlows).toEqual(referral.messageFlows);
    expect(workflow.dataObjects?.map(({ position: _, ...data }) => data)).toEqual(referral.dataObjects);
    expect(workflow.flows).toEqual(referral.flows);
    expect(workflow.name).toBe(referral.name);
    expect(workflow.id).toBe(referral.id);
    const twice = await importBpmn(await exportBpmn(workflow));
    expect(twice.workflow).toEqual(workflow);
  });

  it('never counts a message as a handoff or follows it as a path', () => {
    // the lab's pool is opened by the clinic's order: its work is the case's, its time is not
    const clinicOnly: Workflow = {
      ...referral,
      messageFlows: [],
      dataObjects: [],
      steps: referral.steps.filter((s) => s.lane !== 'lab'),
      flows: referral.flows.filter((f) => !f.from.startsWith('lab-') && f.from !== 'analyse'),
    };
    const withMessages = computeMetrics(referral);
    const clinic = computeMetrics(clinicOnly);
    if (!withMessages.ok || !clinic.ok) throw new Error('metrics refused');
    expect(withMessages.metrics.cycleMin).toBeCloseTo(clinic.metrics.cycleMin, 9);
    expect(withMessages.metrics.criticalPath).toEqual(clinic.metrics.criticalPath);
    // the lab's one lane adds no handoff; the clinic's desk → physician → desk are its two
    expect(withMessages.metrics.handoffs).toBe(clinic.metrics.handoffs);
    expect(withMessages.metrics.handoffs).toBe(2);
    const visits = new Map(withMessages.metrics.steps.map((s) => [s.stepId, s.visits]));
    expect(visits.get('analyse')).toBe(1);
    expect(withMessages.metrics.touchMin).toBeCloseTo(
      clinic.metrics.touchMin +
        referral.steps.filter((s) => s.lane === 'lab').reduce((sum, s) => sum + s.touchMin, 0),
      9,
    );
  });

  it('refuses message flows and data objects that name no step or pool', () => {
    const broken: Workflow = {
      ...referral,
      messageFlows: [{ from: 'nowhere', to: 'order' }],
      dataObjects: [{ id: 'x', label: 'X', kind: 'object', readBy: ['ghost'] }],
      lanes: referral.lanes.map((lane) => (lane.id === 'md' ? { ...lane, pool: 'no-pool' } : lane)),
    };
    const loaded = loadWorkflow(broken);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems.map((p) => p.path).sort()).toEqual(
      ['/dataObjects/0/readBy/0', '/lanes/1/pool', '/messageFlows/0/from'].sort(),
    );
  });
});

describe('a message to a step inside a sub-process', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(labInside).ok).toBe(true);
  });

  it('connects the collapsed sub-process, names the inner step in its extension, through a round trip', async () => {
    const first = await exportBpmn(labInside);
    const again = await importBpmn(first);
    expect(again.problems).toEqual([]);
    expect(again.workflow?.messageFlows).toEqual(labInside.messageFlows);
    for (const xml of [first, await exportBpmn(again.workflow as Workflow)]) {
      const parsed = await parsePages(xml);
      const [main, inner] = parsed.pages;
      expect(inner?.owner).toBe('lab-work');
      const box = main?.shapes.find((s) => s.element.id === 'lab-work')?.bounds as DiBounds;
      const touches = (p: { x: number; y: number }) =>
        p.x >= box.x && p.x <= box.x + box.width && (p.y === box.y || p.y === box.y + box.height);
      for (const [id, inside, end] of [
        ['send-order', 'receive', 'targetRef'],
        ['send-result', 'analyse', 'sourceRef'],
      ] as const) {
        const message = parsed.byId[id];
        expect(message?.$type).toBe('bpmn:MessageFlow');
        // a renderer connects what is drawn on the collaboration's page: the sub-process
        expect(message?.[end]?.id, `${id} connects the sub-process`).toBe('lab-work');
        const named = message?.extensionElements?.values?.find((v) => v.$type === 'preflight:Message') as
          | { from?: string; to?: string }
          | undefined;
        expect(named?.[end === 'targetRef' ? 'to' : 'from'], `${id} names the inner step`).toBe(inside);
        // one edge, on the collaboration's page, its end on the collapsed sub-process's border
        expect(parsed.pages.filter((page) => page.edges.has(id))).toEqual([main]);
        const route = main?.routes.get(id) ?? [];
        expect(route.length).toBeGreaterThanOrEqual(2);
        const dock = end === 'targetRef' ? route[route.length - 1] : route[0];
        expect(dock && touches(dock), `${id} docks on the sub-process`).toBe(true);
      }
      expect(overlappingPairs(parsed)).toEqual([]);
    }
  });
});

describe('a document used inside a sub-process and outside it', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(documentsAcross).ok).toBe(true);
  });

  it('draws the sheet again on the main page for the physician, one document through a round trip', async () => {
    const first = await exportBpmn(documentsAcross);
    const again = await importBpmn(first);
    expect(again.problems).toEqual([]);
    expect(again.notCarriedOver).toEqual([]);
    expect(again.workflow?.dataObjects?.map(({ position: _, ...data }) => data)).toEqual(
      documentsAcross.dataObjects,
    );
    const second = await exportBpmn(again.workflow as Workflow);
    expect(second).toBe(first);
    const parsed = await parsePages(first);
    // every association's two ends are drawn on the page its edge is on
    expect(dataAssociationsOffPage(parsed)).toEqual([]);
    expect(undrawnConnections(parsed)).toEqual([]);
    expect(overlappingPairs(parsed)).toEqual([]);
    const [main, inner] = parsed.pages;
    expect(inner?.owner).toBe('lab-work');
    const box = main?.shapes.find((s) => s.element.id === 'lab-work')?.bounds as DiBounds;
    const onBox = (p: { x: number; y: number } | undefined, b: DiBounds | undefined) =>
      !!p && !!b && p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;
    // the clinic's form is read inside the sub-process: the sub-process carries the association
    const reads = parsed.byId['lab-work']?.dataInputAssociations?.[0]?.id ?? '';
    const writes = parsed.byId.analyse?.dataOutputAssociations?.[0]?.id ?? '';
    const readBack = parsed.byId.review?.dataInputAssociations?.[0];
    expect(parsed.pages.filter((page) => page.edges.has(reads))).toEqual([main]);
    expect(onBox(main?.routes.get(reads)?.at(-1), box)).toBe(true);
    // the inner step writes the sheet beside it: drawn on the sub-process's page
    expect(parsed.pages.filter((page) => page.edges.has(writes))).toEqual([inner]);
    // the physician reads the sheet's second reference, drawn on the main page beside the
    // sub-process, marked as the sheet drawn again, to the same data object
    const sheet = parsed.byId['lab-sheet'];
    const copy = [readBack?.sourceRef as El | El[] | undefined].flat()[0];
    expect(copy?.$type).toBe('bpmn:DataObjectReference');
    expect(copy?.id).not.toBe('lab-sheet');
    expect(copy?.dataObjectRef).toBe(sheet?.dataObjectRef);
    expect(copy?.extensionElements?.values).toEqual([
      expect.objectContaining({ $type: 'preflight:DataReference', of: 'lab-sheet' }),
    ]);
    // the sheet inside, the copy in the lab's process, the data object where both see it
    expect(sheet?.$parent?.id).toBe('lab-work');
    expect(copy?.$parent).toBe(parsed.byId['lab-work']?.$parent);
    expect(sheet?.dataObjectRef?.$parent).toBe(copy?.$parent);
    const copyBox = main?.shapes.find((s) => s.element === copy)?.bounds;
    expect(inner?.shapes.some((s) => s.element === copy)).toBe(false);
    expect(parsed.pages.filter((page) => page.edges.has(readBack?.id ?? ''))).toEqual([main]);
    expect(onBox(main?.routes.get(readBack?.id ?? '')?.[0], copyBox)).toBe(true);
    // in the lab's pool (a pool that is its one lane), under the sub-process
    const lane = main?.shapes.find((s) => s.element.id === 'lab')?.bounds;
    expect(copyBox && lane && copyBox.y >= lane.y && copyBox.y + copyBox.height <= lane.y + lane.height).toBe(
      true,
    );
    expect(copyBox && copyBox.y >= box.y + box.height).toBe(true);
  });

  it('draws a data store inside the sub-process again the same way, to one data store', async () => {
    const stores: Workflow = {
      ...documentsAcross,
      dataObjects: (documentsAcross.dataObjects ?? []).map((data) => ({ ...data, kind: 'store' })),
    };
    const xml = await exportBpmn(stores);
    const again = await importBpmn(xml);
    expect(again.problems).toEqual([]);
    expect(again.notCarriedOver).toEqual([]);
    expect(again.workflow?.dataObjects?.map(({ position: _, ...data }) => data)).toEqual(stores.dataObjects);
    const parsed = await parsePages(xml);
    expect(dataAssociationsOffPage(parsed)).toEqual([]);
    expect(overlappingPairs(parsed)).toEqual([]);
    const refs = Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:DataStoreReference');
    const sheets = refs.filter((ref) => ref.name === 'Lab sheet');
    expect(sheets).toHaveLength(2);
    expect(sheets[0]?.dataStoreRef?.$type).toBe('bpmn:DataStore');
    expect(sheets[1]?.dataStoreRef).toBe(sheets[0]?.dataStoreRef);
    // a store drawn once needs no data store of its own
    expect(refs.find((ref) => ref.name === 'Order form')?.dataStoreRef).toBeUndefined();
  });
});

/**
 * The analysis is a sub-process inside the lab's: its reading is written inside it, read by the
 * lab's receiving step one page up and by the physician two pages up.
 */
const nestedReading: Workflow = {
  ...labInside,
  steps: [
    ...labInside.steps.map((s) => (s.id === 'analyse' ? { ...s, bpmn: { type: 'subProcess' as const } } : s)),
    { ...step('measure', 'lab'), within: 'analyse' },
  ],
  flows: [
    ...labInside.flows.filter((f) => f.from !== 'analyse'),
    { from: 'analyse', to: 'measure', transfer: 'none' },
    { from: 'measure', to: 'lab-end', transfer: 'none' },
  ],
  dataObjects: [
    {
      id: 'reading',
      label: 'Reading',
      kind: 'object',
      readBy: ['review', 'receive'],
      writtenBy: ['measure'],
      within: 'analyse',
    },
  ],
};

describe('a document two sub-processes deep read on both pages above it', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(nestedReading).ok).toBe(true);
  });

  it('is drawn again once on each page above, every link on its page, one document back', async () => {
    const first = await exportBpmn(nestedReading);
    const again = await importBpmn(first);
    expect(again.problems).toEqual([]);
    expect(again.notCarriedOver).toEqual([]);
    expect(again.workflow?.dataObjects?.map(({ position: _, ...data }) => data)).toEqual(
      nestedReading.dataObjects,
    );
    expect(await exportBpmn(again.workflow as Workflow)).toBe(first);
    const parsed = await parsePages(first);
    expect(dataAssociationsOffPage(parsed)).toEqual([]);
    expect(undrawnConnections(parsed)).toEqual([]);
    expect(overlappingPairs(parsed)).toEqual([]);
    const references = Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:DataObjectReference');
    const pageOf = (element: El) =>
      parsed.pages.find((page) => page.shapes.some((s) => s.element === element))?.owner;
    expect(references.map((ref) => [pageOf(ref), ref.$parent?.id])).toEqual([
      ['analyse', 'analyse'],
      ['lab-work', 'lab-work'],
      ['referral_collaboration', 'lab_process'],
    ]);
    // one data object, in the outermost container, for all three
    expect(new Set(references.map((ref) => ref.dataObjectRef)).size).toBe(1);
    expect(references[0]?.dataObjectRef?.$parent?.id).toBe('lab_process');
  });
});

describe('a document on the main page used by steps inside a sub-process', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(documentsIntoSubProcess).ok).toBe(true);
  });

  it('puts the association on the collapsed sub-process, names the inner step, through a round trip', async () => {
    const first = await exportBpmn(documentsIntoSubProcess);
    const again = await importBpmn(first);
    expect(again.problems).toEqual([]);
    expect(again.workflow?.dataObjects?.map(({ position: _, ...data }) => data)).toEqual(
      documentsIntoSubProcess.dataObjects,
    );
    for (const xml of [first, await exportBpmn(again.workflow as Workflow)]) {
      const parsed = await parsePages(xml);
      expect(dataAssociationsOffPage(parsed)).toEqual([]);
      expect(undrawnConnections(parsed)).toEqual([]);
      expect(overlappingPairs(parsed)).toEqual([]);
      const sub = parsed.byId['lab-work'];
      const links = [...(sub?.dataInputAssociations ?? []), ...(sub?.dataOutputAssociations ?? [])].map(
        (association) => ({
          type: association.$type,
          step: (
            association.extensionElements?.values?.find((v) => v.$type === 'preflight:DataLink') as
              | { step?: string }
              | undefined
          )?.step,
        }),
      );
      expect(links).toEqual([
        { type: 'bpmn:DataInputAssociation', step: 'analyse' },
        { type: 'bpmn:DataInputAssociation', step: 'receive' },
        { type: 'bpmn:DataOutputAssociation', step: 'analyse' },
      ]);
      // the inner steps carry none: their page does not show the documents
      expect(parsed.byId.analyse?.dataInputAssociations ?? []).toEqual([]);
      expect(parsed.byId.analyse?.dataOutputAssociations ?? []).toEqual([]);
      // the order step is on the documents' page and keeps its own
      expect(parsed.byId.order?.dataOutputAssociations?.[0]?.extensionElements).toBeUndefined();
    }
  });

  it('warns about a link naming no step inside the sub-process and keeps the sub-process', async () => {
    const xml = (await exportBpmn(documentsIntoSubProcess)).replace(
      /(<preflight:dataLink step=")analyse(")/,
      '$1order$2',
    );
    const read = await importBpmn(xml);
    expect(read.problems.map((p) => [p.code, p.severity])).toEqual([['unreadable-element', 'warning']]);
    expect(read.problems[0]?.message).toContain('preflight:dataLink');
    expect(read.workflow?.dataObjects?.[0]?.readBy).toEqual(['lab-work']);
  });
});

/** The referral drawn without pools: the clinic and the lab are lanes of one workflow. */
const lanesOnly: Workflow = (() => {
  const { pools: _pools, ...rest } = referral;
  return {
    ...rest,
    lanes: referral.lanes.map(({ pool: _pool, ...lane }) => lane),
    messageFlows: (referral.messageFlows ?? []).filter((m) => m.to !== 'patient'),
  };
})();

describe('a message between two lanes of a workflow without pools', () => {
  it('is a valid workflow', () => {
    expect(loadWorkflow(lanesOnly).ok).toBe(true);
  });

  it('is written as a marked association (no message flow inside a pool), drawn, and read back', async () => {
    const first = await exportBpmn(lanesOnly);
    const again = await importBpmn(first);
    expect(again.problems).toEqual([]);
    expect(again.notCarriedOver).toEqual([]);
    expect(again.workflow?.messageFlows).toEqual(lanesOnly.messageFlows);
    expect(again.workflow?.pools).toBeUndefined();
    for (const xml of [first, await exportBpmn(again.workflow as Workflow)]) {
      const parsed = await parsePages(xml);
      expect(messagesWithinOnePool(parsed)).toEqual([]);
      expect(Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:MessageFlow')).toEqual([]);
      expect(Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:Participant')).toHaveLength(1);
      for (const { id, label } of lanesOnly.messageFlows ?? []) {
        const element = parsed.byId[id ?? ''];
        expect(element?.$type).toBe('bpmn:Association');
        expect(element?.extensionElements?.values?.[0]).toMatchObject({ $type: 'preflight:Message', label });
        expect(parsed.pages[0]?.edges.has(id ?? ''), `${id} drawn`).toBe(true);
      }
      expect(undrawnConnections(parsed)).toEqual([]);
      expect(overlappingPairs(parsed)).toEqual([]);
    }
  });

  it('is read by the analysis as a message between pools is: for visits only', () => {
    expect(computeMetrics(lanesOnly)).toEqual(computeMetrics(referral));
  });
});
