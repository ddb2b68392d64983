/**
 * The legend of the drift overlay: what each mark drawn from the last go-live check means, in
 * words (the marks never rely on colour), and which log they come from.
 */
import { CLOCK_PATH, SKIP_PATH, WORKAROUND_PATH } from './driftNodes.tsx';
import type { DriftOverlay } from './driftOverlay.ts';
import { PathIcon } from './icons.tsx';

/** The drift group of the editor's legend. */
export function DriftLegend({
  overlay,
  logName,
  stale = false,
}: {
  overlay: DriftOverlay;
  logName: string;
  /** the workflow changed since the check: the marks are out of date */
  stale?: boolean;
}) {
  const cases = overlay.comparedCases.toLocaleString('en-US');
  return (
    <div className="wf-legend-drift">
      <h4>Drift from the go-live log</h4>
      <p>
        From the check of {logName}: {cases} {overlay.comparedCases === 1 ? 'case' : 'cases'} compared with
        this design.
      </p>
      {stale && (
        <p className="wf-drift-stale" role="note">
          <strong>Out of date:</strong> the workflow has changed since this check, so these marks may point at
          steps or times that are no longer planned. Check a log again to bring them up to date.
        </p>
      )}
      <ul>
        <li>
          <span className="wf-drift-line is-drift">
            <PathIcon d={SKIP_PATH} />
            Skipped in 30 % of cases
          </span>{' '}
          the share of cases that left the step out.
        </li>
        <li>
          <span className="wf-drift-line">
            <PathIcon d={CLOCK_PATH} />
            Staff time 6 min, planned 4 min (200 measured)
          </span>{' '}
          the typical (middle) time in the log against the plan, and how many times it was measured; in bold
          when slower than planned.
        </li>
        <li>
          <span className="wf-workaround wf-workaround-sample">
            <PathIcon d={WORKAROUND_PATH} />
            <span className="wf-workaround-text">
              <span className="wf-workaround-kind">Not in the design</span>
              <span className="wf-workaround-name">Call the lab</span>
            </span>
          </span>{' '}
          work the design does not have (a likely workaround), drawn beside the step it followed, with how
          often.
        </li>
      </ul>
      {overlay.unplaced > 0 && (
        <p>
          {overlay.unplaced.toLocaleString('en-US')} more times, work not in the design followed steps removed
          since the check; they are not drawn.
        </p>
      )}
      <p className="field-hint">
        These marks show the check only: they are not part of the workflow and are not saved with it.
      </p>
    </div>
  );
}
