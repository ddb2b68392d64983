/**
 * A recorded date-time (RFC 3339, as stored in a lock or a signature) in words staff read at a
 * glance: "2026-11-23 at 07:00 (UTC−05:00)". The time is shown as recorded, with its own zone —
 * never converted to the viewer's zone — so a signature reads the same on every computer, and
 * what is shown is what the signature binds (minus seconds and fractions).
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The date, the time to the minute and the zone; any other text comes back unchanged. */
export function formatRecordedTime(value: string): string {
  const match = RFC3339.exec(value);
  if (!match) return value;
  const [, date, time, zone] = match as unknown as [string, string, string, string];
  const offset = zone.toUpperCase() === 'Z' ? '' : zone.replace('-', '−');
  return `${date} at ${time} (UTC${offset})`;
}
