/**
 * Artifacts: text annotations (with the steps they are attached to) and groups (with the steps
 * drawn inside them), kept for the drawing; a message between two steps of one pool and data
 * joined to an activity by a plain association are read as such; any other association or
 * artifact is listed.
 */

import type { DrawnBounds } from '../../../../formats/workflow.ts';
import { type El, extensionOf, isA, type PfMessage } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';

/** Annotations, groups and associations of the processes, sub-processes and collaborations. */
export const artifactReader: BpmnReader = {
  id: 'artifacts',
  reads: [
    'bpmn:textAnnotation',
    'bpmn:text',
    'bpmn:association',
    'bpmn:group',
    'bpmn:category',
    'bpmn:categoryValue',
  ],
  describe: 'text annotations and groups for the drawing; messages and data joined by associations',
  read: readArtifacts,
};

/** Ids of the steps whose shape's centre lies inside `bounds` (what a group is drawn around). */
function stepsInside(ctx: ImportContext, bounds: DrawnBounds): string[] {
  return ctx.steps.flatMap(({ step, element }) => {
    const drawn = ctx.drawnBounds(element);
    if (!drawn || step.boundary?.attachedTo !== undefined) return [];
    const cx = drawn.x + drawn.width / 2;
    const cy = drawn.y + drawn.height / 2;
    const inside =
      cx >= bounds.x && cx <= bounds.x + bounds.width && cy >= bounds.y && cy <= bounds.y + bounds.height;
    return inside ? [step.id] : [];
  });
}

/**
 * Text annotations (with the steps they are attached to) and groups (with the steps drawn inside
 * them), kept for the drawing; messages and data joined by plain associations.
 */
function readArtifacts(ctx: ImportContext): void {
  const attached = new Set<El>();
  const annotationSteps = new Map<El, string[]>();
  for (const artifact of ctx.artifacts) {
    if (artifact.$type !== 'bpmn:Association') continue;
    // a message between two steps of one pool, as Preflight writes it (BPMN has no message
    // flow inside a pool)
    const message = extensionOf<PfMessage>(artifact, 'preflight:Message');
    const from = artifact.sourceRef ? ctx.stepOf.get(artifact.sourceRef) : undefined;
    const to = artifact.targetRef ? ctx.stepOf.get(artifact.targetRef) : undefined;
    if (message && from && to) {
      const label = message.label?.trim();
      ctx.messageFlows.push({
        ...(artifact.id ? { id: artifact.id } : {}),
        from: from.step.id,
        to: to.step.id,
        ...(label ? { label } : {}),
      });
      attached.add(artifact);
      continue;
    }
    // data drawn joined to an activity by a plain association (as BPMN 1 did, and as some tools
    // still write it): read when the data is the source, written when it is the target
    const isData = (end: El | undefined) =>
      end?.$type === 'bpmn:DataObjectReference' || end?.$type === 'bpmn:DataStoreReference';
    const activity = (end: El | undefined) => (end && isA(end, 'bpmn:Activity') ? end : undefined);
    const reader = isData(artifact.sourceRef) ? activity(artifact.targetRef) : undefined;
    const writer = isData(artifact.targetRef) ? activity(artifact.sourceRef) : undefined;
    if (reader && ctx.stepOf.has(reader)) {
      ctx.dataLinks.push({
        step: reader,
        data: artifact.sourceRef as El,
        direction: 'readBy',
        association: artifact,
      });
      attached.add(artifact);
      continue;
    }
    if (writer && ctx.stepOf.has(writer)) {
      ctx.dataLinks.push({
        step: writer,
        data: artifact.targetRef as El,
        direction: 'writtenBy',
        association: artifact,
      });
      attached.add(artifact);
      continue;
    }
    const ends = [artifact.sourceRef, artifact.targetRef];
    const annotation = ends.find((end) => end?.$type === 'bpmn:TextAnnotation');
    const other = ends.find((end) => end !== annotation);
    const step = other ? ctx.stepOf.get(other) : undefined;
    if (annotation && step && annotation.text?.trim()) {
      const list = annotationSteps.get(annotation) ?? [];
      if (!list.includes(step.step.id)) list.push(step.step.id);
      annotationSteps.set(annotation, list);
      attached.add(artifact);
    }
  }
  for (const artifact of ctx.artifacts) {
    if (attached.has(artifact) || ctx.compensationLinks.has(artifact)) continue;
    if (artifact.$type === 'bpmn:TextAnnotation' && artifact.id && artifact.text?.trim()) {
      const steps = annotationSteps.get(artifact);
      const bounds = ctx.drawnBounds(artifact);
      ctx.annotations.push({
        id: artifact.id,
        text: artifact.text.trim(),
        ...(steps ? { steps } : {}),
        ...(bounds ? { bounds } : {}),
      });
    } else if (artifact.$type === 'bpmn:TextAnnotation') {
      ctx.drop(artifact, 'a text annotation without text', 'there is nothing to show');
    } else if (artifact.$type === 'bpmn:Association') {
      ctx.drop(
        artifact,
        'an association',
        'Preflight keeps associations only between a step and its annotation',
      );
    } else if (artifact.$type === 'bpmn:Group' && artifact.id) {
      const bounds = ctx.drawnBounds(artifact);
      const label = artifact.categoryValueRef?.value?.trim();
      const steps = bounds ? stepsInside(ctx, bounds) : [];
      ctx.groups.push({
        id: artifact.id,
        ...(label ? { label } : {}),
        ...(steps.length > 0 ? { steps } : {}),
        ...(bounds ? { bounds } : {}),
      });
    } else {
      ctx.drop(artifact, `an artifact of type ${artifact.$type}`, 'Preflight has no equivalent for it');
    }
  }
}
