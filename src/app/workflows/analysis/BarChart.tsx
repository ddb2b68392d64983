import { useId } from 'react';

/**
 * A small horizontal grouped bar chart in plain SVG (no chart library: a few dozen bars with
 * labels and reference lines are simpler to draw than to configure, keep the bundle small and run
 * under the page's strict CSP with no inline styles).
 *
 * Accessibility: the SVG is one image named by its caption; every bar's value is also written as
 * text beside it, so colour never carries meaning alone, and callers show the numbers in a table.
 */

/** One bar of a group. */
export interface Bar {
  /** series name, e.g. "Go-live week 1" */
  series: string;
  /** the value drawn; Infinity is drawn as a full bar marked "no limit" */
  value: number;
  /** the text written beside the bar, e.g. "92 %" */
  label: string;
  /** draws the bar in the warning colour (the text says why too) */
  alert?: boolean;
}

/** A group of bars, e.g. one lane. */
export interface BarGroup {
  /** what tells the group apart where two share a name (a lane's id); the name when absent */
  id?: string;
  name: string;
  bars: Bar[];
}

/** A vertical reference line, e.g. the 85 % utilisation limit. */
interface ReferenceLine {
  value: number;
  label: string;
}

const BAR_HEIGHT = 14;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const NAME_WIDTH = 170;
const VALUE_WIDTH = 70;
const PLOT_WIDTH = 420;
const TOP = 18;

/** Series are told apart by position and legend; these colours meet 3:1 contrast on white. */
const SERIES_CLASSES = ['bar-s0', 'bar-s1', 'bar-s2', 'bar-s3', 'bar-s4', 'bar-s5'] as const;

export function BarChart({
  caption,
  groups,
  max,
  references = [],
}: {
  caption: string;
  groups: BarGroup[];
  /** the value at the right edge of the plot */
  max: number;
  references?: ReferenceLine[];
}) {
  const series = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.series)))];
  const scale = (v: number) => (Number.isFinite(v) ? Math.max(0, Math.min(v, max)) / max : 1) * PLOT_WIDTH;
  let y = TOP;
  const rows = groups.map((group) => {
    const top = y;
    y += group.bars.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
    return { group, top };
  });
  const height = y;
  const width = NAME_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const captionId = useId();
  return (
    <figure className="bar-chart">
      <figcaption id={captionId}>{caption}</figcaption>
      <ul className="chart-legend" aria-label="Legend">
        {series.map((name, i) => (
          <li key={name}>
            <span
              className={`legend-swatch ${SERIES_CLASSES[i % SERIES_CLASSES.length]}`}
              aria-hidden="true"
            />
            {name}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={captionId}
        preserveAspectRatio="xMinYMin meet"
      >
        <title>{caption}</title>
        {references.map((line) => (
          <g key={line.label} className="chart-reference">
            <line
              x1={NAME_WIDTH + scale(line.value)}
              x2={NAME_WIDTH + scale(line.value)}
              y1={TOP - 4}
              y2={height - GROUP_GAP / 2}
            />
            <text x={NAME_WIDTH + scale(line.value)} y={TOP - 6} textAnchor="middle">
              {line.label}
            </text>
          </g>
        ))}
        {rows.map(({ group, top }) => (
          <g key={group.id ?? group.name}>
            <text className="chart-group" x={NAME_WIDTH - 8} y={top + BAR_HEIGHT} textAnchor="end">
              {group.name.length > 24 ? `${group.name.slice(0, 23)}…` : group.name}
              <title>{group.name}</title>
            </text>
            {group.bars.map((bar, i) => {
              const barTop = top + i * (BAR_HEIGHT + BAR_GAP);
              const w = scale(bar.value);
              const seriesClass = SERIES_CLASSES[series.indexOf(bar.series) % SERIES_CLASSES.length];
              return (
                <g key={bar.series}>
                  <rect
                    className={bar.alert ? 'bar-alert' : seriesClass}
                    x={NAME_WIDTH}
                    y={barTop}
                    width={Math.max(w, 1)}
                    height={BAR_HEIGHT}
                  >
                    <title>{`${group.name}, ${bar.series}: ${bar.label}`}</title>
                  </rect>
                  <text className="chart-value" x={NAME_WIDTH + w + 4} y={barTop + BAR_HEIGHT - 3}>
                    {bar.label}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
