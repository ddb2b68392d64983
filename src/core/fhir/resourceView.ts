/**
 * A resource shown at an issue's location: formatted JSON (two-space indent, as
 * `JSON.stringify(value, null, 2)`) with the line range of the element a FHIRPath-style location
 * names (`Patient.name[0].family`, `Bundle.entry[57].resource.status`), for "open an issue at its
 * location" in the app.
 *
 * Constraints:
 * - The location comes from the validator (element names and indices only); it is resolved against
 *   the JSON as far as it exists: a missing element (a required one that is absent, a choice group
 *   `medication[x]`) highlights its nearest existing parent, and a primitive that exists only as
 *   its extension twin (`_status`) highlights that.
 * - Bounded output: a resource whose formatted text exceeds {@link MAX_VIEW_LINES} is shown from
 *   the innermost nested resource holding the location (a Bundle entry's resource), and failing
 *   that as a window of lines around the element, so a 50 MB Bundle never reaches the DOM whole.
 */

/** Most lines of formatted JSON a view holds. */
const MAX_VIEW_LINES = 4000;

/** One step into a JSON value: an object key or an array index. */
export type JsonStep = string | number;

/** Formatted JSON with the element at a location marked. */
export interface ResourceView {
  /** the formatted lines shown */
  lines: string[];
  /** 0-based first and last line (inclusive) of the highlighted element, within `lines` */
  highlight: { from: number; to: number };
  /** the FHIRPath-style location of what is highlighted (the issue's, or the nearest existing parent) */
  shownLocation: string;
  /** the location of the value `lines` shows when it is a nested resource or a window, else undefined */
  excerptOf?: string;
  /** 1-based number of `lines[0]` in the full formatted text, when the view is a window of it */
  firstLine?: number;
}

/**
 * The JSON steps of a FHIRPath-style location, without its first segment (the resource type, or
 * `resource` for a value that is not a known resource): `Bundle.entry[3].resource.id` →
 * `['entry', 3, 'resource', 'id']`. A segment like `medication[x]` is kept as the name it is.
 */
export function locationSteps(location: string): JsonStep[] {
  const steps: JsonStep[] = [];
  const segments = location.split('.');
  for (const segment of segments.slice(1)) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment);
    const name = match?.[1] ?? segment;
    steps.push(name);
    for (const index of (match?.[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/** The steps of `steps` that exist in `value` (with `_name` standing in for a primitive only extended). */
export function existingSteps(value: unknown, steps: readonly JsonStep[]): JsonStep[] {
  const found: JsonStep[] = [];
  let node = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) break;
      node = node[step];
      found.push(step);
      continue;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) break;
    const object = node as Record<string, unknown>;
    // own keys only: `in` also finds inherited ones ("toString", "constructor") that no JSON holds
    if (Object.hasOwn(object, step)) {
      node = object[step];
      found.push(step);
    } else if (Object.hasOwn(object, `_${step}`)) {
      node = object[`_${step}`];
      found.push(`_${step}`);
    } else break;
  }
  return found;
}

/** The location text of `steps` under `root` (`Patient` + ['name', 0] → `Patient.name[0]`). */
function stepsLocation(root: string, steps: readonly JsonStep[]): string {
  let text = root;
  for (const step of steps) text += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return text;
}

function sameSteps(a: readonly JsonStep[], b: readonly JsonStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * Formats `value` as `JSON.stringify(value, null, 2)` does, line by line, and returns the line
 * range of the node at `target` (exact steps from the root).
 */
export function formatJsonLines(
  value: unknown,
  target: readonly JsonStep[],
): { lines: string[]; from: number; to: number } {
  const lines: string[] = [];
  let from = 0;
  let to = 0;
  const path: JsonStep[] = [];
  const emit = (node: unknown, indent: string, prefix: string, suffix: string) => {
    const isTarget = sameSteps(path, target);
    if (isTarget) from = lines.length;
    if (Array.isArray(node) && node.length > 0) {
      lines.push(`${indent}${prefix}[`);
      node.forEach((item, i) => {
        path.push(i);
        emit(item, `${indent}  `, '', i < node.length - 1 ? ',' : '');
        path.pop();
      });
      lines.push(`${indent}]${suffix}`);
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const entries = Object.entries(node as Record<string, unknown>).filter(
        ([, v]) => v !== undefined && typeof v !== 'function',
      );
      if (entries.length === 0) lines.push(`${indent}${prefix}{}${suffix}`);
      else {
        lines.push(`${indent}${prefix}{`);
        entries.forEach(([key, item], i) => {
          path.push(key);
          emit(item, `${indent}  `, `${JSON.stringify(key)}: `, i < entries.length - 1 ? ',' : '');
          path.pop();
        });
        lines.push(`${indent}}${suffix}`);
      }
    } else {
      lines.push(`${indent}${prefix}${JSON.stringify(node) ?? 'null'}${suffix}`);
    }
    if (isTarget) to = lines.length - 1;
  };
  emit(value, '', '', '');
  return { lines, from, to };
}

/** The value at `steps` (which must exist). */
function valueAt(value: unknown, steps: readonly JsonStep[]): unknown {
  let node = value;
  for (const step of steps) node = (node as Record<string | number, unknown>)[step];
  return node;
}

/**
 * The view of `resource` at `location` (see the file header). `root` is the location's first
 * segment as the validator wrote it (the resource type, or `resource`).
 */
export function viewAtLocation(resource: unknown, location: string, maxLines = MAX_VIEW_LINES): ResourceView {
  const root = location.split('.')[0] || 'resource';
  const found = existingSteps(resource, locationSteps(location));
  const shownLocation = stepsLocation(root, found);
  const whole = formatJsonLines(resource, found);
  if (whole.lines.length <= maxLines) {
    return { lines: whole.lines, highlight: { from: whole.from, to: whole.to }, shownLocation };
  }
  // too long: the innermost nested resource on the way to the element, if it fits
  for (let depth = found.length - 1; depth > 0; depth--) {
    const prefix = found.slice(0, depth);
    const nested = valueAt(resource, prefix);
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) continue;
    if (typeof (nested as Record<string, unknown>).resourceType !== 'string') continue;
    const part = formatJsonLines(nested, found.slice(depth));
    if (part.lines.length > maxLines) break;
    return {
      lines: part.lines,
      highlight: { from: part.from, to: part.to },
      shownLocation,
      excerptOf: stepsLocation(root, prefix),
    };
  }
  // still too long: a window of lines around the element
  const before = Math.floor(maxLines / 4);
  const start = Math.max(0, Math.min(whole.from - before, whole.lines.length - maxLines));
  const lines = whole.lines.slice(start, start + maxLines);
  return {
    lines,
    highlight: { from: whole.from - start, to: Math.min(whole.to - start, lines.length - 1) },
    shownLocation,
    excerptOf: root,
    firstLine: start + 1,
  };
}
