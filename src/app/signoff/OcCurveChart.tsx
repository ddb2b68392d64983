import { useId } from 'react';
import { formatPercent, type OcPoint } from '../../core/signoff/sampling/index.ts';

/** One stratum's curve. */
interface OcSeries {
  name: string;
  points: OcPoint[];
}

const WIDTH = 560;
// room for the labels at the larger type a phone gets (signoff.css: "100 %" at 18 units)
const HEIGHT = 266;
const LEFT = 64;
const RIGHT = 30;
const TOP = 14;
const BOTTOM = 46;
const Y_TICKS = [0, 0.25, 0.5, 0.75, 1];
const X_TICK_COUNT = 5;
const SERIES_CLASSES = ['oc-s0', 'oc-s1', 'oc-s2', 'oc-s3'] as const;

/**
 * The plan's operating-characteristic curve in plain SVG: for each true error rate, the
 * probability that a stratum passes. A good plan passes clean data and almost never passes data
 * at the target rate; the dashed lines mark the target rate p and the allowed risk 1 − C, so the
 * reader sees where the curve crosses them. The numbers that matter are also said in words by
 * the caller, so the chart is never the only place they are.
 */
export function OcCurveChart({
  series,
  targetErrorRate,
  risk,
}: {
  series: OcSeries[];
  targetErrorRate: number;
  /** 1 − C */
  risk: number;
}) {
  const titleId = useId();
  const maxRate = Math.max(targetErrorRate * 2, ...series.flatMap((s) => s.points.map((p) => p.trueRate)));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (rate: number) => LEFT + (rate / maxRate) * plotW;
  const y = (p: number) => TOP + (1 - p) * plotH;
  const xTicks = Array.from({ length: X_TICK_COUNT + 1 }, (_, i) => (maxRate * i) / X_TICK_COUNT);
  return (
    <figure className="oc-chart">
      <figcaption id={titleId}>Chance that a stratum passes, by its true error rate</figcaption>
      {series.length > 1 && (
        <ul className="chart-legend" aria-label="Legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span
                className={`legend-swatch ${SERIES_CLASSES[i % SERIES_CLASSES.length]}`}
                aria-hidden="true"
              />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title>Chance that a stratum passes, by its true error rate</title>
        {Y_TICKS.map((t) => (
          <g key={t} className="oc-grid">
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} />
            <text x={LEFT - 6} y={y(t) + 4} textAnchor="end">
              {Math.round(t * 100)} %
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={t} className="oc-axis" x={x(t)} y={HEIGHT - BOTTOM + 16} textAnchor="middle">
            {formatPercent(t)}
          </text>
        ))}
        <text className="oc-axis" x={LEFT + plotW / 2} y={HEIGHT - 6} textAnchor="middle">
          True error rate of the stratum
        </text>
        <g className="oc-reference">
          <line x1={x(targetErrorRate)} x2={x(targetErrorRate)} y1={TOP} y2={TOP + plotH} />
          <text x={x(targetErrorRate) + 4} y={TOP + 12}>
            target {formatPercent(targetErrorRate)}
          </text>
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(risk)} y2={y(risk)} />
          <text x={WIDTH - RIGHT - 4} y={y(risk) - 4} textAnchor="end">
            risk {formatPercent(risk)}
          </text>
        </g>
        {series.map((s, i) => (
          <polyline
            key={s.name}
            className={`oc-line ${SERIES_CLASSES[i % SERIES_CLASSES.length]}`}
            points={s.points
              .map((p) => `${x(p.trueRate).toFixed(1)},${y(p.acceptProbability).toFixed(1)}`)
              .join(' ')}
          />
        ))}
      </svg>
    </figure>
  );
}
