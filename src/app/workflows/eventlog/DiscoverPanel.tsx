/**
 * "Discover from an event log": read a log in the worker, show how it was read and what went
 * wrong (rows, never values), measure the workflow it shows (steps with their times, flows with
 * their shares, lanes, arrivals), narrow it with filters, map people to roles, and add it to the
 * project as a current workflow.
 *
 * The result has two views with their own addresses, the process map (frequency or performance)
 * and the variants; the step and flow tables follow them. Filters apply to all of them.
 *
 * A chosen file is compared with the one the map kept in the project was measured from, and the
 * kept map stays on screen (and in the project) until a discovery of the chosen file succeeds: a
 * failed or empty discovery never replaces it.
 *
 * Constraint: filters, the map's activity slider and the role map re-run discovery as a job (the
 * worker keeps the log it read: nothing of it is kept on the page); a change is applied after a
 * short pause so dragging a slider does not start a job per step. The map's path slider needs no
 * job: it chooses among the paths already measured.
 */
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DiscoverOutcome, MapRequest } from '../../../../workers/eventLogApi.ts';
import {
  type ColumnMapping,
  createTimeZone,
  isXesName,
  keptLogMap,
  type LogFilters,
} from '../../../core/workflow/eventlog/index.ts';
import {
  logFindingMarks,
  logFindings,
  resolveProjectAnalysisSettings,
} from '../../../core/workflow/index.ts';
import type { LogMap, Project } from '../../../formats/project.ts';
import { isBoundaryFlow, type Workflow } from '../../../formats/workflow.ts';
import { formatCount, plural } from '../../common/format.ts';
import { NumberField } from '../../common/NumberField.tsx';
import { TableScroll } from '../../common/TableScroll.tsx';
import { Tabs } from '../../common/Tabs.tsx';
import { DISCOVER_VIEWS, type DiscoverView, type MapMeasure, type WorkflowsPlace } from '../../route.ts';
import { navigate, useWorkflowsHref } from '../../useWorkspaceRoute.ts';
import { AttributeFilterField, describeAttributeChoices } from './AttributeFilterField.tsx';
import { BackTestPanel } from './BackTestPanel.tsx';
import { BoundaryChances } from './BoundaryChances.tsx';
import { formatMinutes, formatShare } from './driftReport.ts';
import {
  type Answered,
  answerOf,
  attributeChoices,
  DISCOVER_KIND,
  type DiscoverRequest,
  discoverJob,
  type FilterForm,
  useLogJob,
} from './eventLogJobs.ts';
import { JobProgress, RunAndCancel } from './JobProgress.tsx';
import { type KeptFileMatch, useKeptFileMatch } from './keptMap.ts';
import { LogAccountList } from './LogAccountList.tsx';
import { LogFindingsList } from './LogFindingsList.tsx';
import {
  AtomicEventsNote,
  FewCasesNote,
  LogProblems,
  type LogSetup,
  LogSourceForm,
  mappingComplete,
  TIME_FORMAT_LABELS,
} from './LogSourceForm.tsx';
import { OcelReadingNote } from './OcelSourceFields.tsx';
import { DEFAULT_MAP_SETTINGS, type MapSettings, ProcessMapView } from './ProcessMapView.tsx';
import { VariantsList } from './VariantsList.tsx';

const PERCENT = 100;
/** Flows listed (the most frequent); a log of many activities has thousands, all kept in the workflow. */
const MAX_FLOWS_SHOWN = 60;
const MS_PER_DAY = 86_400_000;
/** Pause after a filter change before discovery runs again. */
const FILTER_PAUSE_MS = 500;
/** Monday to Friday (0 = Sunday). */
const WEEKDAYS = [1, 2, 3, 4, 5] as const;

const NO_FILTERS: FilterForm = {
  coverage: 100,
  minActivity: 1,
  from: '',
  to: '',
  workingHours: false,
  startHour: 8,
  endHour: 18,
  workingTime: false,
  mapActivities: 100,
  variants: [],
};

/**
 * The map's settings as last left, for the page's lifetime: a visit to another workspace unmounts
 * the panel, and the analyst comes back to the map as they left it (the discovery job keeps the
 * rest of the result).
 */
