/**
 * The mapping editor: how a legacy extract becomes records of the new system
 * (`preflight.mapping/v1`), as a form — the target (a JSON Schema or Table Schema, or an R4
 * resource type), the key, and per target field its source column (or a constant), whether it is
 * required and its transforms — with a live preview on the first rows of the chosen file, the
 * required target fields left unmapped and the source columns no field reads (each a button that
 * adds or opens the field), undo/redo, and the JSON as an advanced alternative.
 *
 * Every change is a `MappingEdit` (src/core/mapping/edit.ts) applied through the
 * history hook, and saved into the project as one `mapping/put` change (autosave). Mappings can be
 * exported and imported as `preflight.mapping/v1` files. Nothing here evaluates mapping text as
 * code: patterns are compiled as regular expressions by the core, never run as scripts.
 */
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { readHeadInWorker } from '../../../workers/validateClient.ts';
import { DEFAULT_MAX_NAME_CHARS } from '../../core/csv/index.ts';
import type { FhirDigest } from '../../core/fhir/index.ts';
import {
  checkFhirTargetCoverage,
  fhirResourceTypes,
  listFhirTargetFields,
  loadFhirDigest,
} from '../../core/fhir/index.ts';
import {
  checkTargetCoverage,
  compileMapping,
  listTargetFields,
  type MappingEdit,
  previewMapping,
  unusedTarget,
} from '../../core/mapping/index.ts';
import { newId, type ProjectChange } from '../../core/project/changes.ts';
import { parseJsonText } from '../../formats/jsonText.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import { type FieldMapping, loadMapping, MAPPING_FORMAT, type Mapping } from '../../formats/mapping.ts';
import type { Project } from '../../formats/project.ts';
import { downloadText } from '../common/download.ts';
import { plural } from '../common/format.ts';
import { type JsonFile, JsonFileInput } from '../common/JsonFileInput.tsx';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import type { ChosenExtract } from './extractSetup.ts';
import { FieldEditor } from './MappingFieldEditor.tsx';
import { MappingPreviewRows } from './MappingPreview.tsx';
import {
  MAX_MAPPING_FILE_BYTES,
  mappingFrom,
  targetReference,
  targetSchemaDoc,
  targetSchemaFrom,
} from './mappingFiles.ts';
import { useMappingEditor } from './useMappingEditor.ts';

const PREVIEW_ROWS = 20;
/** The FHIR digest, loaded once on first use (its own chunk: the main bundle does not grow). */
let digestPromise: Promise<FhirDigest | null> | undefined;
function loadDigest(): Promise<FhirDigest | null> {
  digestPromise ??= loadFhirDigest().catch(() => null);
  return digestPromise;
}

function useFhirDigest(wanted: boolean): FhirDigest | null | undefined {
  const [digest, setDigest] = useState<FhirDigest | null | undefined>(undefined);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void loadDigest().then((d) => live && setDigest(d));
    return () => {
      live = false;
    };
  }, [wanted]);
  return digest;
}

/** The mapping a file calls for: the project mapping whose `source` is that name. */
function mappingFor(project: Project, name: string | undefined): Mapping | undefined {
  return project.mappings.find((m) => m.source === name) ?? project.mappings[0];
}

/** Where the field at `index` is after a remove or move (none when it was the one removed). */
function shiftedIndex(
  edit: Extract<MappingEdit, { type: 'field/remove' | 'field/move' }>,
  index: number,
): number[] {
  if (edit.type === 'field/remove')
    return index === edit.index ? [] : [index > edit.index ? index - 1 : index];
  if (index === edit.from) return [edit.to];
  if (edit.from < edit.to && index > edit.from && index <= edit.to) return [index - 1];
  if (edit.from > edit.to && index >= edit.to && index < edit.from) return [index + 1];
  return [index];
}

/** Problems of field `index` (`/fields/3/…`), and of its step `step` when given. */
function problemsAt(problems: readonly FormatProblem[], index: number, step?: number): FormatProblem[] {
  const prefix = step === undefined ? `/fields/${index}` : `/fields/${index}/transform/${step}`;
  return problems.filter(
    (p) =>
      (p.path === prefix || p.path.startsWith(`${prefix}/`)) &&
      (step !== undefined || !p.path.startsWith(`${prefix}/transform/`) || p.path === `${prefix}/transform`),
  );
}

