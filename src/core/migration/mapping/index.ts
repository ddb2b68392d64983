/**
 * The mapping engine's public surface (`src/core/migration/mapping/`): what the CLI, the
 * validation workers and the mapping editor import. Pure; runs in the page, workers and Node.
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
export {
  applyMappingEdit,
  type FieldSource,
  type MappingEdit,
  MappingEditError,
  type MappingEditResult,
  newTransform,
  unusedTarget,
} from './edit.ts';
export {
  createMappingHistory,
  MAPPING_HISTORY_LIMIT,
  type MappingApplyOptions,
  type MappingHistory,
} from './history.ts';
export { type MappedSourceRecord, type MapRecordsResult, mapRecords } from './mapRecords.ts';
export {
  DEFAULT_PREVIEW_ROWS,
  type MappingPreview,
  type PreviewCell,
  type PreviewRow,
  previewMapping,
} from './preview.ts';
export {
  type TableForeignKey,
  type TableSchemaConversion,
  type TableSchemaNote,
  tableRowObject,
  tableSchemaToJsonSchema,
} from './tableSchema.ts';
export { formatTargetPath, MAX_TARGET_INDEX, parseTargetPath, type TargetSegment } from './targetPath.ts';
export {
  checkTargetCoverage,
  listTargetFields,
  type TargetCoverage,
  type TargetField,
  type TargetSchemaOptions,
} from './targetSchema.ts';
export { TRANSFORMS, TransformFailure, transformDefinition } from './transforms/index.ts';
export { MAX_REGEX_INPUT_CHARS } from './transforms/regexSafety.ts';
