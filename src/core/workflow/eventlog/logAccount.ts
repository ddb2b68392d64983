/**
 * What an event log's unused columns and attribute keys mean for the figures, in words for clinic
 * staff: one table shared by the CSV reader (`csvLog.ts`) and the XES reader (`xesLog.ts`), so a
 * log written both ways gets the same account. Names only, never a cell's or attribute's value.
 *
 * The account's names: a CSV column is its header name; an XES attribute is `<owner>@<key>`
 * (`event@org:group`, `trace@cost:total`, `log@origin`, `global[event]@org:resource`), a nested
 * attribute `<owner>@<key>/<key>`; XES structure is its element name, with the prefix of an
 * `extension[org]` and the name of a `classifier[Activity]`.
 */
import type { AccountBuilder } from '../../readerAccount/index.ts';
import type { ColumnMapping } from './readEvents.ts';

/** Where an unused attribute sat: a CSV column is an event's (a row is an event). */
export type KeyLevel = 'log' | 'trace' | 'event';

/** Effects of well-known XES extension keys left unused (lower-cased key → words). */
const KNOWN_EFFECTS: ReadonlyArray<{ pattern: RegExp; effect: string }> = [
  {
    pattern: /^org:group$/,
    effect:
      'not used: lanes come from who did the work (org:resource) or the role (org:role), not from the group',
  },
  {
    pattern: /^org:(resource|role)$/,
    effect: 'not used: lanes come from the column or key chosen for who did the work',
  },
  { pattern: /^cost:/, effect: 'not used: costs are not counted in any figure' },
  {
    pattern: /^time:enabled$|enable/,
    effect:
      'not used: waits are measured from the previous activity in the case, not from when this one could have started',
  },
  {
    pattern: /^identity:id$|^id$/,
    effect: 'not used: an identifier of the record, which says nothing about the work',
  },
  { pattern: /^lifecycle:model$/, effect: 'not used: the lifecycle is read as start and complete only' },
  {
    pattern: /^lifecycle:transition$/,
    effect: 'not used: no lifecycle was chosen, so each row is one event done at its time',
  },
  {
    pattern: /^concept:instance$/,
    effect: 'not used: activity instances are paired by the order of start and complete',
  },
  { pattern: /^semantic:/, effect: 'not used: activities are named by their activity key alone' },
];

/** What an unused event-level key or column means: known extensions first, then by kind. */
export function unusedKeyEffect(key: string, level: KeyLevel, isDate = false): string {
  const lower = key.toLowerCase();
  if (level === 'log') return 'describes the whole log (its origin or settings); not used in the figures';
  const known = KNOWN_EFFECTS.find((k) => k.pattern.test(lower));
  if (known) return known.effect;
  if (isDate || /time|date/.test(lower)) {
    return 'a second time, not used: every duration and wait is measured from the time chosen for the event';
  }
  if (level === 'trace' || lower.startsWith('case:')) {
    return 'a case attribute, not used in the map; keep it to filter cases by it';
  }
  return 'not used in the map; keep it to filter cases by it';
}

/** The mapping's columns or keys used for events, with `start`/`complete` (interval logs). */
export function mappedNames(mapping: ColumnMapping): string[] {
  return [
    mapping.activity,
    mapping.timestamp,
    mapping.start,
    mapping.complete,
    mapping.lifecycle,
    mapping.resource,
    mapping.role,
    mapping.system,
    ...(mapping.keep ?? []),
  ].filter((name): name is string => name !== undefined && name !== '');
}

/** Left-out lifecycle transitions (`byTransition` of the `ignored-lifecycle` problem), said once. */
export function accountLeftOutTransitions(
  account: AccountBuilder,
  kind: 'column' | 'attribute',
  name: string,
  byTransition: Readonly<Record<string, number>> | undefined,
): void {
  if (!byTransition) return;
  const total = Object.values(byTransition).reduce((sum, n) => sum + n, 0);
  if (total === 0) return;
  const names = Object.keys(byTransition).sort().join(', ');
  account.interpreted(
    kind,
    name,
    `events whose transition is neither start nor complete (${names}) are left out; each activity is timed from its start to its complete, as Disco and PM4Py do`,
    undefined,
    total,
  );
}
