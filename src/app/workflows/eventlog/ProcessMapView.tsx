/**
 * The process map of a discovered log, drawn as Disco draws one: boxes for activities, arrows for
 * what follows what, the start and end marked, arrows as wide as they are frequent. The figures
 * are how often (frequency: times, or cases) or how long (performance: middle value or average)
 * patients wait along each arrow and each activity takes, from its start to its complete (a log
 * of completion times only has no activity times, and the map says so). Two sliders: the share of activities (the worker
 * measures the log again without the rarest, so their neighbours join) and the share of paths
 * (chosen here, instantly, from the measured map: src/core's `keepPaths`).
 *
 * Layout runs in the layout worker (ELK stays out of the page's bundle). Fit never shrinks text
 * below {@link MIN_SCALE} of its size (12 px → 9.6 px): a wider map scrolls sideways instead.
 */
import { type ReactNode, type RefObject, useEffect, useId, useMemo, useRef, useState } from 'react';
import { layoutMapInWorker } from '../../../../workers/layoutClient.ts';
import {
  activitiesKept,
  keepPaths,
  MAP_END,
  MAP_START,
  type MapActivity,
  type MapEdge,
  type ProcessMap,
  UNTIMED_WORDS,
} from '../../../core/workflow/eventlog/index.ts';
import { type MapMarks, pathKey } from '../../../core/workflow/index.ts';
import type { MapEdgeInput, MapLayout, MapNodeInput } from '../../../core/workflow/layout/index.ts';
import { formatCount, plural } from '../../common/format.ts';
import type { MapMeasure } from '../../route.ts';
import { activityTimesNote, type PerformanceFigure } from './activityTimes.ts';
import { formatMinutes } from './driftReport.ts';
import { type ActivityWaitBar, WaitCausesChart } from './WaitCausesChart.tsx';

/** Font size of every text on the map, in map units. */
const FONT = 12;
/** The smallest zoom fit goes to: 12 px text stays at 9.6 px. */
const MIN_SCALE = 0.8;
const MAX_SCALE = 2;
const ZOOM_STEP = 1.25;
/** Average width of a character of the map's font, for sizing boxes and labels. */
const CHAR_WIDTH = 7;
const BOX_HEIGHT = 44;
/** Room for an arrow's figure: "1,234" or "12.5 h"; "3.5 days" runs a little past it. */
const LABEL_CHARS = 6;
const BOX_MIN_WIDTH = 110;
const BOX_MAX_CHARS = 30;
const MARKER = 28;
/** Radius of the badge on an activity a finding of the log is about. */
const MARK_RADIUS = 8;
const PERCENT = 100;
const MIN_STROKE = 1.2;
const MAX_STROKE = 8;

/** What the figures count or measure. */
export type FrequencyCount = 'times' | 'cases';
export type { PerformanceFigure };

/** The settings of a map that the page keeps. */
export interface MapSettings {
  frequency: FrequencyCount;
  performance: PerformanceFigure;
  /** percent of paths shown, 0–100 */
  paths: number;
}

export const DEFAULT_MAP_SETTINGS: MapSettings = { frequency: 'times', performance: 'median', paths: 30 };

const nodeId = (k: number) => (k === MAP_START ? 'start' : k === MAP_END ? 'end' : `a${k}`);

function shortName(name: string): string {
  return name.length > BOX_MAX_CHARS ? `${name.slice(0, BOX_MAX_CHARS - 1)}…` : name;
}

/** The figure on an arrow. */
function edgeFigure(edge: MapEdge, measure: MapMeasure, settings: MapSettings): string {
  if (measure === 'frequency') return formatCount(settings.frequency === 'cases' ? edge.cases : edge.n);
  if (!edge.duration) return '';
  return formatMinutes(settings.performance === 'mean' ? edge.duration.meanMin : edge.duration.medianMin);
}