let lastMapSettings: MapSettings = DEFAULT_MAP_SETTINGS;

/** The process map the form asks for: its activity share and, if chosen, the opening hours. */
function toMapRequest(form: FilterForm): MapRequest {
  return {
    activityShare: form.mapActivities / PERCENT,
    ...(form.workingTime && form.startHour < form.endHour
      ? { openingHours: { days: WEEKDAYS, startHour: form.startHour, endHour: form.endHour } }
      : {}),
  };
}

/** The form's filters as discovery takes them; dates are local days in the log's zone. */
function toFilters(form: FilterForm, timeZone: string): { filters: LogFilters; problem?: string } {
  const filters: LogFilters = {};
  if (form.coverage < PERCENT) filters.variantCoverage = form.coverage / PERCENT;
  if (form.minActivity > 1) filters.minActivityCount = form.minActivity;
  if (form.variants.length > 0) filters.variants = form.variants;
  const conditions = attributeChoices(form);
  if (conditions.length > 0) filters.attributes = conditions;
  if (form.workingHours) {
    if (form.startHour >= form.endHour)
      return { filters, problem: 'The working day must end after it starts; working hours are not applied.' };
    filters.workingHours = { days: WEEKDAYS, startHour: form.startHour, endHour: form.endHour };
  }
  if (form.from || form.to) {
    let zone: (local: number) => number;
    try {
      zone = createTimeZone(timeZone || 'UTC');
    } catch {
      return {
        filters,
        problem: 'The time zone is not one Preflight knows, so the dates cannot be applied.',
      };
    }
    const day = (text: string) => {
      const [y, m, d] = text.split('-').map(Number) as [number, number, number];
      return zone(Date.UTC(y, m - 1, d));
    };
    filters.dateRange = {
      ...(form.from ? { from: day(form.from) } : {}),
      // "on or before" the chosen day: up to the start of the next
      ...(form.to ? { to: day(form.to) + MS_PER_DAY } : {}),
    };
  }
  return { filters };
}

/**
 * The mapping, also keeping the columns the conditions name: a kept map's condition on a column
 * finds its values when the file is chosen again, whether or not the column was ticked.
 */
function withConditionColumns(mapping: ColumnMapping, conditions: LogFilters['attributes']): ColumnMapping {
  const named = (conditions ?? []).flatMap((c) =>
    c.attribute === 'column' && c.column !== undefined ? [c.column] : [],
  );
  const keep = [...new Set([...(mapping.keep ?? []), ...named])];
  return keep.length > 0 ? { ...mapping, keep } : mapping;
}

/** Arrivals per hour for reading: two significant digits below 10. */
function formatRate(perHour: number): string {
  return perHour >= 10 ? formatCount(Math.round(perHour)) : String(Number(perHour.toPrecision(2)));
}

/** A workflow id not yet in the project, from its name. */
function freeId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'discovered-current';
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  return id;
}

