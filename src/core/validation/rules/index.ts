/**
 * Every structure and cross-file rule of the validation engine, in one table that the report
 * legend, the docs and the tests iterate over. Contract rules (`contract.*`) are the
 * plan's, in ../plan/checks/.
 */
import { blankHeaderRule } from './blankHeader.ts';
import { blankLineRule } from './blankLine.ts';
import { blankRowRule } from './blankRow.ts';
import { conflictingDemographicsRule } from './conflictingDemographics.ts';
import { duplicateHeaderRule } from './duplicateHeader.ts';
import { duplicateKeyRule } from './duplicateKey.ts';
import { emptyFileRule } from './emptyFile.ts';
import { extraCellsRule } from './extraCells.ts';
import { malformedQuotesRule } from './malformedQuotes.ts';
import { missingCellsRule } from './missingCells.ts';
import { mixedLineEndingsRule } from './mixedLineEndings.ts';
import { noRecordsRule } from './noRecords.ts';
import { notInEncodingRule } from './notInEncoding.ts';
import { notTextRule } from './notText.ts';
import { orphanReferenceRule } from './orphanReference.ts';
import type { EngineRule } from './rule.ts';
import { spaceBeforeQuoteRule } from './spaceBeforeQuote.ts';
import { unterminatedQuoteRule } from './unterminatedQuote.ts';

export type { EngineRule } from './rule.ts';

/** The engine's rules by name. */
export const ENGINE_RULES = {
  mixedLineEndings: mixedLineEndingsRule,
  malformedQuotes: malformedQuotesRule,
  unterminatedQuote: unterminatedQuoteRule,
  missingCells: missingCellsRule,
  extraCells: extraCellsRule,
  blankRow: blankRowRule,
  blankLine: blankLineRule,
  spaceBeforeQuote: spaceBeforeQuoteRule,
  blankHeader: blankHeaderRule,
  duplicateHeader: duplicateHeaderRule,
  duplicateKey: duplicateKeyRule,
  orphanReference: orphanReferenceRule,
  conflictingDemographics: conflictingDemographicsRule,
  noRecords: noRecordsRule,
  emptyFile: emptyFileRule,
  notText: notTextRule,
  notInEncoding: notInEncodingRule,
} as const satisfies Record<string, EngineRule>;

/** The same, as a list (legend order). */
export const ENGINE_RULE_LIST: readonly EngineRule[] = Object.values(ENGINE_RULES);
