/**
 * A size in bytes as people read it in a message: "512 MB", "1 GB", "4.5 MB", "700 bytes". Every
 * refusal that names a bound or a file's size (a log too large for the app, an archive that
 * unpacks too far, a file larger than its kind can be) says it through this one function, so the
 * same bound reads the same wherever it is named.
 *
 * Constraints: units are powers of 1,024 named KB, MB and GB, as Windows shows file sizes: the
 * bounds are powers of two (256 MiB, 512 MiB, 1 GiB), and in these units they read as the round
 * figures they are. Figures are rounded up at the precision shown (one decimal under ten, whole
 * from ten), so a file refused for being over a bound never reads as equal to it or under it.
 */

const UNIT = 1024;
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;
/** Under this many of a unit, one decimal is shown ("4.5 MB"); from it, whole units ("45 MB"). */
const WHOLE_FROM = 10;
const GROUPED = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/**
 * `bytes` in words for people: "700 bytes", "1.5 KB", "512 MB", "1 GB". Rounded up at the
 * precision shown (see the module's constraints); negative or non-finite sizes read as "0 bytes".
 */
export function byteSizeWords(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 bytes';
  if (bytes < UNIT) return `${Math.ceil(bytes).toLocaleString('en-GB')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let unit = 0;
  let value = bytes / UNIT;
  while (roundedUp(value) >= UNIT && unit < UNITS.length - 1) {
    value /= UNIT;
    unit += 1;
  }
  return `${GROUPED.format(roundedUp(value))} ${UNITS[unit]}`;
}

/** `value` rounded up to one decimal under {@link WHOLE_FROM}, to a whole number from it. */
function roundedUp(value: number): number {
  // a tenth of a unit less a float's error: 512 MiB / 1024² is exactly 512, but a quotient such
  // as 1.1 can come out a hair over and would otherwise round up to 1.2
  const EPSILON = 1e-9;
  if (value < WHOLE_FROM) {
    const tenths = Math.ceil(value * 10 - EPSILON) / 10;
    return tenths >= WHOLE_FROM ? WHOLE_FROM : tenths;
  }
  return Math.ceil(value - EPSILON);
}
