/**
 * What a model draws beside its flow survives import → workflow → export: text annotations with
 * the steps they are attached to, groups with their name and the steps drawn inside them, data
 * stores and data objects with the steps that read and write them. Checked on public models
 * that have all of them (MIWG B.1.0: an annotation, a group, a data store and a data object with
 * their associations; a vendor-style model with a group and an annotation on two steps), by
 * reading the source and the export alike with bpmn-moddle (what bpmn-js reads).
 */
import { describe, expect, it } from 'vitest';
import { bpmnModelBytes } from '../../../../tests/fixtures/miwg.ts';
import { decodeXmlBytes } from './decode.ts';
import { exportBpmn } from './exportBpmn.ts';
import { importBpmn, repairIds } from './importBpmn.ts';
import type { El } from './model.ts';
import { type Parsed, parse } from './testing/diagramChecks.ts';

const FLOW_NODE = /^bpmn:(\w*(Task|Event|Gateway)|SubProcess|Transaction|AdHocSubProcess|CallActivity)$/;

/** The artifacts of a parsed file by what they mean, independent of ids of associations. */
function artifactsOf(parsed: Parsed): Record<string, unknown> {
  const all = Object.values(parsed.byId);
  const associations = all.filter((e) => e.$type === 'bpmn:Association');
  const attachedTo = (annotation: El) =>
    associations
      .flatMap((a) =>
        a.targetRef === annotation ? [a.sourceRef] : a.sourceRef === annotation ? [a.targetRef] : [],
      )
      .map((end) => end?.id ?? '')
      .sort();
  const shapes = parsed.pages[0]?.shapes ?? [];
  const inside = (group: El) => {
    const frame = shapes.find((s) => s.element === group)?.bounds;
    if (!frame) return [];
    return (
      shapes
        // the steps of the process's own page: an expanded sub-process's inner steps come back on a
        // page of their own, inside the collapsed sub-process that the group still holds
        .filter((s) => FLOW_NODE.test(s.element.$type) && s.element.$type !== 'bpmn:BoundaryEvent')
        .filter((s) => s.element.$parent?.$type === 'bpmn:Process')
        .filter(({ bounds: b }) => {
          const cx = b.x + b.width / 2;
          const cy = b.y + b.height / 2;
          return (
            cx >= frame.x && cx <= frame.x + frame.width && cy >= frame.y && cy <= frame.y + frame.height
          );
        })
        .map((s) => s.element.id ?? '')
        .sort()
    );
  };
  const reads = (data: El) =>
    all
      .filter((e) => FLOW_NODE.test(e.$type))
      .filter((node) =>
        (node.dataInputAssociations ?? []).some((a) =>
          [a.sourceRef as El | El[] | undefined].flat().includes(data),
        ),
      )
      .map((node) => node.id ?? '')
      .sort();
  const writes = (data: El) =>
    all
      .filter((e) => FLOW_NODE.test(e.$type))
      .filter((node) => (node.dataOutputAssociations ?? []).some((a) => a.targetRef === data))
      .map((node) => node.id ?? '')
      .sort();
  return {
    annotations: all
      .filter((e) => e.$type === 'bpmn:TextAnnotation')
      .map((e) => ({ id: e.id, text: e.text?.trim(), steps: attachedTo(e) })),
    groups: all
      .filter((e) => e.$type === 'bpmn:Group')
      .map((e) => ({ id: e.id, label: e.categoryValueRef?.value, steps: inside(e) })),
    data: all
      .filter((e) => e.$type === 'bpmn:DataStoreReference' || e.$type === 'bpmn:DataObjectReference')
      .map((e) => ({ id: e.id, type: e.$type, name: e.name, reads: reads(e), writes: writes(e) })),
  };
}

describe('annotations, groups and data survive import → export', () => {
  it.each(['B.1.0.bpmn', 'enterprise-architect-medication-reconciliation.bpmn'])('%s', async (name) => {
    const decoded = decodeXmlBytes(bpmnModelBytes(name));
    if (!decoded.ok) throw new Error(decoded.message);
    const { workflow } = await importBpmn(decoded.text);
    if (!workflow) throw new Error('no workflow');
    const source = artifactsOf(await parse(repairIds(decoded.text).text));
    const exported = artifactsOf(await parse(await exportBpmn(workflow)));
    expect(source.annotations).not.toEqual([]);
    expect(source.groups).not.toEqual([]);
    expect(exported).toEqual(source);
  });
});
