/**
 * Column profiles with small charts in plain SVG (no chart library): three chart shapes (a filled
 * bar, horizontal bars, a stacked bar) are a few dozen lines each, need no code from outside, and
 * print and scale like the text around them. Every chart is `aria-hidden` next to the same numbers
 * in text, so screen readers get the numbers, not the drawing.
 */
import { describeMixedDates, topValuesNote } from '../../core/validation/index.ts';
import type { ColumnProfile } from '../../formats/report.ts';
import { formatCount } from '../common/format.ts';

const BAR_WIDTH = 160;
const BAR_HEIGHT = 10;
const TOP_SHOWN = 5;
/** Colours of the kinds of value in the stacked bar (the app's palette; text repeats them in words). */
const KIND_COLOURS = ['#0b5cad', '#1e6b3a', '#8a4b00', '#6b2fa0', '#a4161a', '#4a5568'];

const KIND_NAMES: Record<string, string> = {
  integer: 'whole numbers',
  decimal: 'decimals',
  boolean: 'yes/no',
  'date:YYYY-MM-DD': 'dates YYYY-MM-DD',
  'date:MM/DD/YYYY': 'dates MM/DD/YYYY',
  'date:DD/MM/YYYY': 'dates DD/MM/YYYY',
  'date:DD.MM.YYYY': 'dates DD.MM.YYYY',
  'date:YYYYMMDD': 'dates YYYYMMDD',
  'date:M/D/YYYY': 'dates M/D/YYYY',
  'date:D/M/YYYY': 'dates D/M/YYYY',
  'datetime:ISO': 'date-times',
  email: 'e-mail addresses',
  text: 'text',
};

function percent(n: number, of: number): number {
  return of > 0 ? (n / of) * 100 : 0;
}

/** "37 %", or "< 1 %" for a few in many (never "0 %" for something that is there). */
function roundedShare(n: number, of: number): string {
  const p = percent(n, of);
  return n > 0 && p < 1 ? '< 1 %' : `${Math.round(p)} %`;
}

function CompletenessBar({ filled }: { filled: number }) {
  return (
    <svg width={BAR_WIDTH} height={BAR_HEIGHT} className="chart" aria-hidden="true" focusable="false">
      <rect width={BAR_WIDTH} height={BAR_HEIGHT} className="chart-track" />
      <rect width={(BAR_WIDTH * filled) / 100} height={BAR_HEIGHT} className="chart-fill" />
    </svg>
  );
}

function StackedKinds({ kinds }: { kinds: [string, number][] }) {
  const total = kinds.reduce((n, [, c]) => n + c, 0);
  let x = 0;
  return (
    <svg width={BAR_WIDTH} height={BAR_HEIGHT} className="chart" aria-hidden="true" focusable="false">
      {kinds.map(([kind, count], i) => {
        const width = total > 0 ? (BAR_WIDTH * count) / total : 0;
        const rect = (
          <rect
            key={kind}
            x={x}
            width={width}
            height={BAR_HEIGHT}
            fill={KIND_COLOURS[i % KIND_COLOURS.length]}
          />
        );
        x += width;
        return rect;
      })}
    </svg>
  );
}

/** The most frequent values; `note` says when their counts are partial (each then a minimum). */
function TopValues({
  top,
  filled,
  note,
}: {
  top: { value: string; count: number }[];
  filled: number;
  note: string | undefined;
}) {
  const shown = top.slice(0, TOP_SHOWN);
  const max = Math.max(1, ...shown.map((t) => t.count));
  return (
    <>
      <ol className="top-values">
        {shown.map((t) => (
          <li key={t.value}>
            <svg width={60} height={BAR_HEIGHT} className="chart" aria-hidden="true" focusable="false">
              <rect width={(60 * t.count) / max} height={BAR_HEIGHT} className="chart-fill" />
            </svg>{' '}
            <code>{t.value === '' ? '(empty)' : t.value}</code> {note ? 'at least ' : ''}
            {formatCount(t.count)} ({roundedShare(t.count, filled)})
          </li>
        ))}
      </ol>
      {note && <p className="hint">{note}</p>}
    </>
  );
}

/** One card per column: how filled it is, distinct values, the kinds of value (e.g. a mix of date formats), top values. */
export function ColumnProfiles({
  profiles,
  redacted,
}: {
  profiles: readonly ColumnProfile[];
  redacted: boolean;
}) {
  const inputs = [...new Set(profiles.map((p) => p.input))];
  return (
    <>
      {inputs.map((input) => (
        <details key={input} className="profiles">
          <summary>
            Columns of {input} ({profiles.filter((p) => p.input === input).length})
          </summary>
          <ul className="profile-grid">
            {profiles
              .filter((p) => p.input === input)
              .map((p) => {
                const filled = p.count - p.empty;
                const filledPercent = percent(filled, p.count);
                const kinds = Object.entries(p.kinds ?? {}).sort((a, b) => b[1] - a[1]);
                const mixedDates = p.kinds ? describeMixedDates(p.column, p.kinds) : undefined;
                return (
                  <li key={p.column} className="profile">
                    <h5>{p.column}</h5>
                    <p>
                      <CompletenessBar filled={filledPercent} /> {filledPercent.toFixed(1)} % filled (
                      {formatCount(p.empty)} empty)
                    </p>
                    {p.distinct !== undefined && (
                      <p>
                        {p.approximate ? 'About ' : ''}
                        {formatCount(p.distinct)} distinct values
                      </p>
                    )}
                    {!redacted && p.min !== undefined && p.max !== undefined && (
                      // compared by value: numbers as numbers, dates as dates (core columnProfile.ts)
                      <p>
                        From <code>{String(p.min)}</code> to <code>{String(p.max)}</code>
                      </p>
                    )}
                    {kinds.length > 0 && (
                      <div>
                        <StackedKinds kinds={kinds} />
                        <ul className="kinds">
                          {kinds.map(([kind, count], i) => (
                            <li key={kind}>
                              <svg width={10} height={10} aria-hidden="true" focusable="false">
                                <rect width={10} height={10} fill={KIND_COLOURS[i % KIND_COLOURS.length]} />
                              </svg>{' '}
                              {KIND_NAMES[kind] ?? kind}: {roundedShare(count, filled)}
                            </li>
                          ))}
                        </ul>
                        {mixedDates && (
                          <p className="warn-text">{mixedDates.replace(`${p.column}: `, 'Mixed: ')}</p>
                        )}
                      </div>
                    )}
                    {/* values that each appear once (identifiers) have no "top" worth showing */}
                    {!redacted && p.top && p.top.some((t) => t.count > 1) && (
                      <TopValues top={p.top} filled={filled} note={topValuesNote(p)} />
                    )}
                  </li>
                );
              })}
          </ul>
        </details>
      ))}
    </>
  );
}
