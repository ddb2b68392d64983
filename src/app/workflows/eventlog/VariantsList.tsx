/**
 * The variants of a discovered log: each distinct order of activities, with how many cases follow
 * it and their share, most frequent first. The worker sends the most frequent ones (a log can
 * have as many variants as cases); the list says how many there are in all.
 *
 * Variants can be chosen and kept as a filter: ticking marks them, "Keep only the chosen
 * variants" applies the filter (to the map, this list and the tables alike), "Show every variant"
 * takes it off. Ticking alone changes nothing, so several can be chosen before the list shrinks.
 */
import { useState } from 'react';
import type { ProcessMap } from '../../../core/workflow/eventlog/index.ts';
import { formatCount, plural } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { formatShare } from './driftReport.ts';

/** Rows shown before "Show more". */
const FIRST_ROWS = 20;
const MORE_ROWS = 100;

/** A variant's key: its activity names joined by a character no name holds. */
const keyOf = (names: readonly string[]) => names.join('\u0000');

export function VariantsList({
  map,
  chosen,
  onChoose,
}: {
  map: ProcessMap;
  /** the variants the filter keeps now (activity names); empty: every variant */
  chosen: string[][];
  /** absent: the log is not read (a kept map), so variants cannot be chosen */
  onChoose?: (variants: string[][]) => void;
}) {
  const [rows, setRows] = useState(FIRST_ROWS);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set(chosen.map(keyOf)));
  const shown = map.variants.slice(0, rows);
  const namesOf = (activities: number[]) => activities.map((k) => map.activities[k]?.name ?? '');
  const tick = (key: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(key);
    else next.delete(key);
    setTicked(next);
  };
  const choose = () =>
    onChoose?.(map.variants.map((v) => namesOf(v.activities)).filter((names) => ticked.has(keyOf(names))));
  return (
    <section aria-label="Variants">
      <p>
        {plural(map.variantCount, 'variant')} (different orders of activities) in {plural(map.cases, 'case')}
        {map.variants.length < map.variantCount
          ? `; the ${formatCount(map.variants.length)} most frequent are listed`
          : ''}
        .{chosen.length === 1 && ' Only the chosen variant is kept, on the map too.'}
        {chosen.length > 1 &&
          ` Only the ${formatCount(chosen.length)} chosen variants are kept, on the map too.`}
      </p>
      {!onChoose && (
        <p className="field-hint">Choosing variants needs the events: choose the log file again.</p>
      )}
      {onChoose && (
        <div className="row">
          <button type="button" disabled={ticked.size === 0} onClick={choose}>
            Keep only the chosen variants
          </button>
          {chosen.length > 0 && (
            <button
              type="button"
              onClick={() => {
                setTicked(new Set());
                onChoose([]);
              }}
            >
              Show every variant
            </button>
          )}
        </div>
      )}
      <TableScroll label="Variants, one per row">
        <table className="variants">
          <caption>Variants, most frequent first</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              {onChoose && <th scope="col">Choose</th>}
              <th scope="col">Cases</th>
              <th scope="col">Share</th>
              <th scope="col">Activities</th>
              <th scope="col">In order</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((v, index) => {
              const names = namesOf(v.activities);
              const key = keyOf(names);
              return (
                <tr key={key}>
                  <th scope="row">{index + 1}</th>
                  {onChoose && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Choose variant ${index + 1}`}
                        checked={ticked.has(key)}
                        onChange={(e) => tick(key, e.target.checked)}
                      />
                    </td>
                  )}
                  <td>{formatCount(v.cases)}</td>
                  <td>{formatShare(map.cases > 0 ? v.cases / map.cases : 0)}</td>
                  <td>{formatCount(v.activities.length)}</td>
                  <td className="variant-path">{names.join(' → ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {rows < map.variants.length && (
        <button type="button" onClick={() => setRows(rows + MORE_ROWS)}>
          Show more variants
        </button>
      )}
    </section>
  );
}
