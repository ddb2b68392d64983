import type { FindingSeverity } from '../../../core/workflow/rules/types.ts';

/** How each severity reads on screen: a word (never colour alone) and a symbol. */
export const SEVERITY_LABELS: Readonly<
  Record<FindingSeverity, { one: string; many: string; symbol: string }>
> = {
  error: { one: 'Problem', many: 'Problems', symbol: '✖' },
  warn: { one: 'Warning', many: 'Warnings', symbol: '▲' },
  info: { one: 'Note', many: 'Notes', symbol: 'ℹ' },
};

/** Severity order on screen: the most serious first. */
export const SEVERITY_ORDER: readonly FindingSeverity[] = ['error', 'warn', 'info'];
