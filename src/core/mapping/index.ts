/**
 * The mapping engine's public surface (`src/core/mapping/`): what the CLI, the validation
 * workers, the FHIR layers and the mapping editor import; the files behind it are internal (lint
 * refuses a deep import, see docs/conventions.md#module-surfaces). Pure; runs in the page, workers and Node.
 */
export {
  type CompiledMapping,
  compileMapping,
  type FieldPlacement,
  type MappedJson,
  type MappedRecord,
  type MappingProblem,
} from './compileMapping.ts';
export { contractTooLarge, MAX_CONTRACT_BYTES, readContractBytes } from './contractFile.ts';
export { type MappingEdit, MappingEditError, newTransform, unusedTarget } from './edit.ts';
export { type FindingCell, isMappedRule, type MappedFinding, mappedFindingCells } from './findingCells.ts';
export { createMappingHistory, type MappingApplyOptions, type MappingHistory } from './history.ts';
export {
  attachMappedChecks,
  type ChosenMapping,
  type MappedRunInfo,
  MappingUnusableError,
  type PreparedMappedCheck,
  prepareSchemaTarget,
  targetSchemaOf,
} from './mappedRun.ts';
export type { MappedSourceRecord } from './mapRecords.ts';
export { type MappingPreview, previewMapping } from './preview.ts';
export { prepareMappedSchemaCheck, TargetSchemaError } from './schemaRows.ts';
export { isTableSchema, tableSchemaToJsonSchema } from './tableSchema.ts';
export { parseTargetPath } from './targetPath.ts';
export {
  checkTargetCoverage,
  listTargetFields,
  MAX_LISTED_FIELDS,
  type TargetCoverage,
  type TargetField,
} from './targetSchema.ts';
/** Test-only: named mappings of the sample extracts, for tests in other modules. */
export { mappingOf } from './testing/mappings.ts';
export type { MappingTrace } from './traceColumn.ts';
export { describeTransform, traceColumn, traceField } from './traceColumn.ts';
export { TRANSFORMS } from './transforms/index.ts';