/**
 * The mapping editor for the extracts chosen in "Check extracts". `onChange` stores project
 * changes (absent: edits stay on screen, as in a project that could not be opened for writing).
 */
export function MappingEditor({
  project,
  extracts,
  onChange,
}: {
  project: Project;
  extracts: readonly ChosenExtract[];
  onChange?: ((change: ProjectChange) => void) | undefined;
}) {
  const id = useId();
  const [fileName, setFileName] = useState(
    () =>
      extracts.find((e) => project.mappings.some((m) => m.source === e.name))?.name ??
      extracts[0]?.name ??
      '',
  );
  const extract = extracts.find((e) => e.name === fileName) ?? extracts[0];
  const [mappingId, setMappingId] = useState(() => mappingFor(project, extract?.name)?.id ?? '');
  const [message, setMessage] = useState<string | null>(null);
  // without storage, a new or imported mapping lives on screen only
  const [local, setLocal] = useState<Mapping | null>(null);
  const shown =
    project.mappings.find((m) => m.id === mappingId) ??
    (local?.id === mappingId ? local : undefined) ??
    mappingFor(project, extract?.name);

  const put = (next: Mapping) => {
    if (onChange) onChange({ type: 'mapping/put', mapping: next });
    else setLocal(next);
  };

  // A saved mapping is edited in a copy unless the user asks to edit it itself: opening the demo's
  // mapping to try something must not change it. Mappings made on this screen (new, imported,
  // copies) are the user's work and are edited in place.
  const [made, setMade] = useState<ReadonlySet<string>>(() => new Set());
  const [editSaved, setEditSaved] = useState<ReadonlySet<string>>(() => new Set());
  const [copiedFrom, setCopiedFrom] = useState<string | null>(null);
  // the copy keeps the form of its original (same key): what the user was typing in keeps focus
  const [copyForm, setCopyForm] = useState<{ copy: string; key: string } | null>(null);
  const editsCopy =
    shown !== undefined &&
    project.mappings.some((m) => m.id === shown.id) &&
    !made.has(shown.id) &&
    !editSaved.has(shown.id);
  const markMade = (mappingId: string) => setMade((ids) => new Set(ids).add(mappingId));
  /** the copy the next edit of a saved mapping goes to (once: later edits are the copy's) */
  const copying = useRef<Set<string>>(new Set());
  const copyFirst =
    editsCopy && shown
      ? () => {
          // a second edit before the screen caught up already goes to the copy the history holds
          if (copying.current.has(shown.id)) return undefined;
          copying.current.add(shown.id);
          const copy: Mapping = { ...shown, id: newId(), name: `${shown.name} (copy)`, version: 1 };
          markMade(copy.id);
          setCopiedFrom(shown.name);
          setCopyForm({ copy: copy.id, key: shown.id });
          setMappingId(copy.id);
          return copy;
        }
      : undefined;

  const start = () => {
    if (!extract) return;
    const created: Mapping = {
      format: MAPPING_FORMAT,
      id: newId(),
      name: `${extract.name} mapping`,
      version: 1,
      source: extract.name,
      // the file's own contract is the likeliest target; else the first schema; else FHIR Patient
      target: (() => {
        const schema = project.schemas.find((s) => s.id === extract.contract) ?? project.schemas[0];
        return schema
          ? ({ type: 'schema', schema: schema.id } as const)
          : ({ type: 'fhir', resourceType: 'Patient' } as const);
      })(),
      key: extract.key || extract.header.find((name) => name.length <= DEFAULT_MAX_NAME_CHARS) || 'id',
      fields: [],
    };
    put(created);
    markMade(created.id);
    setMappingId(created.id);
  };

  const importFile = ({ file, json }: JsonFile) => {
    const read = mappingFrom(file.name, json);
    if ('message' in read) {
      setMessage(read.message);
      return;
    }
    setMessage(null);
    put(read.mapping);
    markMade(read.mapping.id);
    setMappingId(read.mapping.id);
  };

  if (extracts.length === 0) return null;
  return (
    <details className="mapping-preview mapping-editor">
      <summary>
        Map {extract?.name ?? 'the file'} to the new system (mapping editor with live preview)
      </summary>
      <div className="row">
        <label htmlFor={`${id}-file`}>Preview on file</label>
        <select
          id={`${id}-file`}
          value={extract?.name ?? ''}
          onChange={(e) => {
            const name = e.currentTarget.value;
            setFileName(name);
            // the file's own mapping, when the project has one
            const own = project.mappings.find((m) => m.source === name);
            if (own) setMappingId(own.id);
          }}
        >
          {extracts.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
            </option>
          ))}
        </select>
        {project.mappings.length > 0 && (
          <>
            <label htmlFor={`${id}-mapping`}>Mapping</label>
            <select
              className="fit-select"
              id={`${id}-mapping`}
              value={shown?.id ?? ''}
              onChange={(e) => {
                setMappingId(e.currentTarget.value);
                setCopiedFrom(null);
              }}
            >
              {project.mappings.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="button" onClick={start}>
          New mapping for {extract?.name}
        </button>
        <JsonFileInput
          label="Import a mapping file"
          what="a mapping file"
          maxBytes={MAX_MAPPING_FILE_BYTES}
          onRead={importFile}
          onRefused={(file, problem) => setMessage(`${file.name} was not imported: ${problem}.`)}
        />
      </div>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {shown && extract && onChange && (editsCopy || editSaved.has(shown.id)) && (
        <div className="row mapping-copy">
          <p className="hint">
            {editsCopy
              ? `This is the saved mapping “${shown.name}”: your changes go to a copy, and the saved one stays as it is.`
              : `Your changes go to the saved mapping “${shown.name}” itself.`}
          </p>
          <label>
            <input
              type="checkbox"
              checked={editSaved.has(shown.id)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setEditSaved((ids) => {
                  const next = new Set(ids);
                  if (on) next.add(shown.id);
                  else next.delete(shown.id);
                  return next;
                });
              }}
            />{' '}
            Edit the saved mapping itself
          </label>
        </div>
      )}
      {copiedFrom && shown && made.has(shown.id) && (
        <p className="hint" role="status">
          Your changes are in “{shown.name}”, a copy; “{copiedFrom}” is unchanged.
        </p>
      )}
      {shown && extract ? (
        <MappingForm
          key={copyForm?.copy === shown.id ? copyForm.key : shown.id}
          mapping={shown}
          extract={extract}
          project={project}
          save={put}
          copyFirst={copyFirst}
          onChange={onChange}
        />
      ) : (
        <p>No mapping yet. Start one for {extract?.name}, or import a mapping file.</p>
      )}
    </details>
  );
}

