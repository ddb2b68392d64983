/**
 * The mapping editor's live preview: the first rows of a file mapped with the mapping being
 * edited — for each row the source cells the mapping reads, the record it makes and the problems
 * found — plus what the editor lists beside them (unused and missing columns, warnings).
 *
 * Pure and cheap: it compiles the mapping once and maps at most `limit` rows, so the editor can
 * call it on every edit. A mapping that does not compile yet gives its problems instead (with
 * JSON Pointers into the mapping), which is the normal state of a mapping being typed.
 */
import type { FormatProblem } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import {
  compileMapping,
  type MappedRecord,
  type MappingProblem,
  type MissingColumn,
} from './compileMapping.ts';
import { checkTargetCoverage, type TargetCoverage } from './targetSchema.ts';

/** The preview's default number of rows. */
const DEFAULT_PREVIEW_ROWS = 20;

/** A source cell the mapping reads. */
interface PreviewCell {
  column: string;
  /** the cell as written ("" when the row is too short to have it) */
  value: string;
}

/** One previewed row. */
export interface PreviewRow {
  /** 1-based data row */
  row: number;
  /** the cells the mapping reads (its fields' columns), in header order */
  cells: PreviewCell[];
  record: MappedRecord;
  problems: readonly MappingProblem[];
}

/** {@link previewMapping}'s result. */
export type MappingPreview =
  | {
      ok: true;
      rows: PreviewRow[];
      unusedColumns: readonly string[];
      missingColumns: readonly MissingColumn[];
      requiredTargets: readonly string[];
      warnings: readonly FormatProblem[];
      /** with a target schema: its required fields left unmapped and the targets it does not declare */
      coverage?: TargetCoverage;
    }
  | { ok: false; problems: FormatProblem[] };

/** Options of {@link previewMapping}. */
interface PreviewOptions {
  /** the target JSON Schema (a user's, or a converted Table Schema): adds `coverage` */
  targetSchema?: unknown;
  /** where the record's schema starts in `targetSchema`, e.g. `#/definitions/Patient` */
  targetStart?: string;
}

/**
 * Maps the first `limit` of `rows` (cells in header order; row numbers are their 1-based
 * positions) with `mapping`.
 */
export function previewMapping(
  mapping: Mapping,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  limit: number = DEFAULT_PREVIEW_ROWS,
  options: PreviewOptions = {},
): MappingPreview {
  const result = compileMapping(mapping, header);
  if (!result.ok) return result;
  const { compiled } = result;
  const used = new Set<number>();
  for (const columns of compiled.columnsByTarget.values()) for (const c of columns) used.add(c);
  const usedColumns = [...used].sort((a, b) => a - b);
  const count = Math.max(0, Math.min(Math.floor(limit), rows.length));
  const previewRows: PreviewRow[] = [];
  for (let i = 0; i < count; i++) {
    const cells = rows[i] as readonly string[];
    const { record, problems } = compiled.mapRow(cells, i + 1);
    previewRows.push({
      row: i + 1,
      cells: usedColumns.map((c) => ({ column: header[c] as string, value: cells[c] ?? '' })),
      record,
      problems,
    });
  }
  return {
    ok: true,
    rows: previewRows,
    unusedColumns: compiled.unusedColumns,
    missingColumns: compiled.missingColumns,
    requiredTargets: compiled.requiredTargets,
    warnings: compiled.warnings,
    ...(options.targetSchema === undefined
      ? {}
      : {
          coverage: checkTargetCoverage(
            mapping,
            options.targetSchema,
            options.targetStart === undefined ? {} : { start: options.targetStart },
          ),
        }),
  };
}
