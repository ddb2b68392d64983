/**
 * Where the diagram draws what a model keeps beside its flow: text annotations (a bracketed note
 * with a dotted line to each step it is attached to), groups (a dashed frame with its name) and
 * documents (a page or a store, each drawing of it, with a dotted association to each step drawn
 * reading or writing it, routed around the steps, documents and notes in its way by core's
 * `associationRoute`, as the BPMN export routes it).
 * Read-only pictures placed from the workflow's stored geometry, moved with the lanes as the
 * canvas lays them out (canvasModel.ts): a note keeps its place beside its step, a group is
 * drawn around the steps inside it.
 */
import {
  associationRoute,
  documentDrawings,
  processDataOf,
  type RoutePoint,
  type StepBox,
} from '../../../core/workflow/index.ts';
import type { DataObject, Workflow } from '../../../formats/workflow.ts';
import { boxOffset, type CanvasLayout, type PlacedStep, stepBoxes } from './canvasModel.ts';

/** A box on the canvas, in canvas units. */
interface CanvasBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A text annotation as drawn. */
export interface DrawnNote extends CanvasBox {
  id: string;
  text: string;
  /** the names of the steps it is attached to, in its order */
  stepLabels: string[];
  /** its lines: from the middle of its bracket to the nearest point of each step */
  links: { from: { x: number; y: number }; to: { x: number; y: number } }[];
}

/** A group as drawn. */
export interface DrawnGroup extends CanvasBox {
  id: string;
  label: string;
}

/** A drawing of a document as drawn, with its associations. */
export interface DrawnDocument extends CanvasBox {
  /** the drawing's id (the document's own for its first drawing) */
  id: string;
  label: string;
  kind: DataObject['kind'];
  /** a data input or output of the process (processDataOf): drawn with an arrow, as bpmn-js does */
  io?: 'input' | 'output';
  /**
   * one per step drawn joined to it: the route from the document to the step (a step reads it)
   * or from the step to the document (a step writes it); the arrow is at the route's end
   */
  links: { step: string; stepLabel: string; reads: boolean; points: RoutePoint[] }[];
}

/** What drawnArtifacts returns. */
export interface DrawnArtifacts {
  notes: DrawnNote[];
  groups: DrawnGroup[];
  documents: DrawnDocument[];
}

/** A document's shape, as the BPMN export (and bpmn-js) draws it: a page 36×50, a store 50×50. */
const DOCUMENT_SIZE: Readonly<Record<DataObject['kind'], { width: number; height: number }>> = {
  object: { width: 36, height: 50 },
  store: { width: 50, height: 50 },
};
/** A document with no stored place: this far under the first step drawn joined to it. */
const DOCUMENT_GAP = 30;

/** Room between a group's frame and the steps inside it. */
const GROUP_PADDING = 16;
/** A note with no stored place: this size, this far above the first step it is attached to. */
const NOTE_SIZE = { width: 160, height: 40 };
const NOTE_GAP = 16;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * The notes and groups of `workflow` placed on `layout`. A stored place is moved by as much as the
 * lane of the note's first step (a group: of its first step) was moved, so it stays beside its
 * steps; a note without one goes above its first step; a group with steps inside is framed
 * around them, one without uses its stored place as is. A note or group with neither is left out,
 * and so is one whose steps are all on another page of the diagram (inside a sub-process): it is
 * drawn on theirs. (One attached to no step is drawn on every page.)
 */
