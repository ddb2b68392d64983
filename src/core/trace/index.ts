/**
 * The trace: the project's data dictionary (data items of the workflows linked to the columns,
 * mapping fields and FHIR elements that carry them, suggested from names and confirmed by a
 * person) and, through it, what depends on each failing check — steps, roles, cases an hour and
 * training — for the report, the Migration screen, `validate --project` and the readiness board.
 * This file is the module's surface.
 */
export {
  applyDictionaryChange,
  confirmedLinks,
  type DictionaryChange,
  dataItems,
  dictionaryCandidates,
  suggestLinks,
  targetKey,
  targetLabel,
  unlinkedItems,
} from './dictionary.ts';
export { namesMatch } from './names.ts';
export {
  createTraceIndex,
  failingShare,
  failingWeight,
  isFailingIssue,
  type ProblemPlace,
  placeOfIssue,
  type TracedInputs,
  type TraceIndex,
  traceReport,
  usedByLine,
  usedByRoles,
  usedByWeight,
  withProjectUsedBy,
  withUsedBy,
} from './usedBy.ts';
