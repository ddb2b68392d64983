/**
 * The CSV validation engine's surface (`src/core/validation/`): one streaming pass per file
 * (`validateCsv`) and the ordering of a run's files (`validateInputs`), with what they produce and
 * what reads it back: issue tallies and failing-row offsets, key sets and their spill, the report
 * and its exports, row filters and finding rows. Workers, the CLI and the page import it through
 * this file only; the files behind it are internal (lint refuses a deep import, see
 * docs/conventions.md#module-surfaces).
 */
export { buildReport, crossFileErrors, withDigests } from './buildReport.ts';
export { describeMixedDates, valueKind } from './columnProfile.ts';
