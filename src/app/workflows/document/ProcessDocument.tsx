import './processDocument.css';
import { useMemo } from 'react';
import {
  comparedPair,
  groupByProcess,
  processOrder,
  type RoleImpact,
  type WorkflowAnalysis,
} from '../../../core/workflow/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { formatCount, plural } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { useWorkflowsHref } from '../../useWorkspaceRoute.ts';
import { METRIC_LABELS, MetricsTable, metricValue } from '../analysis/ComparePanel.tsx';
import { ROLE_STATUS_TEXT } from '../analysis/RoleChecklist.tsx';
import { findingsSummary, SEVERITY_LABELS } from '../analysis/severity.ts';
import { analyseProcess } from '../analysis/useProcessAnalysis.ts';
import { layoutCanvas } from '../editor/canvasModel.ts';
import { useDiagramRoutes } from '../editor/diagramRoutes.ts';
import { diagramSvg, flowsDescription, plainFlows, stepExtents } from '../editor/exportDiagram.ts';
import { ROUTE_ON_OPEN_MAX_STEPS } from '../editor/flowRoutes.ts';
import { KIND_LABEL, MEDIUM_LABEL } from '../editor/labels.ts';
import { Missing } from '../Missing.tsx';
import { processTitle } from '../processHeadline.ts';
import {
  dataItemsText,
  documentSummary,
  groupFindings,
  LANDSCAPE_HEIGHT_PX,
  LANDSCAPE_WIDTH_PX,
  LANE_NAME_BAND,
  MIN_MAP_SCALE,
  mapSlices,
  printScale,
  SLICE_OVERLAP,
  sliceSvgWithLanes,
  svgBox,
  trainingRows,
} from './processDocument.ts';

const STATE_WORD = { current: 'Today', future: 'Planned' } as const;

/**
 * The diagram: on screen whole, scrolling sideways in its box; on paper on landscape pages of its
 * own, after the workflow's steps and findings, scaled to fit a page — or, when that would print
 * its words below {@link MIN_MAP_SCALE}, cut into parts, each repeating the lane names at its left
 * edge. Its flows go along the canvas's routes up to ROUTE_ON_OPEN_MAX_STEPS steps, as the process
 * page's map; a larger workflow's flows are drawn plainly (its parts are many copies of a large
 * picture, and drawing them twice froze the page). The caption says how many are drawn plainly.
 */
function useMapPictures(workflow: Workflow) {
  const layout = useMemo(() => layoutCanvas(workflow), [workflow]);
  const { routes, pending } = useDiagramRoutes(
    workflow,
    layout,
    workflow.steps.length <= ROUTE_ON_OPEN_MAX_STEPS,
  );
  const pictures = useMemo(() => {
    const svg = diagramSvg(workflow, layout, 'off', undefined, routes);
    const steps = stepExtents(layout.steps);
    const lanes = layout.lanes.map((l) => ({ name: l.name, top: l.top, height: l.height }));
    const box = svgBox(svg);
    const url = (text: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
    return {
      whole: { src: url(svg), width: box?.width ?? 0 },
      slices: box
        ? mapSlices(
            box,
            steps,
            LANDSCAPE_WIDTH_PX,
            LANDSCAPE_HEIGHT_PX,
            MIN_MAP_SCALE,
            SLICE_OVERLAP,
            LANE_NAME_BAND,
          ).map((slice) => ({
            width: slice.width * printScale(slice),
            height: slice.height * printScale(slice),
            src: url(sliceSvgWithLanes(svg, box, slice, lanes)),
          }))
        : [],
    };
  }, [workflow, layout, routes]);
  const { drawn, plain } = plainFlows(workflow, layout, routes);
  const lanes = workflow.lanes.map((l) => l.name).join(', ');
  const alt = `Diagram of ${workflow.name}: ${plural(workflow.steps.length, 'step')} in the roles ${lanes}. The steps table lists every step.`;
  const flows = pending
    ? 'drawing the flows around the steps…'
    : flowsDescription(drawn, plain, routes !== undefined);
  return { ...pictures, alt, flows, pending };
}

type MapPictures = ReturnType<typeof useMapPictures>;

function MapFigure({ workflow, pictures }: { workflow: Workflow; pictures: MapPictures }) {
  const { whole, slices, alt, flows, pending } = pictures;
  return (
    <figure className="doc-map" data-flow-routes={pending ? 'pending' : 'current'}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it */}
      <section className="doc-map-screen" aria-label={`Diagram of ${workflow.name}`} tabIndex={0}>
        <img src={whole.src} style={{ width: `${Math.round(whole.width)}px` }} alt={alt} />
      </section>
      <figcaption>
        {workflow.name}
        {slices.length > 1 && (
          <span className="doc-map-parts">
            {' '}
            — printed on {slices.length} landscape pages, top to bottom and then left to right, each repeating
            the edge of its neighbour and the lane names
          </span>
        )}
        <span className="doc-map-flows"> — {flows}</span>
      </figcaption>
    </figure>
  );
}

