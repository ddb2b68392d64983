/** Display helpers shared by the workspaces. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const KILO = 1000;

/** 1 234 567 → "1.2 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= KILO && unit < UNITS.length - 1) {
    value /= KILO;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** 95 → "1 min 35 s" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * One formatter for every count: `toLocaleString` looks the locale's formatter up on each call,
 * ≈ 0.2 s of the page's time to draw the report of a 1M-row run (thousands of row numbers).
 */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** 1234 → "1,234" */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** 1 → "1 mapping", 3 → "3 mappings"; `plural` for words that do not just take an "s". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** `text` ended as a sentence: a full stop added unless it already ends with one (or "?" / "!"). */
export function asSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.?!…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** When a check finished, in the user's words ("14 Mar 2025, 16:20"). */
export function checkedWhen(checkedAt: string): string {
  return new Date(checkedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
