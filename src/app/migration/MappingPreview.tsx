/**
 * The live preview of a mapping on the first rows of a file: for each row the source cells the
 * mapping reads, the record it makes of them and the problems found. The mapping editor
 * (MappingEditor.tsx) computes it with the core's pure `previewMapping` on every edit and lists
 * the unused columns and unmapped required fields itself (as buttons that jump to a field).
 */
import type { MappingPreview as Preview } from '../../core/mapping/index.ts';

/** The previewed rows, or the reason there are none. */
export function MappingPreviewRows({ preview }: { preview: Preview | undefined }) {
  if (!preview) return null;
  if (!preview.ok) return null;
  return (
    <div data-testid="mapping-preview">
      <p>
        Rows with problems:{' '}
        <span data-testid="preview-problem-rows">
          {preview.rows.filter((r) => r.problems.length > 0).length}
        </span>{' '}
        of {preview.rows.length}
      </p>
      <ol className="preview-rows">
        {preview.rows.map((r, i) => (
          <li key={r.row} className={r.problems.length > 0 ? 'preview-row preview-row-bad' : 'preview-row'}>
            <details open={i === 0}>
              <summary className="preview-row-title">
                Row {r.row}:{' '}
                {r.problems.length === 0
                  ? 'maps cleanly'
                  : `${r.problems.length} ${r.problems.length === 1 ? 'problem' : 'problems'} (${r.problems.map((p) => p.target).join(', ')})`}
              </summary>
              <div className="preview-columns">
                <div>
                  <p className="hint">From the file</p>
                  <dl className="preview-cells">
                    {r.cells.map((c) => (
                      <div key={c.column}>
                        <dt>{c.column}</dt>
                        <dd className="preview-value">{c.value === '' ? '∅' : c.value}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
                <div>
                  <p className="hint">Becomes</p>
                  <pre className="preview-record">{JSON.stringify(r.record, null, 2)}</pre>
                </div>
              </div>
              {r.problems.length > 0 && (
                <ul className="preview-problems">
                  {r.problems.map((p) => (
                    <li key={`${p.target}|${p.code}`}>
                      <strong>{p.target}</strong>
                      {p.column ? ` (from ${p.column})` : ''}: {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
