/**
 * Checks on an exported BPMN diagram shared by the export tests: each page's shapes and edges,
 * and the pairs of shapes of one page that overlap (what bpmn-js would draw on top of another).
 */
import { getDefaultSize } from 'bpmn-js/lib/util/ElementSizeUtil.js';
import { routeCrossesBoxes } from '../../routeGeometry.ts';
import { bpmnModdle, type DiBounds, type El } from '../model.ts';

/** Every element of a parsed document with an id, and every shape and edge of each page. */
export interface Parsed {
  byId: Record<string, El>;
  pages: {
    owner: string;
    shapes: { element: El; bounds: DiBounds }[];
    edges: Set<string>;
    /** each edge's route, by its element's id */
    routes: Map<string, { x: number; y: number }[]>;
  }[];
}

/** Reads an exported file with bpmn-moddle (what bpmn-js reads) into its pages. */
export async function parse(xml: string): Promise<Parsed> {
  const { rootElement, elementsById } = await bpmnModdle().fromXML(xml);
  const pages = ((rootElement as El).diagrams ?? []).map((diagram) => {
    const shapes: Parsed['pages'][number]['shapes'] = [];
    const edges = new Set<string>();
    const routes = new Map<string, { x: number; y: number }[]>();
    for (const item of diagram.plane?.planeElement ?? []) {
      const element = item.bpmnElement;
      if (!element?.id) continue;
      if (item.$type === 'bpmndi:BPMNShape' && item.bounds) shapes.push({ element, bounds: item.bounds });
      if (item.$type === 'bpmndi:BPMNEdge') {
        edges.add(element.id);
        routes.set(
          element.id,
          (item.waypoint ?? []).map(({ x, y }) => ({ x, y })),
        );
      }
    }
    return { owner: diagram.plane?.bpmnElement?.id ?? '', shapes, edges, routes };
  });
  return { byId: elementsById as Record<string, El>, pages };
}

/**
 * Whether two rectangles share any area (touching borders do not), as bpmn-js draws them: it
 * rounds a shape's position and its size each to a whole pixel, so a pool at y 44.5, 395.5 tall,
 * ends at 441 and overlaps one drawn from 440.
 */
