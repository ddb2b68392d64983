import type { PhaseStatus } from '../../core/readiness/index.ts';

/** How each status reads on screen and in print: a word and a symbol, never colour alone. */
export const STATUS_LABELS: Readonly<Record<PhaseStatus, { text: string; symbol: string }>> = {
  ready: { text: 'Ready', symbol: '✓' },
  'at-risk': { text: 'At risk', symbol: '▲' },
  blocked: { text: 'Blocked', symbol: '✖' },
  'not-started': { text: 'Not started', symbol: '○' },
};
