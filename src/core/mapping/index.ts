/**
 * The mapping engine's public surface (`src/core/mapping/`): what the CLI, the validation
 * workers, the FHIR layers and the mapping editor import; the files behind it are internal (lint
 * refuses a deep import, see docs/conventions.md#module-surfaces). Pure; runs in the page, workers and Node.
 */
export {
  type CompiledMapping,
  type CompileMappingResult,
  compileMapping,
  type FieldPlacement,
  type MappedJson,
  type MappedRecord,
  type MappedRow,
  type MappingProblem,
  type MissingColumn,
  REQUIRED_CODE,
  REQUIRED_RULE,
  transformRule,
} from './compileMapping.ts';
export { contractTooLarge, MAX_CONTRACT_BYTES, readContractBytes } from './contractFile.ts';
export {
  applyMappingEdit,
  type FieldSource,
  type MappingEdit,
  MappingEditError,
  type MappingEditResult,
  newTransform,
  unusedTarget,
} from './edit.ts';
export { type FindingCell, isMappedRule, type MappedFinding, mappedFindingCells } from './findingCells.ts';
export {
  createMappingHistory,
  MAPPING_HISTORY_LIMIT,
  type MappingApplyOptions,
  type MappingHistory,
} from './history.ts';
export {
  attachMappedChecks,
  type ChosenMapping,
  type MappedRunInfo,
  MappingUnusableError,
  type PreparedMappedCheck,
  prepareSchemaTarget,
  runContractShape,
  targetSchemaOf,
} from './mappedRun.ts';
export { type MappedSourceRecord, type MapRecordsResult, mapRecords } from './mapRecords.ts';
export {
  DEFAULT_PREVIEW_ROWS,
  type MappingPreview,
  type PreviewCell,
  type PreviewRow,
  previewMapping,
} from './preview.ts';
export { prepareMappedSchemaCheck, TargetSchemaError } from './schemaRows.ts';
export {
  isTableSchema,
  type TableForeignKey,
  type TableSchemaChecks,
  type TableSchemaConversion,
  type TableSchemaNote,
  tableRowObject,
  tableSchemaChecks,
  tableSchemaToJsonSchema,
} from './tableSchema.ts';
export { formatTargetPath, MAX_TARGET_INDEX, parseTargetPath, type TargetSegment } from './targetPath.ts';
export {
  checkTargetCoverage,
  listTargetFields,
  MAX_LISTED_FIELDS,
  type TargetCoverage,
  type TargetField,
  type TargetSchemaOptions,
} from './targetSchema.ts';
/** Test-only: named mappings of the sample extracts, for tests in other modules. */
export { mappingOf } from './testing/mappings.ts';
export type { MappingTrace } from './traceColumn.ts';
export { describeTransform, traceColumn, traceField } from './traceColumn.ts';
export { TRANSFORMS, TransformFailure, transformDefinition } from './transforms/index.ts';
export { MAX_REGEX_INPUT_CHARS } from './transforms/regexSafety.ts';
