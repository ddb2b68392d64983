/**
 * The variants of a discovered log: each distinct order of activities, with how many cases follow
 * it and their share, most frequent first. The worker sends the most frequent ones (a log can
 * have as many variants as cases); the list says how many there are in all.
 */
import { useState } from 'react';
import type { ProcessMap } from '../../../core/workflow/eventlog/processMap.ts';
import { formatCount, plural } from '../../common/format.ts';
import { TableScroll } from '../../common/TableScroll.tsx';
import { formatShare } from './driftReport.ts';

/** Rows shown before "Show more". */
const FIRST_ROWS = 20;

export function VariantsList({ map }: { map: ProcessMap }) {
  const [rows, setRows] = useState(FIRST_ROWS);
  const shown = map.variants.slice(0, rows);
  const name = (k: number) => map.activities[k]?.name ?? '';
  return (
    <section aria-label="Variants">
      <p>
        {plural(map.variantCount, 'variant')} (different orders of activities) in {plural(map.cases, 'case')}
        {map.variants.length < map.variantCount
          ? `; the ${formatCount(map.variants.length)} most frequent are listed`
          : ''}
        .
      </p>
      <TableScroll label="Variants">
        <table className="variants">
          <caption>Variants, most frequent first</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Cases</th>
              <th scope="col">Share</th>
              <th scope="col">Activities</th>
              <th scope="col">In order</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((v, index) => (
              <tr key={v.activities.join(',')}>
                <th scope="row">{index + 1}</th>
                <td>{formatCount(v.cases)}</td>
                <td>{formatShare(map.cases > 0 ? v.cases / map.cases : 0)}</td>
                <td>{formatCount(v.activities.length)}</td>
                <td className="variant-path">{v.activities.map(name).join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {rows < map.variants.length && (
        <button type="button" onClick={() => setRows(rows + FIRST_ROWS * 5)}>
          Show more variants
        </button>
      )}
    </section>
  );
}