/** The form over one mapping (keyed by its id: another mapping gets a fresh history). */
function MappingForm({
  mapping: stored,
  extract,
  project,
  save,
  copyFirst,
  onChange,
}: {
  mapping: Mapping;
  extract: ChosenExtract;
  project: Project;
  save: (mapping: Mapping) => void;
  /** a saved mapping edited in a copy: makes the copy the next edit goes to */
  copyFirst?: (() => Mapping | undefined) | undefined;
  onChange?: ((change: ProjectChange) => void) | undefined;
}) {
  const id = useId();
  const editor = useMappingEditor(stored, save, copyFirst);
  const { mapping, apply } = editor;
  const [head, setHead] = useState<{ header: string[]; rows: string[][] } | null>(null);
  const [headProblem, setHeadProblem] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const [focusField, setFocusField] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fieldRefs = useRef(new Map<number, HTMLElement>());
  const header = head?.header ?? extract.header;
  // a column name over the bound is never offered (as on the file's card): it is no real column's,
  // and in a list it would put up to a megabyte of the file's text into the page
  const offered = useMemo(() => header.filter((name) => name.length <= DEFAULT_MAX_NAME_CHARS), [header]);

  useEffect(() => {
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

  useEffect(() => {
    if (focusField === null) return;
    const element = fieldRefs.current.get(focusField);
    element?.scrollIntoView({ block: 'nearest' });
    element?.querySelector<HTMLElement>('summary')?.focus();
    setFocusField(null);
  }, [focusField]);

  const fhir = mapping.target.type === 'fhir';
  const digest = useFhirDigest(fhir);
  const schemaDoc = targetSchemaDoc(project.schemas, mapping.target);
  const targetFields = useMemo(() => {
    if (mapping.target.type === 'fhir')
      return digest
        ? listFhirTargetFields(digest, mapping.target.resourceType).fields.map((f) =>
            f.path.replaceAll('[]', '[0]'),
          )
        : [];
    if (!schemaDoc) return [];
    return listTargetFields(schemaDoc.schema).fields.map((f) => f.path.replaceAll('[]', '[0]'));
  }, [mapping.target, digest, schemaDoc]);

  const compiled = useMemo(() => compileMapping(mapping, header), [mapping, header]);
  const problems: FormatProblem[] = compiled.ok ? [...compiled.compiled.warnings] : compiled.problems;
  const preview = useMemo(
    () =>
      head
        ? previewMapping(
            mapping,
            head.header,
            head.rows,
            PREVIEW_ROWS,
            schemaDoc ? { targetSchema: schemaDoc.schema } : {},
          )
        : undefined,
    [mapping, head, schemaDoc],
  );
  // what the target expects: FHIR from the digest, a schema read without compiling it
  const coverage = useMemo(
    () =>
      mapping.target.type === 'fhir'
        ? digest
          ? checkFhirTargetCoverage(mapping, digest)
          : undefined
        : schemaDoc
          ? checkTargetCoverage(mapping, schemaDoc.schema)
          : undefined,
    [mapping, digest, schemaDoc],
  );
  const unmappedRequired = coverage?.unmappedRequired ?? [];
  const undeclaredTargets = coverage?.undeclaredTargets ?? [];
  /** a path to add for a required element: a FHIR choice (`value[x]`) becomes its first type */
  const concrete = (path: string): string => {
    if (!path.endsWith('[x]')) return path;
    const base = path.slice(0, -'[x]'.length);
    return targetFields.find((f) => f.startsWith(base) && /^[A-Z]/.test(f.slice(base.length))) ?? base;
  };
  const unusedColumns = compiled.ok
    ? compiled.compiled.unusedColumns.filter((c) => c.length <= DEFAULT_MAX_NAME_CHARS)
    : [];
  const missingColumns = compiled.ok ? compiled.compiled.missingColumns : [];
  /** what the "problems" line lists: missing columns have their own line */
  const mappingProblems = problems.filter((p) => p.code !== 'missing-column');

  /** Applies an edit; a refusal is shown at the top of the form. */
  const run = (edit: MappingEdit, coalesce?: string): string | null => {
    const refused = apply(edit, coalesce ? { coalesce } : {});
    // typing shows its refusal beside the box; other refusals are shown at the top
    setNotice(coalesce ? null : refused);
    if (refused === null && (edit.type === 'field/remove' || edit.type === 'field/move'))
      setOpen((s) => new Set([...s].flatMap((i) => shiftedIndex(edit, i))));
    return refused;
  };
  // an undo or redo the mapping refuses keeps its step and says why at the top
  const undo = () => setNotice(editor.undo());
  const redo = () => setNotice(editor.redo());
  const jumpTo = (index: number) => {
    setOpen((s) => new Set(s).add(index));
    setFocusField(index);
  };
  const addField = (field: FieldMapping) => {
    if (run({ type: 'field/add', field }) === null) jumpTo(mapping.fields.length);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // in a text box the browser's own undo applies to the text being typed
    const target = event.target;
    if (target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
    const key = event.key.toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || (key !== 'z' && key !== 'y')) return;
    event.preventDefault();
    if (key === 'y' || event.shiftKey) redo();
    else undo();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Ctrl+Z / Ctrl+Y of the editor, delegated from its controls; the Undo and Redo buttons are the primary path
    <div className="mapping-form" onKeyDown={onKeyDown}>
      <ConflictBeside kind="mapping" id={mapping.id} what={`mapping “${mapping.name}”`} />
      <div className="row mapping-toolbar">
        <button type="button" onClick={undo} disabled={!editor.canUndo} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={!editor.canRedo} aria-keyshortcuts="Control+Y">
          Redo
        </button>
        <button
          type="button"
          onClick={() => downloadText(`${mapping.id}.mapping.json`, `${JSON.stringify(mapping, null, 2)}\n`)}
        >
          Export the mapping file
        </button>
        <span className="hint" role="status">
          {onChange
            ? `Version ${mapping.version}, saved in the project as you edit.`
            : 'Not saved: no project is open for writing.'}
        </span>
      </div>
      {notice && (
        <p className="error" role="alert">
          Not changed: {notice}
        </p>
      )}
      <fieldset className="mapping-settings">
        <legend>Mapping</legend>
        <div className="field-grid">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            autoComplete="off"
            id={`${id}-name`}
            type="text"
            value={mapping.name}
            onChange={(e) => run({ type: 'mapping/rename', name: e.currentTarget.value }, 'name')}
          />
          <TargetChooser mapping={mapping} project={project} digest={digest} run={run} onChange={onChange} />
          <label htmlFor={`${id}-key`}>Key column (identifies a record)</label>
          <select
            id={`${id}-key`}
            value={Array.isArray(mapping.key) ? (mapping.key[0] ?? '') : mapping.key}
            onChange={(e) => run({ type: 'mapping/key', key: e.currentTarget.value })}
          >
            {[...new Set([...(Array.isArray(mapping.key) ? mapping.key : [mapping.key]), ...offered])].map(
              (c) => (
                <option key={c} value={c}>
                  {header.includes(c) ? c : `${c} (not in ${extract.name})`}
                </option>
              ),
            )}
          </select>
        </div>
      </fieldset>

      <section className="mapping-coverage" aria-labelledby={`${id}-coverage`}>
        <h4 id={`${id}-coverage`}>Still to map</h4>
        <p>
          Required fields of the target left empty:{' '}
          {unmappedRequired.length === 0 ? (
            <span data-testid="unmapped-required">none</span>
          ) : (
            <span data-testid="unmapped-required" className="chip-list">
              {unmappedRequired.map((path) => (
                <button
                  key={path}
                  type="button"
                  className="chip"
                  onClick={() =>
                    addField({ target: concrete(path), from: offered[0] ?? 'column', required: true })
                  }
                >
                  Map {path}
                </button>
              ))}
            </span>
          )}
        </p>
        <p>
          Columns of {extract.name} no field reads:{' '}
          {unusedColumns.length === 0 ? (
            'none'
          ) : (
            <span data-testid="unused-columns" className="chip-list">
              {unusedColumns.map((column) => (
                <button
                  key={column}
                  type="button"
                  className="chip"
                  onClick={() => addField({ target: unusedTarget(mapping, column), from: column })}
                >
                  Map {column}
                </button>
              ))}
            </span>
          )}
        </p>
        {undeclaredTargets.length > 0 && (
          <p>
            Targets{' '}
            {fhir
              ? `FHIR ${mapping.target.type === 'fhir' ? mapping.target.resourceType : ''}`
              : 'the schema'}{' '}
            does not have (a typo?):{' '}
            <span data-testid="undeclared-targets" className="chip-list">
              {undeclaredTargets.map((target) => {
                const at = mapping.fields.findIndex((f) => f.target === target);
                return (
                  <button
                    key={target}
                    type="button"
                    className="chip"
                    disabled={at < 0}
                    onClick={() => jumpTo(at)}
                  >
                    Open {target}
                  </button>
                );
              })}
            </span>
          </p>
        )}
        <p>
          Columns the mapping reads that {extract.name} lacks:{' '}
          <span data-testid="missing-columns">
            {missingColumns.length === 0 ? 'none' : missingColumns.map((m) => m.column).join(', ')}
          </span>
          {missingColumns.flatMap((m) =>
            m.usedBy
              .filter((target) => target !== 'key')
              .map((target) => ({ target, at: mapping.fields.findIndex((f) => f.target === target) }))
              .filter(({ at }) => at >= 0)
              .map(({ target, at }) => (
                <button
                  key={`${m.column}|${target}`}
                  type="button"
                  className="chip"
                  onClick={() => jumpTo(at)}
                >
                  Open {target}
                </button>
              )),
          )}
        </p>
        {mappingProblems.length > 0 && (
          <p className="field-error">
            {plural(mappingProblems.length, 'problem')} in the mapping:{' '}
            {[
              ...new Set(
                mappingProblems
                  .map((p) => /^\/fields\/(\d+)/.exec(p.path)?.[1])
                  .filter((x) => x !== undefined),
              ),
            ].map((n) => (
              <button key={n} type="button" className="chip" onClick={() => jumpTo(Number(n))}>
                Open {mapping.fields[Number(n)]?.target ?? `field ${Number(n) + 1}`}
              </button>
            ))}
          </p>
        )}
      </section>

      <div className="mapping-workbench">
        <div className="mapping-main">
          <h4>Fields ({mapping.fields.length})</h4>
          <ol className="mapping-fields">
            {mapping.fields.map((field, index) => (
              <li
                // fields have no id: their position is what edits address
                // biome-ignore lint/suspicious/noArrayIndexKey: positional, as the edits are
                key={index}
                ref={(element) => {
                  if (element) fieldRefs.current.set(index, element);
                  else fieldRefs.current.delete(index);
                }}
              >
                <FieldEditor
                  field={field}
                  index={index}
                  count={mapping.fields.length}
                  header={offered}
                  targetFields={targetFields}
                  problems={problemsAt(problems, index)}
                  stepProblems={(step) => problemsAt(problems, index, step)}
                  open={open.has(index)}
                  onToggle={(isOpen) =>
                    setOpen((s) => {
                      if (s.has(index) === isOpen) return s;
                      const next = new Set(s);
                      if (isOpen) next.add(index);
                      else next.delete(index);
                      return next;
                    })
                  }
                  run={run}
                  onMoved={jumpTo}
                />
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => addField({ target: unusedTarget(mapping), from: offered[0] ?? 'column' })}
          >
            Add a field
          </button>

          <JsonView mapping={mapping} run={run} />
        </div>
        <section className="mapping-side" aria-labelledby={`${id}-preview`}>
          <h4 id={`${id}-preview`}>
            Preview on the first {PREVIEW_ROWS} rows of {extract.name}
          </h4>
          {headProblem && (
            <p className="error" role="alert">
              {headProblem}
            </p>
          )}
          {!head && !headProblem && <p role="status">Reading the first rows…</p>}
          {preview && !preview.ok && (
            <p className="error">The preview waits until the problems above are fixed.</p>
          )}
          <MappingPreviewRows preview={preview} />
        </section>
      </div>
    </div>
  );
}

/** The target: a schema of the project (or uploaded here), or an R4 resource type. */
function TargetChooser({
  mapping,
  project,
  digest,
  run,
  onChange,
}: {
  mapping: Mapping;
  project: Project;
  digest: FhirDigest | null | undefined;
  run: (edit: MappingEdit) => string | null;
  onChange?: ((change: ProjectChange) => void) | undefined;
}) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const target = mapping.target;
  const schemas = project.schemas;
  const upload = ({ file, json }: JsonFile) => {
    const read = targetSchemaFrom(file.name, json);
    if ('message' in read) {
      setProblem(read.message);
      return;
    }
    setProblem(null);
    onChange?.({ type: 'schema/put', schema: read.doc });
    // the schema the mapping already names (an imported mapping's): the mapping stays as it is
    if (targetSchemaDoc([read.doc], target) !== undefined) return;
    run({ type: 'mapping/target', target: { type: 'schema', schema: targetReference(read.doc, file.name) } });
  };
  const types = digest ? fhirResourceTypes(digest) : [];
  const chosen = targetSchemaDoc(schemas, target);
  return (
    <>
      <label htmlFor={`${id}-kind`}>Target</label>
      <select
        id={`${id}-kind`}
        value={target.type}
        onChange={(e) => {
          if (e.currentTarget.value === 'fhir')
            run({ type: 'mapping/target', target: { type: 'fhir', resourceType: 'Patient' } });
          else if (schemas[0])
            run({ type: 'mapping/target', target: { type: 'schema', schema: schemas[0].id } });
          else setProblem('This project has no schema yet: upload one below (JSON Schema or Table Schema).');
        }}
      >
        <option value="fhir">A FHIR R4 resource</option>
        <option value="schema">A record checked by a schema</option>
      </select>
      {target.type === 'fhir' ? (
        <>
          <label htmlFor={`${id}-type`}>Resource type</label>
          {types.length > 0 ? (
            <select
              id={`${id}-type`}
              value={target.resourceType}
              onChange={(e) =>
                run({ type: 'mapping/target', target: { type: 'fhir', resourceType: e.currentTarget.value } })
              }
            >
              {[...new Set([target.resourceType, ...types])].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          ) : (
            <input
              autoComplete="off"
              id={`${id}-type`}
              type="text"
              value={target.resourceType}
              onChange={(e) =>
                setProblem(
                  run({
                    type: 'mapping/target',
                    target: { type: 'fhir', resourceType: e.currentTarget.value },
                  }),
                )
              }
            />
          )}
        </>
      ) : (
        <>
          <label htmlFor={`${id}-schema`}>Schema</label>
          <select
            id={`${id}-schema`}
            value={chosen?.id ?? target.schema}
            onChange={(e) =>
              run({ type: 'mapping/target', target: { type: 'schema', schema: e.currentTarget.value } })
            }
          >
            {!chosen && (
              <option value={target.schema}>{target.schema} (not in this project: upload it)</option>
            )}
            {schemas.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </>
      )}
      <JsonFileInput
        label="Upload a target schema (JSON Schema or Table Schema)"
        what="a target schema"
        maxBytes={MAX_MAPPING_FILE_BYTES}
        disabled={!onChange}
        onRead={upload}
        onRefused={(file, problem) => setProblem(`${file.name} was not added: ${problem}.`)}
      />
      {problem && (
        <p className="error field-wide" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

/** The mapping as JSON, for people who prefer it: applied as one edit (undo brings it back). */
function JsonView({ mapping, run }: { mapping: Mapping; run: (edit: MappingEdit) => string | null }) {
  const id = useId();
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const shownText = text ?? JSON.stringify(mapping, null, 2);
  const use = () => {
    const json = parseJsonText(shownText);
    if (!json.ok) {
      setProblem(`The text is not valid JSON: ${json.problem.message}.`);
      return;
    }
    const loaded = loadMapping(json.value);
    if (!loaded.ok) {
      setProblem(
        `It does not meet preflight.mapping/v1: ${loaded.problems
          .slice(0, 5)
          .map((p) => `${p.path || '/'} ${p.message}`)
          .join('; ')}.`,
      );
      return;
    }
    if (loaded.value.id !== mapping.id) {
      setProblem('The "id" must stay the same; to make another mapping, import it as a file.');
      return;
    }
    const refused = run({ type: 'mapping/replace', mapping: loaded.value });
    setProblem(refused);
    if (refused === null) setText(null);
  };
  return (
    <details className="mapping-json">
      <summary>Advanced: edit the mapping as JSON</summary>
      <label htmlFor={`${id}-json`}>Mapping (JSON, preflight.mapping/v1)</label>
      <textarea
        autoComplete="off"
        id={`${id}-json`}
        className="mapping-text"
        spellCheck={false}
        rows={14}
        value={shownText}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <div className="row">
        <button type="button" onClick={use} disabled={text === null}>
          Use this JSON
        </button>
        <button
          type="button"
          onClick={() => {
            setText(null);
            setProblem(null);
          }}
          disabled={text === null}
        >
          Discard JSON changes
        </button>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </details>
  );
}
