import type { Finding, FindingSeverity } from '../../../core/workflow/rules/index.ts';
import { plural } from '../../common/format.ts';

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

/** "3 problems, 7 warnings, 2 notes", or that there is nothing to flag. */
export function findingsSummary(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'Nothing flagged';
  return SEVERITY_ORDER.map((severity) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return n > 0
      ? plural(n, SEVERITY_LABELS[severity].one.toLowerCase(), SEVERITY_LABELS[severity].many.toLowerCase())
      : null;
  })
    .filter(Boolean)
    .join(', ');
}