export function drawnArtifacts(workflow: Workflow, layout: CanvasLayout): DrawnArtifacts {
  const placed = new Map(layout.steps.map((p) => [p.step.id, p]));
  const shift = new Map(layout.lanes.map((lane) => [lane.id, lane.shift]));
  const stepsOf = (ids: readonly string[] | undefined): PlacedStep[] =>
    (ids ?? []).flatMap((id) => placed.get(id) ?? []);

  const notes = (workflow.annotations ?? []).flatMap((annotation): DrawnNote[] => {
    const steps = stepsOf(annotation.steps);
    const first = steps[0];
    // attached only to steps on another page (inside a sub-process): drawn there, not here
    if (!first && (annotation.steps ?? []).length > 0) return [];
    let box: CanvasBox;
    if (annotation.bounds) {
      const dy = first ? (shift.get(first.step.lane) ?? 0) : 0;
      box = { ...annotation.bounds, y: annotation.bounds.y + dy };
    } else if (first) {
      box = { x: first.x, y: first.y - NOTE_GAP - NOTE_SIZE.height, ...NOTE_SIZE };
    } else return [];
    const from = { x: box.x, y: box.y + box.height / 2 };
    return [
      {
        id: annotation.id,
        text: annotation.text,
        ...box,
        stepLabels: steps.map((p) => p.step.label),
        links: steps.map((p) => ({
          from,
          to: { x: clamp(from.x, p.x, p.x + p.width), y: clamp(from.y, p.y, p.y + p.height) },
        })),
      },
    ];
  });

  const groups = (workflow.groups ?? []).flatMap((group): DrawnGroup[] => {
    const steps = stepsOf(group.steps);
    const label = group.label ?? '';
    if (steps.length > 0) {
      const left = Math.min(...steps.map((p) => p.x)) - GROUP_PADDING;
      const top = Math.min(...steps.map((p) => p.y)) - GROUP_PADDING;
      const right = Math.max(...steps.map((p) => p.x + p.width)) + GROUP_PADDING;
      const bottom = Math.max(...steps.map((p) => p.y + p.height)) + GROUP_PADDING;
      return [{ id: group.id, label, x: left, y: top, width: right - left, height: bottom - top }];
    }
    // steps only on another page (inside a sub-process): drawn there, not here
    if ((group.steps ?? []).length > 0) return [];
    return group.bounds ? [{ id: group.id, label, ...group.bounds }] : [];
  });

  const documents = drawnDocuments(workflow, layout, placed, shift, notes);
  return { notes, groups, documents };
}

/**
 * Each drawing of each document joined to a step of this page, where it was drawn (moved with the
 * lane of its first step) or under its first step, with its associations routed around the other
 * shapes (see the file header).
 */
function drawnDocuments(
  workflow: Workflow,
  layout: CanvasLayout,
  placed: ReadonlyMap<string, PlacedStep>,
  shift: ReadonlyMap<string, number>,
  notes: readonly DrawnNote[],
): DrawnDocument[] {
  const shapes = (workflow.dataObjects ?? []).flatMap((document) =>
    documentDrawings(document).flatMap(({ data }) => {
      const readers = (data.readBy ?? []).flatMap((id) => placed.get(id) ?? []);
      const writers = (data.writtenBy ?? []).flatMap((id) => placed.get(id) ?? []);
      const first = writers[0] ?? readers[0];
      // joined to no step of this page: drawn on the page of its steps
      if (!first) return [];
      const size = DOCUMENT_SIZE[data.kind];
      const offset = boxOffset(size);
      const box: CanvasBox = data.position
        ? {
            x: data.position.x + offset.x,
            y: data.position.y + offset.y + (shift.get(first.step.lane) ?? 0),
            ...size,
          }
        : {
            x: first.x + first.width / 2 - size.width / 2,
            y: first.y + first.height + DOCUMENT_GAP,
            ...size,
          };
      const io = processDataOf(document);
      return [{ data, box, readers, writers, ...(io ? { io } : {}) }];
    }),
  );
  const boxes: StepBox[] = [
    ...stepBoxes(layout),
    ...shapes.map(({ data, box }) => ({ id: `\u0000document:${data.id}`, ...box })),
    ...notes.map((note) => ({
      id: `\u0000note:${note.id}`,
      x: note.x,
      y: note.y,
      width: note.width,
      height: note.height,
    })),
  ];
  return shapes.map(({ data, box, readers, writers, io }) => ({
    id: data.id,
    label: data.label,
    kind: data.kind,
    ...(io ? { io } : {}),
    ...box,
    links: [
      ...readers.map((p) => ({
        step: p.step.id,
        stepLabel: p.step.label,
        reads: true,
        points: associationRoute(box, p, boxes),
      })),
      ...writers.map((p) => ({
        step: p.step.id,
        stepLabel: p.step.label,
        reads: false,
        points: associationRoute(p, box, boxes),
      })),
    ],
  }));
}