/** The discovery panel (see the file header). */
export function DiscoverPanel({
  project,
  view = 'map',
  measure = 'frequency',
  onWorkflowChange,
}: {
  project: Project;
  /** the result's view and the map's measure, as the address names them */
  view?: DiscoverView;
  measure?: MapMeasure;
  /** adds the workflow to the project; absent: read-only (the demo) */
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const { ready, job, start, cancel } = useLogJob<DiscoverRequest>(DISCOVER_KIND, discoverJob);
  const answer = answerOf<DiscoverRequest, DiscoverOutcome>(job, DISCOVER_KIND);
  const [setup, setSetup] = useState<LogSetup | null>(() => answer?.request ?? null);
  const [skipBadRows, setSkipBadRows] = useState(() => answer?.request.skipBadRows ?? false);
  const kept = keptLogMap(project.logMaps);
  // after a reload the kept map's filters are the starting point for the file chosen again
  const [form, setForm] = useState<FilterForm>(() => ({
    ...NO_FILTERS,
    ...(answer?.request.form ?? kept?.filters),
  }));
  const [mapSettings, setMapSettingsState] = useState<MapSettings>(() => lastMapSettings);
  const setMapSettings = (settings: MapSettings) => {
    lastMapSettings = settings;
    setMapSettingsState(settings);
  };
  const [roleMap, setRoleMap] = useState<Record<string, string>>(() => ({
    ...(answer?.request.read.roleMap ?? {}),
  }));
  const running = job?.status === 'running';
  const { filters, problem: filterProblem } = toFilters(form, setup?.read.timeZone ?? 'UTC');
  const canRun = ready && setup !== null && mappingComplete(setup.read.mapping);

  const mapRequest = toMapRequest(form);
  const request = (): DiscoverRequest | null =>
    setup
      ? {
          ...setup,
          read: {
            ...setup.read,
            mapping: withConditionColumns(setup.read.mapping, filters.attributes),
            ...(Object.keys(roleMap).length > 0 ? { roleMap: cleanRoleMap(roleMap) } : {}),
          },
          skipBadRows,
          form,
          filters,
          map: mapRequest,
          projectId: project.meta.id,
          chancesFor: project.workflows.filter(hasExceptionPaths),
        }
      : null;
  // filters and the map's activities change the result: re-run after a pause, once one is shown
  const filterKey = JSON.stringify([filters, mapRequest]);
  const shownKey = useRef(filterKey);
  const run = () => {
    const r = canRun ? request() : null;
    if (!r) return;
    shownKey.current = JSON.stringify([r.filters, r.map]);
    start(r);
  };
  const runRef = useRef(run);
  runRef.current = run;
  // only a result of the file chosen now is re-run: a pause still pending when another file is
  // chosen must not start that file with its columns half chosen
  const hasResult = answer?.outcome.ok === true && answer.request.file === setup?.file && canRun;
  const hasResultNow = useRef(hasResult);
  hasResultNow.current = hasResult;
  useEffect(() => {
    if (!hasResult || filterKey === shownKey.current) return;
    const timer = setTimeout(() => {
      // a file chosen meanwhile is rendered before this effect is cleaned up: the timer can fire
      // in between, and must not start the new file with the columns Preflight proposed
      if (!hasResultNow.current) return;
      shownKey.current = filterKey;
      runRef.current();
    }, FILTER_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [filterKey, hasResult]);

  const chosenFile = setup?.file;
  const match = useKeptFileMatch(chosenFile, kept);
  const ofChosen = answer && answer.request.file === chosenFile ? answer : null;
  const showsResult = ofChosen?.outcome.ok === true && ofChosen.outcome.filters.casesAfter > 0;
  const chosenReading = ofChosen?.outcome.reading;
  const attributeValues = chosenReading
    ? {
        role: chosenReading.roles ?? [],
        system: chosenReading.systems ?? [],
        columns: chosenReading.kept ?? [],
      }
    : null;
  // the counts are the result's only while it was measured with the conditions as they stand
  const shownSummary = ofChosen?.outcome.ok ? ofChosen.outcome.filters : undefined;
  const attributeCounts =
    shownSummary?.attributeCounts !== undefined &&
    JSON.stringify(ofChosen?.request.filters.attributes) === JSON.stringify(filters.attributes)
      ? {
          each: shownSummary.attributeCounts,
          together: shownSummary.attributeCases,
          of: shownSummary.casesBefore,
        }
      : undefined;
  const headingId = useId();
  return (
    <section className="eventlog-panel" aria-labelledby={headingId}>
      <h4 id={headingId}>Discover today's workflow from an event log</h4>
      <p>
        Most EHRs and practice-management systems can export an audit or event log: one row per thing done,
        with the visit it belongs to and when. Preflight reads it here, on this computer, and shows how work
        really flows — which steps, in what order, how long each takes and how long patients wait between
        them.
      </p>
      <LogSourceForm legend="The log" setup={setup} onSetup={setSetup} disabled={running} />
      {kept && match && !showsResult && <KeptFileNote match={match} kept={kept} />}
      {setup && (
        <fieldset className="scenario">
          <legend>Filters</legend>
          <div className="field-grid">
            <RangeField
              label="Keep the most common paths"
              value={form.coverage}
              onValue={(coverage) => setForm({ ...form, coverage })}
              valueText={`${form.coverage} % of cases`}
              hint="Lower it to hide rare paths and see the main flow. 100 % keeps every case."
            />
            <NumberField
              label="Leave out activities seen fewer times than"
              value={form.minActivity}
              step="1"
              rule={{ what: 'number of times', min: 1, max: 1_000_000_000, integer: true }}
              onValue={(minActivity) => setForm({ ...form, minActivity })}
              hint="1 keeps every activity"
            />
            <DateField
              label="Cases started on or after"
              value={form.from}
              onValue={(from) => setForm({ ...form, from })}
            />
            <DateField
              label="Cases started on or before"
              value={form.to}
              onValue={(to) => setForm({ ...form, to })}
            />
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.workingHours}
              onChange={(e) => setForm({ ...form, workingHours: e.target.checked })}
            />{' '}
            Working hours only (Monday to Friday)
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.workingTime}
              onChange={(e) => setForm({ ...form, workingTime: e.target.checked })}
            />{' '}
            Count waits on the map in opening hours only (Monday to Friday)
          </label>
          {(form.workingHours || form.workingTime) && (
            <div className="field-grid">
              <NumberField
                label="Working day starts at (hour, 0–23)"
                value={form.startHour}
                step="1"
                rule={{ what: 'starting hour', min: 0, max: 23, integer: true }}
                onValue={(startHour) => setForm({ ...form, startHour })}
              />
              <NumberField
                label="Working day ends at (hour, 1–24)"
                value={form.endHour}
                step="1"
                rule={{ what: 'ending hour', min: 1, max: 24, integer: true }}
                onValue={(endHour) => setForm({ ...form, endHour })}
              />
            </div>
          )}
          <AttributeFilterField
            choices={attributeChoices(form)}
            onChoices={(attributes) => {
              // the older single condition becomes the first of the stack
              const { attribute: _, attributes: __, ...rest } = form;
              setForm(attributes.length > 0 ? { ...rest, attributes } : rest);
            }}
            values={attributeValues}
            counts={attributeCounts}
          />
          {filterProblem && (
            <p className="error" role="alert">
              {filterProblem}
            </p>
          )}
        </fieldset>
      )}
      <RunAndCancel
        label={answer && answer.request.file === setup?.file ? 'Discover again' : 'Discover the workflow'}
        canRun={canRun}
        running={running}
        onRun={run}
        onCancel={cancel}
      >
        {setup && !mappingComplete(setup.read.mapping) && (
          <p className="field-hint">Choose the case id, activity and time columns first.</p>
        )}
      </RunAndCancel>
      <JobProgress job={job} what="Reading the log" failedPrefix="Discovery stopped" />
      {/* a result of another file than the one chosen now would mislead */}
      {ofChosen && (
        <DiscoveryResult
          answer={ofChosen}
          project={project}
          skipBadRows={skipBadRows}
          onSkipBadRows={(skip) => {
            setSkipBadRows(skip);
            const r = request();
            if (r) start({ ...r, skipBadRows: skip });
          }}
          roleMap={roleMap}
          onRoleMap={setRoleMap}
          onApplyRoles={run}
          onWorkflowChange={onWorkflowChange}
          views={{
            view,
            measure,
            mapSettings,
            onMapSettings: setMapSettings,
            activities: form.mapActivities,
            onActivities: (mapActivities) => setForm({ ...form, mapActivities }),
            chosenVariants: form.variants,
            onChooseVariants: (variants) => setForm({ ...form, variants }),
          }}
        />
      )}
      {!showsResult && kept && (
        <KeptMap
          kept={kept}
          situation={!setup ? 'no-file' : running ? 'running' : ofChosen ? 'unchanged' : 'not-run'}
          view={view}
          measure={measure}
          mapSettings={mapSettings}
          onMapSettings={setMapSettings}
        />
      )}
    </section>
  );
}

/** A date-time as the clinic reads it, on this computer's clock: "14 Mar 2025, 16:20". */
function formatMeasuredAt(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The place of a view of the discovery result (the map's default measure names none). */
function viewPlace(view: DiscoverView, measure: MapMeasure): WorkflowsPlace {
  return {
    page: 'logs',
    tool: 'discover',
    view,
    ...(view === 'map' && measure !== 'frequency' ? { measure } : {}),
  };
}

/** Navigates to a view of the discovery result. */
function goToView(view: DiscoverView, measure: MapMeasure, options?: { replace?: boolean }) {
  navigate({ workspace: 'workflows', place: viewPlace(view, measure) }, options);
}

/** Whether a workflow has an exception path (a boundary event) whose chance a log can measure. */
function hasExceptionPaths(workflow: Workflow): boolean {
  const steps = new Map(workflow.steps.map((s) => [s.id, s] as const));
  return workflow.flows.some((f) => isBoundaryFlow(f, steps));
}

/** Says whether the chosen file is the one the kept map was measured from, before discovery. */
function KeptFileNote({ match, kept }: { match: KeptFileMatch | 'comparing' | 'unreadable'; kept: LogMap }) {
  const measured = `measured from ${kept.log.name} on ${formatMeasuredAt(kept.measuredAt)}`;
  return (
    <p className="kept-file-note" role="status">
      {match === 'comparing'
        ? `Comparing this file with the kept map’s (${measured})…`
        : match === 'same'
          ? `Same file as the kept map (${measured}). The kept map stays until a new discovery finishes.`
          : match === 'different'
            ? `A different file from the kept map (${measured}). Discovering replaces the kept map once it finishes; until then, and if it fails, the kept map stays.`
            : `This file could not be read to compare it with the kept map (${measured}). Choose it again; the kept map stays as it is.`}
    </p>
  );
}

/** Why the kept map is on screen, for its note. */
type KeptSituation = 'no-file' | 'not-run' | 'running' | 'unchanged';

/**
 * The map kept in the project from the last discovery, shown until a discovery of the chosen file
 * succeeds: the same map and variants, the path slider (it needs only the measured paths); what
 * needs the events (the activity slider, choosing variants, the filters) says to choose the file
 * again.
 */
function KeptMap({
  kept,
  situation,
  view,
  measure,
  mapSettings,
  onMapSettings,
}: {
  kept: LogMap;
  situation: KeptSituation;
  view: DiscoverView;
  measure: MapMeasure;
  mapSettings: MapSettings;
  onMapSettings: (settings: MapSettings) => void;
}) {
  const workflowsHref = useWorkflowsHref();
  return (
    <section className="discovery-result" aria-label="Kept process map">
      <p className="kept-map-note" role="status">
        {situation === 'unchanged' ? 'The kept map is unchanged: measured' : 'Measured'} from {kept.log.name}{' '}
        on {formatMeasuredAt(kept.measuredAt)}
        {situation === 'no-file'
          ? '; choose the file again to change filters that need the events.'
          : situation === 'running'
            ? '; shown until the new discovery finishes.'
            : situation === 'not-run'
              ? '; discover the workflow to measure the chosen file.'
              : '.'}
        {attributeChoices(kept.filters).some((c) => c.values.length > 0) &&
          ` ${describeAttributeChoices(attributeChoices(kept.filters))}`}
      </p>
      <Tabs
        label="Views of the log"
        tabs={DISCOVER_VIEWS}
        selected={view}
        onSelect={(id, options) => goToView(id, measure, options)}
        hrefOf={(id) => workflowsHref(viewPlace(id, measure))}
      >
        {view === 'map' ? (
          <ProcessMapView
            map={kept.map}
            measure={measure}
            measureHref={(m) => workflowsHref(viewPlace('map', m))}
            settings={mapSettings}
            onSettings={onMapSettings}
            activities={kept.filters.mapActivities}
          />
        ) : (
          <VariantsList map={kept.map} chosen={kept.filters.variants} />
        )}
      </Tabs>
    </section>
  );
}

/** Roles typed by the user, blanks left out (a blank keeps the person's own name). */
function cleanRoleMap(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
}

function RangeField({
  label,
  value,
  onValue,
  valueText,
  hint,
}: {
  label: string;
  value: number;
  onValue: (value: number) => void;
  valueText: string;
  hint: string;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}: <output htmlFor={id}>{valueText}</output>
      </label>
      <input
        id={id}
        type="range"
        min={1}
        max={100}
        step={1}
        value={value}
        aria-valuetext={valueText}
        aria-describedby={hintId}
        onChange={(e) => onValue(Number(e.target.value))}
      />
      <p className="field-hint" id={hintId}>
        {hint}
      </p>
    </div>
  );
}

function DateField({
  label,
  value,
  onValue,
}: {
  label: string;
  value: string;
  onValue: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} onChange={(e) => onValue(e.target.value)} />
    </div>
  );
}

function DiscoveryResult({
  answer,
  project,
  skipBadRows,
  onSkipBadRows,
  roleMap,
  onRoleMap,
  onApplyRoles,
  onWorkflowChange,
  views,
}: {
  views: ResultViews;
  answer: Answered<DiscoverRequest, DiscoverOutcome>;
  project: Project;
  skipBadRows: boolean;
  onSkipBadRows: (skip: boolean) => void;
  roleMap: Record<string, string>;
  onRoleMap: (map: Record<string, string>) => void;
  onApplyRoles: () => void;
  onWorkflowChange?: (workflow: Workflow) => void;
}) {
  const workflowsHref = useWorkflowsHref();
  const { outcome, request } = answer;
  // positions in an XES or OCEL log are event numbers, not rows
  const xes = isXesName(request.file.name) || request.preview.kind === 'ocel';
  const reading = outcome.reading;
  // a log without times: its frequencies and variants only; a workflow's times (and the findings
  // measured from them) would be invented
  const untimed = outcome.ok && outcome.map?.untimed === true;
  const mapViews =
    outcome.ok &&
    (outcome.map ? (
      <Tabs
        label="Views of the log"
        tabs={DISCOVER_VIEWS}
        selected={views.view}
        onSelect={(id, options) => goToView(id, views.measure, options)}
        hrefOf={(id) => workflowsHref(viewPlace(id, views.measure))}
      >
        {views.view === 'map' ? (
          <ProcessMapView
            map={outcome.map}
            {...(outcome.waits ? { waits: outcome.waits } : {})}
            measure={views.measure}
            measureHref={(m) => workflowsHref(viewPlace('map', m))}
            settings={views.mapSettings}
            onSettings={views.onMapSettings}
            activities={views.activities}
            onActivities={views.onActivities}
            {...(untimed
              ? {}
              : {
                  marks: logFindingMarks(
                    outcome.workflow,
                    logFindings(
                      outcome.workflow,
                      undefined,
                      resolveProjectAnalysisSettings(project.meta.settings).settings,
                    ),
                  ),
                })}
          />
        ) : (
          <VariantsList map={outcome.map} chosen={views.chosenVariants} onChoose={views.onChooseVariants} />
        )}
      </Tabs>
    ) : null);
  return (
    <section className="discovery-result" aria-label="Discovered workflow">
      {reading && (
        <p>
          Read {plural(reading.rows, xes ? 'event' : 'row')}: {plural(reading.cases, 'case')},{' '}
          {plural(reading.activities.length, 'kind of activity', 'kinds of activity')}
          {reading.timestamps.format
            ? `; times read as ${TIME_FORMAT_LABELS[reading.timestamps.format]}`
            : ''}
          {` in ${reading.timestamps.timeZone === 'UTC' ? 'UTC' : reading.timestamps.timeZone}`}.
        </p>
      )}
      {reading && <FewCasesNote setup={request} reading={reading} />}
      {reading && <AtomicEventsNote reading={reading} />}
      {reading && <OcelReadingNote reading={reading} />}
      {reading && (
        <LogProblems reading={reading} xes={xes} skipBadRows={skipBadRows} onSkipBadRows={onSkipBadRows} />
      )}
      {reading && <LogAccountList account={reading.account} />}
      {!outcome.ok && (
        <p className="error" role="alert">
          {outcome.message}{' '}
          {reading?.problems.length
            ? 'Fix the problems listed above in the file, or change the columns or time format.'
            : ''}
        </p>
      )}
      {outcome.ok && outcome.filters.casesAfter === 0 && (
        <p className="error" role="alert">
          The filters leave none of the {formatCount(outcome.filters.casesBefore)} cases. Widen the dates, the
          working hours, the roles or systems, or the share of paths kept.
        </p>
      )}
      {outcome.ok && outcome.filters.casesAfter > 0 && untimed && mapViews}
      {outcome.ok && outcome.filters.casesAfter > 0 && !untimed && (
        <>
          <DiscoveredWorkflow workflow={outcome.workflow} summary={outcome.filters}>
            <LogFindingsList workflow={outcome.workflow} projectSettings={project.meta.settings} />
            {mapViews}
          </DiscoveredWorkflow>
          <BackTestPanel request={request} />
          {(outcome.boundaryChances ?? []).map(({ workflowId, estimates }) => {
            // the project's copy as it is now (the chances may have been set since)
            const current = project.workflows.find((w) => w.id === workflowId);
            if (!current || !estimates.some((e) => e.estimate)) return null;
            return (
              <BoundaryChances
                key={workflowId}
                estimates={estimates}
                workflow={current}
                logName={request.file.name}
                {...(onWorkflowChange ? { onWorkflowChange } : {})}
              />
            );
          })}
          {request.read.mapping.resource && reading && reading.resources.length > 0 && (
            <RoleMapEditor
              resources={reading.resources}
              roleMap={roleMap}
              onRoleMap={onRoleMap}
              onApply={onApplyRoles}
            />
          )}
          {onWorkflowChange && (
            <AdoptForm workflow={outcome.workflow} project={project} onWorkflowChange={onWorkflowChange} />
          )}
        </>
      )}
    </section>
  );
}

/** The result's views as the address and the page hold them. */
interface ResultViews {
  view: DiscoverView;
  measure: MapMeasure;
  mapSettings: MapSettings;
  onMapSettings: (settings: MapSettings) => void;
  activities: number;
  onActivities: (percent: number) => void;
  chosenVariants: string[][];
  onChooseVariants: (variants: string[][]) => void;
}

export function DiscoveredWorkflow({
  workflow,
  summary,
  children,
}: {
  /** the map and variants views, between the summary and the tables */
  children: ReactNode;
  workflow: Workflow;
  summary: Extract<DiscoverOutcome, { ok: true }>['filters'];
}) {
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const lane = (id: string) => workflow.lanes.find((l) => l.id === id)?.name ?? id;
  const steps = workflow.steps.filter((s) => s.kind !== 'start' && s.kind !== 'end');
  const allFlows = [...workflow.flows].sort((a, b) => (b.observed?.n ?? 0) - (a.observed?.n ?? 0));
  const flows = allFlows.slice(0, MAX_FLOWS_SHOWN);
  const filtered =
    summary.casesAfter < summary.casesBefore || summary.instancesAfter < summary.instancesBefore;
  return (
    <>
      <p role="status">
        {filtered
          ? `The filters keep ${formatCount(summary.casesAfter)} of ${plural(summary.casesBefore, 'case')} and ${formatCount(summary.variantsKept)} of ${plural(summary.variants, 'path')}.`
          : `Every case is kept: ${plural(summary.casesAfter, 'case')} along ${plural(summary.variants, 'different path')}.`}
        {summary.droppedActivities.length > 0 &&
          ` Left out as rare: ${summary.droppedActivities.join(', ')}.`}{' '}
        New cases in the busiest hour of the day: {formatRate(workflow.arrivalsPerHour)} on average.{' '}
        {plural(workflow.lanes.length, 'lane')} from who did the work:{' '}
        {workflow.lanes.map((l) => l.name).join(', ')}.
      </p>
      {children}
      <TableScroll label="Discovered steps">
        <table className="wide">
          <caption>Steps as measured (average, middle value, and the time 9 in 10 stay under)</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Role</th>
              <th scope="col">Times done</th>
              <th scope="col">Cases</th>
              <th scope="col">Staff time: average</th>
              <th scope="col">middle</th>
              <th scope="col">9 in 10</th>
              <th scope="col">Wait before: average</th>
              <th scope="col">middle</th>
              <th scope="col">9 in 10</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.label}</th>
                <td>{lane(s.lane)}</td>
                <td>{formatCount(s.observed?.n ?? 0)}</td>
                <td>{formatCount(s.observed?.cases ?? 0)}</td>
                <td>{formatMinutes(s.observed?.touch?.meanMin)}</td>
                <td>{formatMinutes(s.observed?.touch?.medianMin)}</td>
                <td>{formatMinutes(s.observed?.touch?.p90Min)}</td>
                <td>{formatMinutes(s.observed?.wait?.meanMin)}</td>
                <td>{formatMinutes(s.observed?.wait?.medianMin)}</td>
                <td>{formatMinutes(s.observed?.wait?.p90Min)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <TableScroll label="Discovered flows">
        <table>
          <caption>
            What follows what (share: of everything that follows the first step)
            {allFlows.length > flows.length &&
              `: the ${flows.length} most frequent of ${formatCount(allFlows.length)}, all kept in the workflow`}
          </caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Then</th>
              <th scope="col">Times</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={`${f.from}>${f.to}`}>
                <td>{label(f.from)}</td>
                <td>{label(f.to)}</td>
                <td>{formatCount(f.observed?.n ?? 0)}</td>
                <td>{f.probability === undefined ? '—' : formatShare(f.probability)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function RoleMapEditor({
  resources,
  roleMap,
  onRoleMap,
  onApply,
}: {
  resources: string[];
  roleMap: Record<string, string>;
  onRoleMap: (map: Record<string, string>) => void;
  onApply: () => void;
}) {
  const headingId = useId();
  return (
    <section className="role-map" aria-labelledby={headingId}>
      <h5 id={headingId}>Who did the work → roles</h5>
      <p>
        Where the log names people, give each their role (front desk, nurse, physician…). People with the same
        role share a lane. Leave a field empty to keep the name as it is.
      </p>
      <TableScroll label="Roles of the people in the log">
        <table>
          <thead>
            <tr>
              <th scope="col">In the log</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {resources.map((r) => (
              <tr key={r}>
                <th scope="row">{r}</th>
                <td>
                  <input
                    autoComplete="off"
                    type="text"
                    aria-label={`Role of ${r}`}
                    value={roleMap[r] ?? ''}
                    onChange={(e) => onRoleMap({ ...roleMap, [r]: e.target.value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <button type="button" onClick={onApply}>
        Apply the roles
      </button>
    </section>
  );
}

function AdoptForm({
  workflow,
  project,
  onWorkflowChange,
}: {
  workflow: Workflow;
  project: Project;
  onWorkflowChange: (workflow: Workflow) => void;
}) {
  const nameId = useId();
  const processId = useId();
  const listId = useId();
  const [name, setName] = useState('');
  const [process, setProcess] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const processes = useMemo(
    () => [...new Set(project.workflows.map((w) => w.process).filter((p): p is string => Boolean(p)))],
    [project.workflows],
  );
  const processKey = process.trim();
  const clash = project.workflows.find((w) => w.state === 'current' && (w.process ?? w.id) === processKey);
  const problem =
    name.trim() === ''
      ? 'Give the workflow a name.'
      : processKey === ''
        ? 'Name the process, such as patient-intake.'
        : clash
          ? `The process “${processKey}” already has a current workflow, “${clash.name}”. Choose another process name.`
          : null;
  const adopt = () => {
    if (problem) return;
    const id = freeId(name, new Set(project.workflows.map((w) => w.id)));
    onWorkflowChange({ ...workflow, id, name: name.trim(), process: processKey, state: 'current' });
    setAdded(
      `“${name.trim()}” is now the current workflow of ${processKey}: see it below with its analysis.`,
    );
  };
  return (
    <form
      className="adopt"
      aria-label="Use as the current workflow"
      onSubmit={(e) => {
        e.preventDefault();
        adopt();
      }}
    >
      <h5>Use as the current workflow</h5>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={nameId}>Name</label>
          <input
            autoComplete="off"
            id={nameId}
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={processId}>Process</label>
          <input
            autoComplete="off"
            id={processId}
            type="text"
            list={listId}
            value={process}
            spellCheck={false}
            onChange={(e) => setProcess(e.target.value)}
          />
          <datalist id={listId}>
            {processes.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
          <p className="field-hint">A planned workflow of the same process is compared with it.</p>
        </div>
      </div>
      {problem && (name !== '' || process !== '') && <p className="field-hint">{problem}</p>}
      <button type="submit" className="primary" disabled={problem !== null}>
        Use as the current workflow
      </button>
      {added && <p role="status">{added}</p>}
    </form>
  );
}