/**
 * The map's landscape pages (print only): each part scaled to fit its page under a one-line
 * title (how the flows are drawn is in the caption on screen).
 */
function PrintedMap({ workflow, pictures }: { workflow: Workflow; pictures: MapPictures }) {
  const { slices, alt } = pictures;
  return (
    <div className="doc-map-print">
      {slices.map((s, i) => (
        <section key={s.src} className="doc-map-page">
          <p className="doc-map-title">
            {STATE_WORD[workflow.state]}: {workflow.name} — map
            {slices.length > 1 ? `, part ${i + 1} of ${slices.length}` : ''}
          </p>
          <img
            src={s.src}
            style={{ width: `${Math.round(s.width)}px`, aspectRatio: `${s.width} / ${s.height}` }}
            alt={i === 0 ? alt : ''}
          />
        </section>
      ))}
    </div>
  );
}

function StepsTable({ workflow }: { workflow: Workflow }) {
  const order = processOrder(workflow);
  const steps = [...workflow.steps].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const laneName = (id: string) => workflow.lanes.find((l) => l.id === id)?.name ?? id;
  return (
    <TableScroll label={`Steps of ${workflow.name}`}>
      <table className="doc-steps">
        <caption>Steps of {workflow.name}, in process order</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Role</th>
            <th scope="col">Kind</th>
            <th scope="col">How</th>
            <th scope="col">System</th>
            <th scope="col">Staff min</th>
            <th scope="col">Wait min</th>
            <th scope="col">Data typed</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.id}>
              <th scope="row">{step.label}</th>
              <td>{laneName(step.lane)}</td>
              <td>{KIND_LABEL[step.kind]}</td>
              <td>{MEDIUM_LABEL[step.medium]}</td>
              <td>{step.system}</td>
              <td className="num">{formatCount(step.touchMin)}</td>
              <td className="num">{formatCount(step.waitMin)}</td>
              <td>{dataItemsText(step.enters)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * A workflow's findings as one table, a row per root cause (most serious first, then by check):
 * its severity, its check in words with the codes of every check it tripped, and what was found
 * (the message's first sentence, with the steps it names that the sentence does not quote); then,
 * once per check, why it matters.
 */
function Findings({
  workflow,
  baseline,
  findings,
  explained,
}: {
  workflow: Workflow;
  baseline: Workflow | undefined;
  findings: Parameters<typeof groupFindings>[0];
  /** checks whose why an earlier part of the document already says */
  explained: ReadonlySet<string>;
}) {
  const groups = groupFindings(findings, workflow, baseline);
  if (groups.length === 0) return <p>Nothing flagged.</p>;
  const checks = new Map(groups.flatMap((g) => g.rules).map((r) => [r.rule, r] as const));
  const saidBefore = [...checks.keys()].some((rule) => explained.has(rule));
  const toExplain = [...checks.values()].filter((r) => r.why && !explained.has(r.rule));
  return (
    <>
      <p>{findingsSummary(findings)}, one row per root cause; the codes are the checks that flagged it.</p>
      <TableScroll label={`Findings of ${workflow.name}`}>
        <table className="doc-findings">
          <caption>Findings of {workflow.name}, most serious first</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Check</th>
              <th scope="col">What was found</th>
            </tr>
          </thead>
          <tbody>
            {groups.flatMap((g) =>
              g.rules.flatMap((r) =>
                r.findings.map((f, i) => (
                  // two findings can read the same (two steps with one label): the place tells them apart
                  // biome-ignore lint/suspicious/noArrayIndexKey: a printed list, never reordered
                  <tr key={`${i}:${g.severity}:${f.tags.join(',')}:${f.steps.join(',')}:${f.message}`}>
                    <td className={`finding-${g.severity}`}>
                      <span aria-hidden="true">{SEVERITY_LABELS[g.severity].symbol}</span>{' '}
                      {SEVERITY_LABELS[g.severity].one}
                    </td>
                    <td>
                      {r.title}{' '}
                      <span className="doc-codes">
                        {f.tags.map((t, i) => (
                          <span key={t}>
                            {i > 0 && ', '}
                            <code className="rule-id">{t}</code>
                          </span>
                        ))}
                      </span>
                    </td>
                    <td>
                      {f.headline}
                      {f.unquoted.length > 0 && (
                        <span className="doc-steps-named"> Steps: {f.unquoted.join(' → ')}.</span>
                      )}
                    </td>
                  </tr>
                )),
              ),
            )}
          </tbody>
        </table>
      </TableScroll>
      {saidBefore && (
        <p>
          Why {toExplain.length > 0 ? 'the other checks matter' : 'these checks matter'} is said under today’s
          findings.
        </p>
      )}
      {toExplain.length > 0 && (
        <dl className="doc-why">
          {toExplain.map((r) => (
            <div key={r.rule}>
              <dt>
                {r.title} <code className="rule-id">{r.rule}</code>
              </dt>
              <dd>Why it matters: {r.why}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

/**
 * The training checklist of every role in one table: what each does differently or newly, what it
 * no longer does, and the systems and data it must learn (the process page's comparison prints the
 * detailed sheets, one page per role).
 */
function TrainingTable({ roles, processName }: { roles: RoleImpact[]; processName: string }) {
  const cell = (lines: string[]) =>
    lines.length === 0 ? (
      '—'
    ) : (
      <ul className="doc-cell-list">
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: two lines can read the same; a printed list, never reordered
          <li key={`${i}:${line}`}>{line}</li>
        ))}
      </ul>
    );
  return (
    <TableScroll label={`Training checklist of ${processName}`}>
      <table className="doc-training-table">
        <caption>Training checklist by role · {processName}</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Does differently or newly</th>
            <th scope="col">No longer does</th>
            <th scope="col">To learn</th>
          </tr>
        </thead>
        <tbody>
          {trainingRows(roles).map((row) => (
            <tr key={row.id}>
              <th scope="row">
                {row.role}
                <span className="doc-role-status">{ROLE_STATUS_TEXT[row.status]}</span>
              </th>
              <td>{cell(row.does)}</td>
              <td>{cell(row.stops)}</td>
              <td>{cell(row.learns)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** One workflow's part of the document: its map, steps and findings (its map computed once for screen and paper). */
function WorkflowPart({
  workflow,
  analysis: a,
  baseline,
  explained,
}: {
  workflow: Workflow;
  analysis: WorkflowAnalysis | null;
  baseline: Workflow | undefined;
  explained: ReadonlySet<string>;
}) {
  const pictures = useMapPictures(workflow);
  return (
    <section className="doc-workflow" aria-labelledby={`doc-${workflow.id}`}>
      <h3 id={`doc-${workflow.id}`}>
        {STATE_WORD[workflow.state]}: {workflow.name}
      </h3>
      <h4 className="doc-map-heading">Map</h4>
      <MapFigure workflow={workflow} pictures={pictures} />
      <h4>Steps</h4>
      <StepsTable workflow={workflow} />
      <h4>Findings</h4>
      {a && !a.metrics.ok && <p className="error">{a.metrics.problem.message}</p>}
      {a && <Findings workflow={workflow} baseline={baseline} findings={a.findings} explained={explained} />}
      <PrintedMap workflow={workflow} pictures={pictures} />
    </section>
  );
}

/** The first page: what changes, the top findings and the capacity verdict. */
function Summary({
  analysis,
  current,
  future,
}: {
  analysis: ReturnType<typeof analyseProcess>;
  current: Workflow | undefined;
  future: Workflow | undefined;
}) {
  const summary = documentSummary(
    analysis,
    { metricName: (m) => METRIC_LABELS[m].label, metricText: metricValue },
    future,
    current,
  );
  const whose = summary.findingsOf === 'planned' ? 'the planned workflow' : 'today’s workflow';
  return (
    <section className="doc-summary" aria-labelledby="doc-summary">
      <h3 id="doc-summary">Summary</h3>
      <h4>What changes</h4>
      <ul>
        {summary.changes.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: two lines can read the same; a printed list, never reordered
          <li key={`${i}:${line}`}>{line}</li>
        ))}
      </ul>
      <h4>Top findings</h4>
      {summary.topFindings.length === 0 ? (
        <p>Nothing flagged in {whose}.</p>
      ) : (
        <>
          <p>
            The {summary.topFindings.length} most serious of {plural(summary.findingCount, 'finding')} in{' '}
            {whose}:
          </p>
          <ol>
            {summary.topFindings.map((f) => (
              <li key={f.title + f.message}>
                <strong>
                  {SEVERITY_LABELS[f.severity].one}: {f.title}.
                </strong>{' '}
                {f.message}
              </li>
            ))}
          </ol>
        </>
      )}
      <h4>Capacity</h4>
      <p>{summary.capacity}</p>
    </section>
  );
}

/**
 * The printable document of one process (its own address, so it can be linked and reloaded):
 * first a one-page summary (what changes, the top findings, the capacity verdict), then for
 * today's workflow and the planned one, the steps, the findings as a table and the map (on paper
 * on landscape pages of its own); then today against planned per patient, and the training
 * checklist of every role in one table. "Print"
 * hands it to the browser's print dialog (A4 or Letter, or save as PDF); the print style sheet
 * leaves out the app around it.
 */
export function ProcessDocument({ project, process }: { project: Project; process: string }) {
  const workflowsHref = useWorkflowsHref();
  const group = groupByProcess(project.workflows).find(([key]) => key === process)?.[1];
  const { current, future } = comparedPair(group ?? []);
  const settings = project.meta.settings;
  const analysis = useMemo(() => analyseProcess(current, future, settings), [current, future, settings]);
  if (!group) return <Missing what="process" workflows={project.workflows} />;
  const title = processTitle(process);
  const parts = [
    ...(current
      ? [{ workflow: current, analysis: analysis.current, baseline: undefined, explained: new Set<string>() }]
      : []),
    // each check's why is said once, under the first findings that name it
    ...(future
      ? [
          {
            workflow: future,
            analysis: analysis.future,
            baseline: current,
            explained: new Set((analysis.current?.findings ?? []).map((f) => f.rule)),
          },
        ]
      : []),
  ];
  return (
    <article className="process-document" aria-labelledby="doc-title">
      <div className="doc-actions no-print">
        <a href={workflowsHref({ page: 'process', process, tab: 'map' })}>Back to the process</a>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <p className="hint">Print on A4 or Letter, or choose “Save as PDF” in the print dialog.</p>
      </div>
      <header className="doc-head">
        <h2 id="doc-title">Process document: {title}</h2>
        <p>
          {project.meta.name} ·{' '}
          {parts.map((p) => `${STATE_WORD[p.workflow.state]}: ${p.workflow.name}`).join(' · ')}
        </p>
      </header>
      <Summary analysis={analysis} current={current} future={future} />
      <section className="doc-contents" aria-labelledby="doc-contents">
        <h3 id="doc-contents">In this document</h3>
        <ol>
          {parts.map(({ workflow }) => (
            <li key={workflow.id}>
              {STATE_WORD[workflow.state]}: {workflow.name} — steps, findings and map
            </li>
          ))}
          {analysis.comparison && <li>Today vs planned, per patient</li>}
          {analysis.comparison && (
            <li>Training checklist by role: {analysis.comparison.roles.map((r) => r.name).join(', ')}</li>
          )}
        </ol>
      </section>
      {parts.map(({ workflow, analysis: a, baseline, explained }) => (
        <WorkflowPart
          key={workflow.id}
          workflow={workflow}
          analysis={a}
          baseline={baseline}
          explained={explained}
        />
      ))}
      {analysis.comparison && (
        <section className="doc-compare" aria-labelledby="doc-compare">
          <h3 id="doc-compare">Today vs planned</h3>
          {analysis.comparison.metrics.problems.map((p) => (
            <p key={p.state} className="error">
              {STATE_WORD[p.state]}: {p.problem.message}
            </p>
          ))}
          {analysis.comparison.metrics.deltas.length > 0 && (
            <MetricsTable deltas={analysis.comparison.metrics.deltas} />
          )}
          {analysis.comparison.findings && (
            <p>
              The plan resolves {plural(analysis.comparison.findings.resolved.length, 'finding')}, introduces{' '}
              {analysis.comparison.findings.introduced.length} and keeps{' '}
              {analysis.comparison.findings.persisting.length +
                analysis.comparison.findings.carriedOver.length}
              .
            </p>
          )}
        </section>
      )}
      {analysis.comparison && (
        <section className="doc-training" aria-labelledby="doc-training">
          <h3 id="doc-training">Training checklist by role</h3>
          <p>
            What each role does differently with the planned workflow. The process page’s comparison prints a
            detailed sheet per role, one page each.
          </p>
          <TrainingTable roles={analysis.comparison.roles} processName={analysis.comparison.future.name} />
        </section>
      )}
    </article>
  );
}