export function overlap(a: DiBounds, b: DiBounds): boolean {
  const drawn = ({ x, y, width, height }: DiBounds) => ({
    x: Math.round(x),
    y: Math.round(y),
    width: Math.round(width),
    height: Math.round(height),
  });
  const p = drawn(a);
  const q = drawn(b);
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

/** True when the centre of `event` lies on the border of `host` (within half a unit). */
export function onBorder(event: DiBounds, host: DiBounds): boolean {
  const cx = event.x + event.width / 2;
  const cy = event.y + event.height / 2;
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.5;
  const withinX = cx >= host.x - 0.5 && cx <= host.x + host.width + 0.5;
  const withinY = cy >= host.y - 0.5 && cy <= host.y + host.height + 0.5;
  return (
    (withinX && (near(cy, host.y) || near(cy, host.y + host.height))) ||
    (withinY && (near(cx, host.x) || near(cx, host.x + host.width)))
  );
}

/**
 * Pairs of flow-node shapes on one page that overlap. A boundary event on its host's border, and
 * a shape inside the expanded sub-process or the lane or pool it belongs to, is not an overlap.
 */
export function overlappingPairs(parsed: Parsed): string[] {
  const pairs: string[] = [];
  for (const page of parsed.pages) {
    // a group is a frame drawn around shapes
    const nodes = page.shapes.filter(
      (s) => !['bpmn:Participant', 'bpmn:Lane', 'bpmn:Group'].includes(s.element.$type),
    );
    for (const [i, a] of nodes.entries()) {
      for (const b of nodes.slice(i + 1)) {
        if (!overlap(a.bounds, b.bounds)) continue;
        const hostOf = (x: typeof a, y: typeof a) =>
          x.element.attachedToRef === y.element && onBorder(x.bounds, y.bounds);
        const inside = (x: typeof a, y: typeof a) => {
          for (let p = x.element.$parent; p; p = p.$parent) if (p === y.element) return true;
          return false;
        };
        if (hostOf(a, b) || hostOf(b, a) || inside(a, b) || inside(b, a)) continue;
        pairs.push(`${a.element.id} × ${b.element.id}`);
      }
    }
  }
  return pairs;
}

const CONNECTION = /^bpmn:(MessageFlow|DataInputAssociation|DataOutputAssociation)$/;

/** Ids of the message flows and data associations drawn on no page (bpmn.io would not show them). */
export function undrawnConnections(parsed: Parsed): string[] {
  return Object.values(parsed.byId)
    .filter((element) => CONNECTION.test(element.$type) && element.id !== undefined)
    .map((element) => element.id as string)
    .filter((id) => !parsed.pages.some((page) => page.edges.has(id)));
}

/**
 * Ids of the message flows whose two ends are in one pool: BPMN allows a message flow only
 * between pools (bpmn.io's modeler refuses to draw one inside a pool).
 */
export function messagesWithinOnePool(parsed: Parsed): string[] {
  const participants = Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:Participant');
  const poolOf = (end: El | undefined): El | undefined => {
    if (end?.$type === 'bpmn:Participant') return end;
    for (let p = end?.$parent; p; p = p.$parent) {
      if (p.$type === 'bpmn:Process') return participants.find((pool) => pool.processRef === p) ?? p;
    }
    return undefined;
  };
  return Object.values(parsed.byId)
    .filter((e) => e.$type === 'bpmn:MessageFlow' && poolOf(e.sourceRef) === poolOf(e.targetRef))
    .map((e) => e.id ?? '');
}

/**
 * Ids of the data associations drawn on a page that does not show both their ends (the document
 * and the activity that carries the association): bpmn-js draws an association only between
 * shapes of one page and warns that the other end is "not yet drawn".
 */
export function dataAssociationsOffPage(parsed: Parsed): string[] {
  const ends = (association: El): (El | undefined)[] =>
    association.$type === 'bpmn:DataInputAssociation'
      ? [[association.sourceRef as El | El[] | undefined].flat()[0], association.$parent]
      : [association.$parent, association.targetRef];
  return parsed.pages.flatMap((page) => {
    const drawn = new Set(page.shapes.map((shape) => shape.element));
    return [...page.edges].filter((id) => {
      const association = parsed.byId[id];
      if (!association || !/^bpmn:Data(Input|Output)Association$/.test(association.$type)) return false;
      return ends(association).some((end) => !end || !drawn.has(end));
    });
  });
}

/** The flow nodes a step is drawn as (not a sub-process: its box is drawn around its steps). */
const STEP_SHAPE = /^bpmn:(\w*Task|CallActivity|\w*Event|\w*Gateway)$/;

/**
 * The steps' shapes written at another size than `source` drew them at, in whole pixels (import
 * rounds a drawn size once; either way round for a model drawn top to bottom), as
 * "id: type width×height, drawn width×height".
 */
export function resizedShapes(parsed: Parsed, source: Parsed): string[] {
  const drawnBefore = boundsById(source);
  return parsed.pages.flatMap((page) =>
    page.shapes
      .filter((shape) => STEP_SHAPE.test(shape.element.$type))
      .flatMap((shape) => {
        const before = drawnBefore.get(shape.element.id);
        if (!before || sameWholeSize(shape.bounds, before)) return [];
        const { bounds } = shape;
        return [
          `${shape.element.id}: ${shape.element.$type} ${bounds.width}×${bounds.height}, drawn ${Math.round(before.width)}×${Math.round(before.height)}`,
        ];
      }),
  );
}

/** Each shape's bounds in `parsed`, by its element's id. */
function boundsById(parsed: Parsed | undefined): Map<string | undefined, DiBounds> {
  return new Map(
    (parsed?.pages ?? []).flatMap((page) => page.shapes.map((shape) => [shape.element.id, shape.bounds])),
  );
}

/**
 * Whether `written` has `size` in whole pixels (import rounds a drawn size once), either way round
 * (a model drawn top to bottom is turned on import).
 */
function sameWholeSize(written: DiBounds, size: { width: number; height: number }): boolean {
  const [width, height] = [Math.round(size.width), Math.round(size.height)];
  return (
    (written.width === width && written.height === height) ||
    (written.width === height && written.height === width)
  );
}

/** The kinds whose shape bpmn-js draws at one size, whatever the file says (a circle, a diamond, a page). */
const FIXED_SIZE = /^bpmn:(\w*Event|\w*Gateway|DataObjectReference|DataStoreReference)$/;

/**
 * The events, gateways and data references drawn at another size than bpmn-js's default for
 * their type (its `getDefaultSize`: an event 36×36, a gateway 50×50, a data object 36×50, a data
 * store 50×50) and than the size `source` drew the same element at (a model drawn in another tool
 * goes back out as drawn there, either way round for a model drawn top to bottom), as
 * "id: type width×height": bpmn-js draws the shape at the size the file gives.
 */
export function offDefaultSize(parsed: Parsed, source?: Parsed): string[] {
  const drawnBefore = boundsById(source);
  return parsed.pages.flatMap((page) =>
    page.shapes
      .filter((shape) => FIXED_SIZE.test(shape.element.$type))
      .filter((shape) => {
        const before = drawnBefore.get(shape.element.id);
        if (before && sameWholeSize(shape.bounds, before)) return false;
        return !sameWholeSize(shape.bounds, getDefaultSize(shape.element as never, {} as never));
      })
      .map(
        (shape) => `${shape.element.id}: ${shape.element.$type} ${shape.bounds.width}×${shape.bounds.height}`,
      ),
  );
}

/**
 * Sequence flows whose route passes through the inside of a flow node's shape on its page (a
 * segment along a border, or ending on it, does not), as `flow × shape`: what reads as a flow
 * drawn through a step. A boundary event's flow leaving across its own host is included.
 */
export function flowsCrossingShapes(parsed: Parsed): string[] {
  const crossings: string[] = [];
  for (const page of parsed.pages) {
    const nodes = page.shapes.filter(
      (s) =>
        !['bpmn:Participant', 'bpmn:Lane', 'bpmn:Group', 'bpmn:TextAnnotation'].includes(s.element.$type),
    );
    for (const [id, points] of page.routes) {
      if (parsed.byId[id]?.$type !== 'bpmn:SequenceFlow') continue;
      for (const shape of nodes) {
        const box = { id: shape.element.id ?? '', ...shape.bounds };
        if (routeCrossesBoxes(points, [box])) crossings.push(`${id} × ${box.id}`);
      }
    }
  }
  return crossings;
}

/** The two shapes an edge joins: a flow's or association's ends, a data association's activity and document. */
function edgeEnds(element: El): (El | undefined)[] {
  if (element.$type === 'bpmn:DataInputAssociation')
    return [[element.sourceRef as El | El[] | undefined].flat()[0], element.$parent];
  if (element.$type === 'bpmn:DataOutputAssociation') return [element.$parent, element.targetRef];
  return [element.sourceRef as El | undefined, element.targetRef];
}

/**
 * Every edge of a page (sequence and message flows, associations, data associations) whose route
 * passes through the inside of a shape on that page other than its own two ends, as
 * `edge × shape`: a boundary event's flow drawn back across its own host is one.
 */
export function edgesCrossingShapes(parsed: Parsed): string[] {
  const crossings: string[] = [];
  for (const page of parsed.pages) {
    const nodes = page.shapes.filter(
      (s) => !['bpmn:Participant', 'bpmn:Lane', 'bpmn:Group'].includes(s.element.$type),
    );
    for (const [id, points] of page.routes) {
      const element = parsed.byId[id];
      if (!element) continue;
      const ends = edgeEnds(element);
      for (const shape of nodes) {
        if (ends.includes(shape.element)) continue;
        if (routeCrossesBoxes(points, [{ id: shape.element.id ?? '', ...shape.bounds }]))
          crossings.push(`${id} × ${shape.element.id ?? '?'}`);
      }
    }
  }
  return crossings;
}

/**
 * The message flows whose route passes through the inside of a shape on their page other than
 * their own two ends, as `message × shape`: a step, document or note, or a pool that is neither
 * end's (a message runs between pools through the gap between them, or beside the pools between;
 * it crosses only its own pools' borders and lanes).
 */
export function messagesCrossingShapes(parsed: Parsed): string[] {
  const participants = Object.values(parsed.byId).filter((e) => e.$type === 'bpmn:Participant');
  const poolOf = (end: El | undefined): El | undefined => {
    if (end?.$type === 'bpmn:Participant') return end;
    for (let p = end?.$parent; p; p = p.$parent) {
      if (p.$type === 'bpmn:Process') return participants.find((pool) => pool.processRef === p);
    }
    return undefined;
  };
  const crossings: string[] = [];
  for (const page of parsed.pages) {
    for (const [id, points] of page.routes) {
      const message = parsed.byId[id];
      if (message?.$type !== 'bpmn:MessageFlow') continue;
      const ends = [message.sourceRef, message.targetRef];
      const pools = ends.map(poolOf);
      for (const shape of page.shapes) {
        const { element } = shape;
        if (ends.includes(element) || ['bpmn:Lane', 'bpmn:Group'].includes(element.$type)) continue;
        if (element.$type === 'bpmn:Participant' && pools.includes(element)) continue;
        if (routeCrossesBoxes(points, [{ id: element.id ?? '', ...shape.bounds }]))
          crossings.push(`${id} × ${element.id ?? '?'}`);
      }
    }
  }
  return crossings;
}

const ASSOCIATION = /^bpmn:(DataInputAssociation|DataOutputAssociation|Association)$/;

/**
 * The associations (a document's to its activity, a note's to its step, a compensation's to its
 * handler) whose route passes through a shape of their page other than their own two ends, as
 * `association × shape` (see {@link edgesCrossingShapes}).
 */
export function associationsCrossingShapes(parsed: Parsed): string[] {
  return edgesCrossingShapes(parsed).filter((line) => {
    const id = line.slice(0, line.indexOf(' × '));
    return ASSOCIATION.test(parsed.byId[id]?.$type ?? '');
  });
}
