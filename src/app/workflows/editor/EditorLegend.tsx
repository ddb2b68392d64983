/** The editor's legend: step kinds, what is not digital, and the keys of the views switched on. */
import { STEP_KINDS, STEP_MEDIA } from '../../../core/workflow/edit/index.ts';
import { isGateway, type Workflow } from '../../../formats/workflow.ts';
import { type HeatMode, heatScale } from './canvasModel.ts';
import { DriftLegend } from './DriftLegend.tsx';
import type { DriftOverlay } from './driftOverlay.ts';
import type { FindingMarks } from './findingMarks.ts';
import { FindingMarksLegend } from './findingMarkViews.tsx';
import { CHECK_PATH, HOURGLASS_PATH, MEDIUM_ICON_PATHS, PathIcon, StepKindShape } from './icons.tsx';
import { GATEWAY_MEANING, KIND_LABEL, KIND_SHAPE, MEDIUM_LABEL, minutes } from './labels.ts';

/** The views drawn on the diagram, each with its key here when it is on. */
interface EditorLegendProps {
  workflow: Workflow;
  heat: HeatMode;
  marks: FindingMarks | undefined;
  drift: DriftOverlay | undefined;
  /** the go-live check the drift comes from */
  lastCheck: { logName: string; stale: boolean } | null | undefined;
}

/** The legend below the diagram. */
export function EditorLegend({ workflow, heat, marks, drift, lastCheck }: EditorLegendProps) {
  const scale = heatScale(workflow, heat);
  return (
    <section className="wf-legend" aria-labelledby="legend-title">
      <h3 id="legend-title">Legend</h3>
      <div className="wf-legend-groups">
        <div>
          <h4>Step kinds</h4>
          <ul>
            {STEP_KINDS.map((kind) => (
              <li key={kind}>
                <StepKindShape kind={kind}>
                  {kind === 'approval' && <PathIcon d={CHECK_PATH} />}
                  {kind === 'wait' && <PathIcon d={HOURGLASS_PATH} />}
                </StepKindShape>
                {KIND_LABEL[kind]} — {KIND_SHAPE[kind]}
                {isGateway(kind) ? `: ${GATEWAY_MEANING[kind]}` : ''}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4>Not digital: look here first</h4>
          <ul>
            {STEP_MEDIA.filter((m) => m !== 'digital').map((m) => (
              <li key={m}>
                <span className={`wf-badge wf-badge-${m}`}>
                  <PathIcon d={MEDIUM_ICON_PATHS[m as Exclude<typeof m, 'digital'>]} />
                  {MEDIUM_LABEL[m]}
                </span>
              </li>
            ))}
            <li>Dashed flows: a paper document is carried, or data is re-keyed by a person.</li>
          </ul>
        </div>
        {marks && <FindingMarksLegend marks={marks} />}
        {drift && lastCheck && (
          <DriftLegend overlay={drift} logName={lastCheck.logName} stale={lastCheck.stale} />
        )}
        {heat !== 'off' && (
          <div>
            <h4>{heat === 'touch' ? 'Touch time' : 'Wait time'} per step</h4>
            <ul>
              <li>
                <span className="wf-legend-swatch wf-heat-0" aria-hidden="true" /> none
              </li>
              {scale.edges.map((edge, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the buckets are a fixed list; edges repeat when every step has 0 minutes
                <li key={i}>
                  <span className={`wf-legend-swatch wf-heat-${i + 1}`} aria-hidden="true" />
                  {i === 0 ? 'up to' : `${minutes(scale.edges[i - 1] ?? 0)} to`} {minutes(edge)}
                </li>
              ))}
            </ul>
            <p className="field-hint">Each step also shows its minutes as text.</p>
          </div>
        )}
      </div>
    </section>
  );
}
