/**
 * Live preview of a mapping (`preflight.mapping/v1`) on the first rows of a chosen file: the source
 * cells each row gives, the record the mapping makes of them and the problems found, with the
 * columns the mapping does not use, the columns it names that the file lacks, and (with a schema
 * target from the project) the required target fields it leaves empty. The mapping can be edited
 * as JSON here; the preview follows every edit (the core's `previewMapping` is pure and cheap: it
 * maps 20 rows). Edits are not saved into the project.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { readHeadInWorker } from '../../../workers/validateClient.ts';
import { previewMapping } from '../../core/migration/mapping/preview.ts';
import { parseJsonText } from '../../formats/jsonText.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { Project } from '../../formats/project.ts';
import type { ChosenExtract } from './extractSetup.ts';

const PREVIEW_ROWS = 20;

/** The mapping a file name calls for: the project mapping whose `source` is that name. */
function mappingFor(project: Project, extract: ChosenExtract | undefined): Mapping | undefined {
  return project.mappings.find((m) => m.source === extract?.name) ?? project.mappings[0];
}

export function MappingPreview({
  project,
  extracts,
}: {
  project: Project;
  extracts: readonly ChosenExtract[];
}) {
  const id = useId();
  const [fileName, setFileName] = useState(
    () =>
      extracts.find((e) => project.mappings.some((m) => m.source === e.name))?.name ??
      extracts[0]?.name ??
      '',
  );
  const extract = extracts.find((e) => e.name === fileName) ?? extracts[0];
  const [mappingId, setMappingId] = useState(() => mappingFor(project, extract)?.id ?? '');
  const base = project.mappings.find((m) => m.id === mappingId);
  const [text, setText] = useState(() => (base ? JSON.stringify(base, null, 2) : ''));
  const [head, setHead] = useState<{ header: string[]; rows: string[][] } | null>(null);
  const [headProblem, setHeadProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!extract) return;
    let live = true;
    setHead(null);
    readHeadInWorker(extract.file, extract.name, extract.layout, PREVIEW_ROWS).then(
      (outcome) => {
        if (!live) return;
        if (outcome.ok) {
          setHead({ header: outcome.header, rows: outcome.rows });
          setHeadProblem(null);
        } else setHeadProblem(`${outcome.problem.message} ${outcome.problem.advice}`);
      },
      () => live && setHeadProblem(`${extract.name} could not be read. Choose it again.`),
    );
    return () => {
      live = false;
    };
  }, [extract]);

  const parsed = useMemo(() => {
    const json = parseJsonText(text);
    if (!json.ok) return { error: `The mapping is not valid JSON: ${json.problem.message}.` } as const;
    const loaded = loadMapping(json.value);
    if (!loaded.ok)
      return {
        error: `The mapping does not meet preflight.mapping/v1: ${loaded.problems
          .slice(0, 5)
          .map((p) => `${p.path || '/'} ${p.message}`)
          .join('; ')}.`,
      } as const;
    return { mapping: loaded.value } as const;
  }, [text]);

  const preview = useMemo(() => {
    if (!head || !('mapping' in parsed) || !parsed.mapping) return undefined;
    const mapping = parsed.mapping;
    const target = mapping.target;
    const schema =
      target.type === 'schema' ? project.schemas.find((s) => s.id === target.schema)?.schema : undefined;
    return previewMapping(
      mapping,
      head.header,
      head.rows,
      PREVIEW_ROWS,
      schema ? { targetSchema: schema } : {},
    );
  }, [head, parsed, project.schemas]);

  if (extracts.length === 0 || project.mappings.length === 0) return null;

  return (
    <details className="mapping-preview">
      <summary>Preview a mapping to the new system on the first {PREVIEW_ROWS} rows</summary>
      <div className="row">
        <label htmlFor={`${id}-file`}>File</label>
        <select
          id={`${id}-file`}
          value={extract?.name ?? ''}
          onChange={(e) => setFileName(e.currentTarget.value)}
        >
          {extracts.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-mapping`}>Mapping</label>
        <select
          className="fit-select"
          id={`${id}-mapping`}
          value={mappingId}
          onChange={(e) => {
            const next = project.mappings.find((m) => m.id === e.currentTarget.value);
            setMappingId(e.currentTarget.value);
            setText(next ? JSON.stringify(next, null, 2) : '');
          }}
        >
          {project.mappings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <label htmlFor={`${id}-text`}>
        Mapping (JSON, preflight.mapping/v1; edits here are tried out, not saved)
      </label>
      <textarea
        id={`${id}-text`}
        className="mapping-text"
        spellCheck={false}
        rows={12}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {'error' in parsed && parsed.error && (
        <p className="error" role="alert">
          {parsed.error}
        </p>
      )}
      {headProblem && (
        <p className="error" role="alert">
          {headProblem}
        </p>
      )}
      {!head && !headProblem && <p role="status">Reading the first rows…</p>}
      {preview && !preview.ok && (
        <div className="error" role="alert">
          <p>The mapping cannot be used yet:</p>
          <ul>
            {preview.problems.map((p) => (
              <li key={`${p.path}|${p.code}`}>
                <code>{p.path || '/'}</code> {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview?.ok && (
        <div data-testid="mapping-preview">
          <ul className="mapping-facts">
            <li>
              Columns the mapping does not use:{' '}
              {preview.unusedColumns.length > 0 ? preview.unusedColumns.join(', ') : 'none'}
            </li>
            <li>
              Columns it names that {extract?.name} lacks:{' '}
              <span data-testid="missing-columns">
                {preview.missingColumns.length > 0
                  ? preview.missingColumns.map((m) => m.column).join(', ')
                  : 'none'}
              </span>
            </li>
            {preview.coverage && (
              <li>
                Required fields of the target left empty:{' '}
                {preview.coverage.unmappedRequired.length > 0
                  ? preview.coverage.unmappedRequired.join(', ')
                  : 'none'}
              </li>
            )}
            <li>
              Rows with problems:{' '}
              <span data-testid="preview-problem-rows">
                {preview.rows.filter((r) => r.problems.length > 0).length}
              </span>{' '}
              of {preview.rows.length}
            </li>
          </ul>
          <ol className="preview-rows">
            {preview.rows.map((r, i) => (
              <li
                key={r.row}
                className={r.problems.length > 0 ? 'preview-row preview-row-bad' : 'preview-row'}
              >
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
      )}
    </details>
  );
}
