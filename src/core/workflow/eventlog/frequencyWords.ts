/**
 * A process map's frequencies in words, one line each: the activities, the most frequent paths and
 * variants. What the CLI prints for a log without times (`EventLog.untimed`), where the
 * frequencies and the variants are all a log can give; names as the log writes them (the caller
 * escapes them for its medium).
 */
import { MAP_END, MAP_START, type ProcessMap } from './processMap.ts';

/** Paths and variants listed: enough to read, the rest counted. */
const LISTED = 10;

const times = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'time' : 'times'}`;
const inCases = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'case' : 'cases'}`;

/** The map's activities, paths and variants by how often they occur. */
export function frequencyWords(map: ProcessMap): string[] {
  const name = (index: number) =>
    index === MAP_START ? '(start)' : index === MAP_END ? '(end)' : `“${map.activities[index]?.name ?? ''}”`;
  const lines = [`Activities (${map.activities.length}), most frequent first:`];
  for (const a of map.activities)
    lines.push(`  ${name(map.activities.indexOf(a))}: ${times(a.n)}, in ${inCases(a.cases)}`);
  lines.push(`Paths (${map.edges.length}), most frequent first:`);
  for (const e of map.edges.slice(0, LISTED))
    lines.push(`  ${name(e.from)} → ${name(e.to)}: ${times(e.n)}, in ${inCases(e.cases)}`);
  if (map.edges.length > LISTED) lines.push(`  and ${map.edges.length - LISTED} more`);
  lines.push(`Variants (${map.variantCount}), most frequent first:`);
  for (const v of map.variants.slice(0, LISTED)) {
    lines.push(`  ${inCases(v.cases)}: ${v.activities.map(name).join(' → ')}`);
  }
  if (map.variantCount > LISTED) lines.push(`  and ${map.variantCount - LISTED} more`);
  return lines;
}
