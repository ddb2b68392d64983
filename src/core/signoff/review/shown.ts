/**
 * What the review screen shows for one drawn record: the legacy row, the migrated record made by
 * the plan's mapping, and the fields aligned through the mapping with differences flagged — plus
 * the {@link ShownRecord} whose hash the decision stores (review.ts).
 *
 * Constraint: pure; the record content passes through here on its way to the screen and into the
 * hash, and is never kept.
 */
import type { Mapping } from '../../../formats/mapping.ts';
import type { DrawnRecord } from '../../../formats/review.ts';
import { compileMapping, type MappedJson, type MappedRecord, parseTargetPath } from '../../mapping/index.ts';
import type { AlignedField, ShownRecord } from './review.ts';

/** One aligned field as shown. */
export interface FieldView {
  target: string;
  /** the migrated value as text ('' when absent) */
  value: string;
  /** the legacy columns it is made from (none for a constant) */
  columns: string[];
  /** those columns' cells, joined by a space */
  sourceText: string;
  /** the migrated value differs from the legacy cells it is made from */
  differs: boolean;
}

/** A record ready to show, and the object whose hash the decision stores. */
export interface RecordView {
  shown: ShownRecord;
  fields: FieldView[];
  /** mapping problems of this row (codes and targets only) */
  problems: { target: string; code: string }[];
}

function valueAt(record: MappedRecord, path: string): MappedJson | undefined {
  const segments = parseTargetPath(path);
  if (typeof segments === 'string') return undefined;
  let at: MappedJson | undefined = record;
  for (const segment of segments) {
    if (at === undefined || typeof at !== 'object') return undefined;
    at = segment.kind === 'index' ? (at as MappedJson[])[segment.index] : (at as MappedRecord)[segment.name];
  }
  return at;
}

function asText(value: MappedJson | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Loose comparison: case and surrounding spaces do not make a difference worth a reviewer's look. */
function normal(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * What each field of `mapping` makes of a row on its own (its transforms applied to its cells,
 * '' for nothing), by target: the mapping compiled once more with every field written to a flat
 * name of its own, so no list closes up and no field's value lands in another's place.
 */
function expectedByTarget(mapping: Mapping, header: readonly string[]) {
  const flat: Mapping = {
    ...mapping,
    fields: mapping.fields.map((f, i) => ({ ...f, target: `f${i}`, required: false })),
  };
  const compiled = compileMapping(flat, header);
  if (!compiled.ok) return undefined;
  return (cells: readonly string[], row: number): Map<string, string> => {
    const { record } = compiled.compiled.mapRow(cells, row);
    return new Map(mapping.fields.map((f, i) => [f.target, asText(record[`f${i}`])]));
  };
}

/**
 * The view of one drawn record: `cells` are its legacy row (in `header` order); without a mapping
 * (or one that does not fit the header) only the legacy side is shown.
 */
export function viewRecord(params: {
  planHash: string;
  stratum: string;
  record: DrawnRecord;
  header: readonly string[];
  cells: readonly string[];
  mapping?: Mapping;
}): RecordView {
  const { planHash, stratum, record, header, cells, mapping } = params;
  const compiled = mapping ? compileMapping(mapping, header) : undefined;
  const ready = compiled?.ok ? compiled.compiled : undefined;
  const mapped = ready?.mapRow(cells, record.row);
  // where each value landed (right after mapRow), and what each field makes of the row alone
  const landed = new Map((mapped && ready ? ready.placeLastRow() : []).map((p) => [p.target, p.path]));
  const expected = mapping && ready ? expectedByTarget(mapping, header)?.(cells, record.row) : undefined;
  const fields: FieldView[] = [];
  const alignment: AlignedField[] = [];
  if (ready && mapped) {
    for (const target of ready.targets) {
      const columns = (ready.columnsByTarget.get(target) ?? []).map((i) => header[i] ?? '');
      const sourceText = (ready.columnsByTarget.get(target) ?? []).map((i) => cells[i] ?? '').join(' ');
      // a target no value was placed for is absent, whatever its path holds after lists closed up
      const path = landed.get(target);
      const value = path === undefined ? '' : asText(valueAt(mapped.record, path));
      const problem = mapped.problems.find((p) => p.target === target)?.message;
      fields.push({
        target,
        value,
        columns,
        sourceText,
        differs: columns.length > 0 && normal(value) !== normal(sourceText),
      });
      alignment.push({
        target,
        columns,
        value,
        ...(expected ? { expected: expected.get(target) ?? '' } : {}),
        ...(path !== undefined && path !== target ? { path } : {}),
        ...(problem ? { problem } : {}),
      });
    }
  }
  const shown: ShownRecord = {
    planHash,
    stratum,
    recordKey: record.key,
    source: {
      ...(record.file === undefined ? {} : { file: record.file }),
      row: record.row,
      header: [...header],
      cells: header.map((_, i) => cells[i] ?? ''),
    },
    mapping: mapping && ready ? { id: mapping.id, version: mapping.version } : null,
    target: mapped ? mapped.record : null,
    alignment,
  };
  return {
    shown,
    fields,
    problems: (mapped?.problems ?? []).map((p) => ({ target: p.target, code: p.code })),
  };
}

/**
 * The view of a record from what was shown alone (a review packet's record, on a computer without
 * the extract): the fields follow the stored alignment, values from the stored migrated record and
 * legacy cells, so the screen is the same as the data lead's and the decision cites the same hash.
 */
export function viewOfShown(shown: ShownRecord): RecordView {
  const { header, cells } = shown.source;
  const fields: FieldView[] = shown.alignment.map((field) => {
    const { target, columns } = field;
    const sourceText = columns.map((column) => cells[header.indexOf(column)] ?? '').join(' ');
    const value = field.value ?? (shown.target ? asText(valueAt(shown.target, target)) : '');
    return {
      target,
      value,
      columns,
      sourceText,
      differs: columns.length > 0 && normal(value) !== normal(sourceText),
    };
  });
  return { shown, fields, problems: [] };
}
