/**
 * The process map's layout: the start is alone in the first column and the end in the last, the
 * main flow runs left to right, a loop back runs right to left and a repeat loops on its own box,
 * no two boxes overlap, and every route and label lies inside the drawing. Checked on a small map
 * and on the eventdataR patients log's map.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from '../eventlog/csvLog.ts';
import { buildProcessMap, MAP_END, MAP_START } from '../eventlog/processMap.ts';
import { layoutProcessMap, type MapEdgeInput, type MapLayout, type MapNodeInput } from './mapLayout.ts';

const box = (id: string, kind: MapNodeInput['kind'] = 'activity'): MapNodeInput =>
  kind === 'activity' ? { id, kind, width: 140, height: 44 } : { id, kind, width: 28, height: 28 };
const path_ = (from: string, to: string): MapEdgeInput => ({
  id: `${from}>${to}`,
  from,
  to,
  label: { width: 48, height: 14 },
});

function node(layout: MapLayout, id: string) {
  const found = layout.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

function expectWellFormed(layout: MapLayout, nodes: MapNodeInput[], edges: MapEdgeInput[]) {
  expect(layout.nodes.map((n) => n.id).sort()).toEqual(nodes.map((n) => n.id).sort());
  expect(layout.edges.map((e) => e.id).sort()).toEqual(edges.map((e) => e.id).sort());
  for (const a of layout.nodes) {
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
    expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
    for (const b of layout.nodes) {
      if (a === b) continue;
      const apart =
        a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
    }
  }
  for (const e of layout.edges) {
    expect(e.points.length).toBeGreaterThanOrEqual(2);
    for (const p of [...e.points, e.label]) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(layout.width);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(layout.height);
    }
  }
  const starts = nodes.filter((n) => n.kind === 'start').map((n) => node(layout, n.id));
  const ends = nodes.filter((n) => n.kind === 'end').map((n) => node(layout, n.id));
  for (const n of layout.nodes) {
    for (const s of starts)
      if (n.id !== s.id) expect(n.x, `${n.id} right of the start`).toBeGreaterThan(s.x + s.width);
    for (const t of ends)
      if (n.id !== t.id) expect(n.x + n.width, `${n.id} left of the end`).toBeLessThan(t.x);
  }
}

describe('layoutProcessMap', () => {
  it('runs the flow left to right, a loop back right to left, a repeat on its own box', async () => {
    const nodes = [box('start', 'start'), box('a'), box('b'), box('c'), box('end', 'end')];
    const edges = [
      path_('start', 'a'),
      path_('a', 'b'),
      path_('b', 'a'),
      path_('b', 'c'),
      path_('c', 'c'),
      path_('c', 'end'),
      path_('a', 'end'),
    ];
    const layout = await layoutProcessMap(nodes, edges);
    expectWellFormed(layout, nodes, edges);
    expect(node(layout, 'a').x).toBeLessThan(node(layout, 'b').x);
    expect(node(layout, 'b').x).toBeLessThan(node(layout, 'c').x);
    const route = (id: string) => layout.edges.find((e) => e.id === id)?.points ?? [];
    const back = route('b>a');
    expect((back.at(-1)?.x ?? 0) < (back[0]?.x ?? 0)).toBe(true);
    const repeat = route('c>c');
    const c = node(layout, 'c');
    expect(repeat.length).toBeGreaterThan(2);
    for (const p of [repeat[0], repeat.at(-1)]) {
      // leaves and re-enters c's own box border
      expect(p && p.x >= c.x && p.x <= c.x + c.width && p.y >= c.y - 1 && p.y <= c.y + c.height + 1).toBe(
        true,
      );
    }
  });

  it('lays out an empty map as an empty drawing', async () => {
    expect(await layoutProcessMap([], [])).toMatchObject({ nodes: [], edges: [] });
  });

  it('lays out the patients log with the start first and the end last', async () => {
    const text = readFileSync(
      path.resolve(
        import.meta.dirname,
        '../../../../tests/fixtures/external/eventdataR-patients/patients.csv',
      ),
      'utf8',
    );
    const log = readCsvLogText(text, {
      mapping: { case: 'patient', activity: 'handling', timestamp: 'time', lifecycle: 'registration_type' },
    }).log;
    const map = buildProcessMap(log);
    const id = (k: number) => (k === MAP_START ? 'start' : k === MAP_END ? 'end' : `a${k}`);
    const nodes = [
      box('start', 'start'),
      box('end', 'end'),
      ...map.activities.slice(0, map.shown).map((_, k) => box(`a${k}`)),
    ];
    const edges = map.edges.map((e) => path_(id(e.from), id(e.to)));
    const layout = await layoutProcessMap(nodes, edges);
    expectWellFormed(layout, nodes, edges);
  });
});
