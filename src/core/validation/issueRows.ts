/**
 * Which failing rows each issue group holds, compactly, so the drill-down can list only the rows
 * with one issue (choosing an issue shows only its rows). A group is the report's
 * (rule, location) pair, exactly as the issue tally groups them; its rows are kept as
 * **positions in the input's failing-row list** (`FailingRows`: 0 = the first failing row), which
 * already holds each row's number and byte offset — so the filter re-reads rows the same way.
 *
 * Memory, bounded whatever the file: a group starts as a sorted list of positions (4 bytes per
 * row) and becomes a bitset over the failing rows (1 bit per failing row) once the list would be
 * larger than the bitset. A finished group therefore costs at most about `min(8 × its rows,
 * failing rows / 8)` bytes (lists and bitsets grow by doubling while collecting, and are cut to
 * size at the end); a typical run (a few dense groups, many sparse ones) holds far less than the
 * bound (tests/bench/RESULTS.md).
 *
 * Positions are added in ascending order (rows are processed in order); a group hit twice in one
 * row keeps the row once.
 */

/** A list holds at most this many positions before a bitset is considered. */
const MIN_LIST = 64;
const WORD_BITS = 32;

/** One group's rows: `list` (ascending positions, `count` used) or `bits` (bit p = position p). */
export interface IssueRowGroup {
  rule: string;
  location: string;
  /** rows in the group */
  count: number;
  list?: Uint32Array;
  bits?: Uint32Array;
}

/** The groups of one input, in order of first occurrence. */
export interface IssueRowsState {
  groups: IssueRowGroup[];
}

/** Collects groups during a pass. */
interface IssueRowsCollector {
  /** records that the failing row at `position` has the issue (rule, location) */
  add(rule: string, location: string, position: number): void;
  /** the groups, trimmed (lists cut to their count) */
  state(): IssueRowsState;
}

interface Building {
  group: IssueRowGroup;
  last: number;
}

function addTo(building: Building, position: number): void {
  if (position === building.last) return;
  building.last = position;
  const group = building.group;
  if (group.bits) {
    const word = position >>> 5;
    if (word >= group.bits.length) {
      const bigger = new Uint32Array(Math.max(word + 1, group.bits.length * 2));
      bigger.set(group.bits);
      group.bits = bigger;
    }
    group.bits[word] = (group.bits[word] as number) | (1 << (position & 31));
    group.count++;
    return;
  }
  let list = group.list as Uint32Array;
  if (group.count === list.length) {
    // the list would grow past the bitset of every position so far: switch to the bitset
    const bitsetWords = Math.ceil((position + 1) / WORD_BITS);
    if (group.count >= MIN_LIST && group.count * 2 > bitsetWords) {
      const bits = new Uint32Array(Math.max(bitsetWords * 2, 1));
      for (let i = 0; i < group.count; i++) {
        const p = list[i] as number;
        bits[p >>> 5] = (bits[p >>> 5] as number) | (1 << (p & 31));
      }
      delete group.list;
      group.bits = bits;
      building.last = -1;
      addTo(building, position);
      return;
    }
    const bigger = new Uint32Array(list.length * 2);
    bigger.set(list);
    list = bigger;
    group.list = list;
  }
  list[group.count] = position;
  group.count++;
}

/** Creates an empty collector. */
export function createIssueRows(): IssueRowsCollector {
  const byRule = new Map<string, Map<string, Building>>();
  const order: Building[] = [];
  return {
    add(rule, location, position) {
      let byLocation = byRule.get(rule);
      if (!byLocation) {
        byLocation = new Map();
        byRule.set(rule, byLocation);
      }
      let building = byLocation.get(location);
      if (!building) {
        building = { group: { rule, location, count: 0, list: new Uint32Array(8) }, last: -1 };
        byLocation.set(location, building);
        order.push(building);
      }
      addTo(building, position);
    },
    state() {
      return {
        groups: order.map((building) => {
          const group = building.group;
          const out: IssueRowGroup = { rule: group.rule, location: group.location, count: group.count };
          if (group.list) out.list = group.list.slice(0, group.count);
          // bitsets grow by doubling while collecting: cut to the last position's word
          if (group.bits) out.bits = group.bits.slice(0, (building.last >>> 5) + 1);
          return out;
        }),
      };
    },
  };
}

/** Calls `each` with every position of `group`, ascending. */
export function forEachPosition(group: IssueRowGroup, each: (position: number) => void): void {
  if (group.list) {
    for (let i = 0; i < group.count; i++) each(group.list[i] as number);
    return;
  }
  const bits = group.bits;
  if (!bits) return;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w] as number;
    while (word !== 0) {
      const low = word & -word;
      each(w * WORD_BITS + (31 - Math.clz32(low)));
      word ^= low;
    }
  }
}

/** Whether `group` holds the failing row at `position` (a binary search or one bit: cheap per row in view). */
export function groupHas(group: IssueRowGroup, position: number): boolean {
  if (group.list) {
    let lo = 0;
    let hi = group.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = group.list[mid] as number;
      if (value === position) return true;
      if (value < position) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
  const word = group.bits?.[position >>> 5];
  return word !== undefined && (word & (1 << (position & 31))) !== 0;
}

/** The positions of `group` as one ascending array (what the drill-down lists: 4 bytes per row). */
export function groupPositions(group: IssueRowGroup): Uint32Array {
  if (group.list) return group.list.subarray(0, group.count);
  const out = new Uint32Array(group.count);
  let at = 0;
  forEachPosition(group, (p) => {
    out[at++] = p;
  });
  return out;
}