/** The figure in an activity's box. */
function activityFigure(activity: MapActivity, measure: MapMeasure, settings: MapSettings): string {
  if (measure === 'frequency')
    return formatCount(settings.frequency === 'cases' ? activity.cases : activity.n);
  if (!activity.duration) return 'no duration';
  return formatMinutes(
    settings.performance === 'mean' ? activity.duration.meanMin : activity.duration.medianMin,
  );
}

/** The map's measures, each a link to its own address. */
const MEASURE_LINKS: readonly { id: MapMeasure; label: string }[] = [
  { id: 'frequency', label: 'How often (frequency)' },
  { id: 'performance', label: 'How long it takes (performance)' },
];

/** The map with its controls (see the file header). */
export function ProcessMapView({
  map,
  measure: asked,
  measureHref,
  settings,
  onSettings,
  activities,
  onActivities,
  marks,
  waits,
  layoutMap = layoutMapInWorker,
}: {
  map: ProcessMap;
  measure: MapMeasure;
  /** the address of the map with `measure` shown: each measure is a link of its own */
  measureHref: (measure: MapMeasure) => string;
  settings: MapSettings;
  onSettings: (settings: MapSettings) => void;
  /** percent of activities shown, 1–100 (measured again by the worker) */
  activities: number;
  /** absent: the log is not read (a kept map), so the activities cannot be measured again */
  onActivities?: (percent: number) => void;
  /** where the log's findings sit on the map (long waits, rework, ping-pong), marked there */
  marks?: MapMarks;
  /** each activity's waiting by cause, shown in the performance view (absent for a kept map) */
  waits?: readonly ActivityWaitBar[];
  /** what lays the map out: the layout worker (a component test lays it out in its own thread) */
  layoutMap?: typeof layoutMapInWorker;
}) {
  // a log without times has frequencies only: no performance view to offer
  const measure: MapMeasure = map.untimed ? 'frequency' : asked;
  const measureLinks = map.untimed ? MEASURE_LINKS.filter((link) => link.id === 'frequency') : MEASURE_LINKS;
  const total = map.activities.length;
  const kept = useMemo(() => keepPaths(map, settings.paths / PERCENT), [map, settings.paths]);
  const edges = useMemo(() => kept.map((k) => map.edges[k] as MapEdge), [kept, map]);
  const shownActivities = activitiesKept(total, activities / PERCENT);
  const maxN = Math.max(1, ...map.edges.map((e) => e.n));
  const maxActivity = Math.max(1, ...map.activities.slice(0, map.shown).map((a) => a.n));

  const graph = useMemo(() => {
    const nodes: MapNodeInput[] = [
      { id: 'start', kind: 'start', width: MARKER, height: MARKER },
      { id: 'end', kind: 'end', width: MARKER, height: MARKER },
      ...map.activities.slice(0, map.shown).map(
        (a, k): MapNodeInput => ({
          id: nodeId(k),
          kind: 'activity',
          width: Math.max(BOX_MIN_WIDTH, shortName(a.name).length * CHAR_WIDTH + 2 * FONT),
          height: BOX_HEIGHT,
        }),
      ),
    ];
    // labels sized for the longest figure either view shows, so switching views keeps the layout
    const input: MapEdgeInput[] = edges.map((e) => ({
      id: `${nodeId(e.from)}>${nodeId(e.to)}`,
      from: nodeId(e.from),
      to: nodeId(e.to),
      label: { width: LABEL_CHARS * CHAR_WIDTH, height: FONT + 4 },
    }));
    return { nodes, edges: input, key: JSON.stringify([nodes, input.map((e) => e.id)]) };
  }, [map, edges]);

  const [layout, setLayout] = useState<{ key: string; layout: MapLayout } | null>(null);
  const [layoutFailed, setLayoutFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    setLayoutFailed(false);
    layoutMap(graph.nodes, graph.edges, { signal: controller.signal }).then(
      (result) => setLayout({ key: graph.key, layout: result }),
      () => {
        if (!controller.signal.aborted) setLayoutFailed(true);
      },
    );
    return () => controller.abort();
  }, [graph, layoutMap]);

  const headingId = useId();
  const activityId = useId();
  const pathId = useId();
  return (
    <section className="process-map" aria-labelledby={headingId}>
      <h5 id={headingId}>Process map</h5>
      {map.untimed && (
        <p className="log-note" role="note">
          {UNTIMED_WORDS}
        </p>
      )}
      <div className="map-controls">
        <fieldset className="map-measure">
          <legend>Show on the map</legend>
          <span className="map-measure-links">
            {measureLinks.map(({ id, label }) => (
              <a
                key={id}
                className="button-link"
                href={measureHref(id)}
                aria-current={measure === id ? 'true' : undefined}
              >
                {label}
              </a>
            ))}
          </span>
          {measure === 'frequency' ? (
            <label className="map-figure">
              Count{' '}
              <select
                value={settings.frequency}
                onChange={(e) => onSettings({ ...settings, frequency: e.target.value as FrequencyCount })}
              >
                <option value="times">every time it happened</option>
                <option value="cases">cases (once per case)</option>
              </select>
            </label>
          ) : (
            <label className="map-figure">
              Time{' '}
              <select
                value={settings.performance}
                onChange={(e) =>
                  onSettings({ ...settings, performance: e.target.value as PerformanceFigure })
                }
              >
                <option value="median">middle value (median)</option>
                <option value="mean">average (mean)</option>
              </select>
            </label>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor={activityId}>
            Activities:{' '}
            <output htmlFor={activityId}>
              {shownActivities} of {total} ({activities} %)
            </output>
          </label>
          <input
            id={activityId}
            type="range"
            min={1}
            max={100}
            step={1}
            value={activities}
            aria-valuetext={`${shownActivities} of ${total} activities`}
            disabled={!onActivities}
            onChange={(e) => onActivities?.(Number(e.target.value))}
          />
          <p className="field-hint">
            {onActivities
              ? 'The most frequent are kept; the others’ neighbours are joined.'
              : 'Needs the events: choose the log file again to change it.'}
          </p>
        </div>
        <div className="field">
          <label htmlFor={pathId}>
            Paths:{' '}
            <output htmlFor={pathId}>
              {edges.length} of {map.edges.length} ({settings.paths} %)
            </output>
          </label>
          <input
            id={pathId}
            type="range"
            min={0}
            max={100}
            step={1}
            value={settings.paths}
            aria-valuetext={`${edges.length} of ${map.edges.length} paths`}
            onChange={(e) => onSettings({ ...settings, paths: Number(e.target.value) })}
          />
          <p className="field-hint">The most frequent are kept; every activity stays reachable.</p>
        </div>
      </div>
      <p className="field-hint">
        {measure === 'frequency'
          ? settings.frequency === 'cases'
            ? 'Figures: in how many cases it happened at least once.'
            : 'Figures: how many times it happened.'
          : `Figures on arrows: the ${settings.performance === 'mean' ? 'average' : 'middle'} wait from the end of one activity to the start of the next${map.workingTime ? ', in opening hours only' : ''}. ${activityTimesNote(map, settings.performance)}`}{' '}
        Arrows are as wide as they are frequent
        {measure === 'performance' ? ', and the redder the longer the wait' : ''}; ▶ marks where cases start,
        ■ where they end.
        {map.casesDrawn < map.cases &&
          ` ${plural(map.cases - map.casesDrawn, 'case')} with only left-out activities ${map.cases - map.casesDrawn === 1 ? 'is' : 'are'} not drawn.`}
      </p>
      {layoutFailed && (
        <p className="error" role="alert">
          The map could not be drawn. Lower the activities or paths shown and try again.
        </p>
      )}
      {!layout && !layoutFailed && <p role="status">Drawing the map…</p>}
      {layout && (
        <MapDrawing
          layout={layout.layout}
          stale={layout.key !== graph.key}
          map={map}
          edges={edges}
          measure={measure}
          settings={settings}
          maxN={maxN}
          maxActivity={maxActivity}
          {...(marks ? { marks } : {})}
        />
      )}
      {measure === 'performance' && waits && <WaitCausesChart waits={waits} />}
    </section>
  );
}

function MapDrawing({
  layout,
  stale,
  map,
  edges,
  measure,
  settings,
  maxN,
  maxActivity,
  marks,
}: {
  layout: MapLayout;
  stale: boolean;
  map: ProcessMap;
  edges: MapEdge[];
  measure: MapMeasure;
  settings: MapSettings;
  maxN: number;
  maxActivity: number;
  marks?: MapMarks;
}) {
  const frame = useRef<HTMLElement>(null);
  const [frameWidth, setFrameWidth] = useState(0);
  const [zoom, setZoom] = useState<number | null>(null);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setFrameWidth(element.clientWidth));
    observer.observe(element);
    setFrameWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);
  const fit = Math.min(1, Math.max(MIN_SCALE, frameWidth > 0 ? frameWidth / layout.width : 1));
  const scale = zoom ?? fit;
  const placed = new Map(layout.nodes.map((n) => [n.id, n]));
  const routes = new Map(layout.edges.map((e) => [e.id, e]));
  const markerId = useId();
  const waitOf = (e: MapEdge) =>
    (settings.performance === 'mean' ? e.duration?.meanMin : e.duration?.medianMin) ?? 0;
  const maxWait = Math.max(0, ...edges.map(waitOf));
  const nameOf = (k: number) =>
    k === MAP_START ? 'start' : k === MAP_END ? 'end' : (map.activities[k]?.name ?? '');
  const loops = edges.filter((e) => e.from === e.to && e.from >= 0).length;
  const edgeMark = (e: MapEdge) =>
    e.from >= 0 && e.to >= 0 ? marks?.paths.get(pathKey(nameOf(e.from), nameOf(e.to))) : undefined;
  const markedCount =
    (marks ? map.activities.slice(0, map.shown).filter((a) => marks.activities.has(a.name)).length : 0) +
    edges.filter((e) => edgeMark(e) !== undefined).length;
  return (
    <>
      <div className="map-zoom">
        <button type="button" onClick={() => setZoom(Math.max(MIN_SCALE / 2, scale / ZOOM_STEP))}>
          Zoom out
        </button>
        <button type="button" onClick={() => setZoom(Math.min(MAX_SCALE, scale * ZOOM_STEP))}>
          Zoom in
        </button>
        <button type="button" onClick={() => setZoom(null)} aria-pressed={zoom === null}>
          Fit
        </button>
        <span className="field-hint">{Math.round(scale * PERCENT)} %</span>
      </div>
      <ScrollFrame frameRef={frame} busy={stale}>
        <svg
          role="img"
          aria-label={`Process map: ${plural(map.shown, 'activity', 'activities')}, ${plural(edges.length, 'path')}${loops > 0 ? `, ${plural(loops, 'repeat')}` : ''}${markedCount > 0 ? `, ${plural(markedCount, 'place')} marked with what the log shows` : ''}. The figures per step and per flow are in the tables below.`}
          width={layout.width * scale}
          height={layout.height * scale}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          fontSize={FONT}
          className={stale ? 'map-svg stale' : 'map-svg'}
        >
          <defs>
            <marker
              id={markerId}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="12"
              markerHeight="12"
              markerUnits="userSpaceOnUse"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="map-arrowhead" />
            </marker>
          </defs>
          {edges.map((e) => {
            const id = `${nodeId(e.from)}>${nodeId(e.to)}`;
            const route = routes.get(id);
            if (!route) return null;
            const d = route.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
            const figure = edgeFigure(e, measure, settings);
            const width = MIN_STROKE + (MAX_STROKE - MIN_STROKE) * Math.sqrt(e.n / maxN);
            const kind = e.from === e.to ? 'repeat' : 'path';
            const slow =
              measure === 'performance' && e.duration && maxWait > 0 ? waitOf(e) / maxWait : undefined;
            const mark = edgeMark(e);
            return (
              <g
                key={id}
                className={`map-edge ${kind}${mark ? ` map-marked finding-${mark.severity}` : ''}`}
                data-from-name={nameOf(e.from)}
                data-to-name={nameOf(e.to)}
                {...(mark ? { 'data-findings': mark.rules.join(' ') } : {})}
              >
                {mark && (
                  <>
                    <title>{mark.messages.join('\n')}</title>
                    <path d={d} className="map-mark-halo" strokeWidth={width + 6} />
                  </>
                )}
                <path
                  d={d}
                  strokeWidth={width}
                  markerEnd={`url(#${markerId})`}
                  style={slow === undefined ? undefined : { stroke: `hsl(0 ${Math.round(70 * slow)}% 40%)` }}
                />
                {figure && (
                  <text x={route.label.x + 2} y={route.label.y + FONT} className="map-edge-label">
                    {figure}
                  </text>
                )}
              </g>
            );
          })}
          {map.activities.slice(0, map.shown).map((a, k) => {
            const box = placed.get(nodeId(k));
            if (!box) return null;
            const shade = Math.round(97 - 25 * (a.n / maxActivity));
            const mark = marks?.activities.get(a.name);
            return (
              <g
                key={a.name}
                className={`map-activity${mark ? ` map-marked finding-${mark.severity}` : ''}`}
                data-name={a.name}
                {...(mark ? { 'data-findings': mark.rules.join(' ') } : {})}
              >
                <title>{`${a.name}: ${plural(a.n, 'time')} in ${plural(a.cases, 'case')}${a.duration ? `; takes ${formatMinutes(a.duration.medianMin)} (middle value), ${formatMinutes(a.duration.meanMin)} on average` : ''}${mark ? `\n${mark.messages.join('\n')}` : ''}`}</title>
                <rect
                  x={box.x}
                  y={box.y}
                  width={box.width}
                  height={box.height}
                  rx={6}
                  style={{ fill: `hsl(211 70% ${shade}%)` }}
                />
                <text
                  x={box.x + box.width / 2}
                  y={box.y + 18}
                  textAnchor="middle"
                  className="map-activity-name"
                >
                  {shortName(a.name)}
                </text>
                <text
                  x={box.x + box.width / 2}
                  y={box.y + 34}
                  textAnchor="middle"
                  className="map-activity-figure"
                >
                  {activityFigure(a, measure, settings)}
                </text>
                {mark && (
                  <g className="map-mark-badge">
                    <circle cx={box.x + box.width} cy={box.y} r={MARK_RADIUS} />
                    <text x={box.x + box.width} y={box.y + 4} textAnchor="middle">
                      !
                    </text>
                  </g>
                )}
              </g>
            );
          })}
          {(['start', 'end'] as const).map((kind) => {
            const box = placed.get(kind);
            if (!box) return null;
            const cx = box.x + box.width / 2;
            const cy = box.y + box.height / 2;
            return (
              <g key={kind} className={`map-marker ${kind}`}>
                <title>{kind === 'start' ? `Start: ${plural(map.casesDrawn, 'case')}` : 'End'}</title>
                <circle cx={cx} cy={cy} r={box.width / 2} />
                {kind === 'start' ? (
                  <path d={`M${cx - 4},${cy - 7} L${cx + 7},${cy} L${cx - 4},${cy + 7} z`} />
                ) : (
                  <rect x={cx - 6} y={cy - 6} width={12} height={12} />
                )}
              </g>
            );
          })}
        </svg>
      </ScrollFrame>
    </>
  );
}

/** The map's frame: a map wider than the screen scrolls inside it. */
function ScrollFrame({
  frameRef,
  busy,
  children,
}: {
  frameRef: RefObject<HTMLElement | null>;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className="map-frame"
      ref={frameRef}
      aria-busy={busy}
      aria-label="Process map drawing"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it
      tabIndex={0}
    >
      {children}
    </section>
  );
}
