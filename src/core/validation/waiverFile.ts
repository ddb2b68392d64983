/**
 * A waivers file (`preflight.waivers/v1`) read from its text in steps a stop can come between.
 * A file of 200,000 waivers is some 37 MB: parsed and checked in one go, it holds a process for
 * seconds on a loaded machine, and a SIGTERM, Ctrl-C or cancel waits for all of it.
 *
 * The text is cut into the `waivers` list's items by one scan (strings and nesting followed, in
 * steps of {@link SCAN_STEP_CHARS}); the items are parsed and checked {@link ITEM_STEP} at a
 * time, with a pause and a look at the stop signal between two steps. What it returns is what
 * `parseJsonText` then `loadWaivers` return for the same text: a file that is not plain (not an
 * object, the list named twice, a syntax error, a waiver that does not check, two waivers with
 * one id) is read again by those two in one go, so its problems are theirs, word for word.
 */
import { type JsonParseResult, parseJsonText } from '../../formats/jsonText.ts';
import type { LoadResult } from '../../formats/loading.ts';
import { loadWaivers, type Waiver, type WaiversFile } from '../../formats/waivers.ts';
import { JobCancelledError } from '../jobs/errors.ts';

/** Characters scanned between two looks at a stop: a few milliseconds of work. */
export const SCAN_STEP_CHARS = 1 << 20;
/** Waivers parsed, or checked, between two looks at a stop. */
export const ITEM_STEP = 2000;

/** Options of {@link loadWaiversText}. */
interface LoadWaiversTextOptions {
  /** aborted: the read stops at its next step with {@link JobCancelledError} */
  signal?: AbortSignal;
  /**
   * lets the caller's other work run between two steps (default: the next macrotask, where a Node
   * process takes a pending SIGINT or SIGTERM)
   */
  pause?: () => Promise<void>;
}

/** The text is not JSON (with where), or the waivers file it holds, or the problems of it. */
type WaiversTextResult = Extract<JsonParseResult, { ok: false }> | LoadResult<WaiversFile>;

const BYTE_ORDER_MARK = '\uFEFF';
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Where the `waivers` list is in the text, and where each of its items starts and ends. */
interface ListPlace {
  /** the offsets of `[` and of the character after `]` */
  start: number;
  end: number;
  /** [from, to) of each item, whitespace included */
  items: [number, number][];
}

/**
 * Reads a waivers file's text as `parseJsonText` and `loadWaivers` would, in steps.
 * @throws JobCancelledError once `signal` is aborted.
 */
export async function loadWaiversText(
  text: string,
  options: LoadWaiversTextOptions = {},
): Promise<WaiversTextResult> {
  const pause = options.pause ?? nextTask;
  const step = async () => {
    if (options.signal?.aborted) throw new JobCancelledError();
    await pause();
    if (options.signal?.aborted) throw new JobCancelledError();
  };
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const inOneGo = (): WaiversTextResult => {
    const parsed = parseJsonText(body);
    return parsed.ok ? loadWaivers(parsed.value) : parsed;
  };

  const place = await findWaiversList(body, step);
  if (!place) return inOneGo();
  const envelope = parseJsonText(`${body.slice(0, place.start)}[]${body.slice(place.end)}`);
  if (!envelope.ok) return inOneGo();

  const waivers: unknown[] = [];
  for (let at = 0; at < place.items.length; at += ITEM_STEP) {
    for (const [from, to] of place.items.slice(at, at + ITEM_STEP)) {
      try {
        waivers.push(JSON.parse(body.slice(from, to)));
      } catch {
        return inOneGo();
      }
    }
    await step();
  }

  const base = envelope.value as Record<string, unknown>;
  let file: WaiversFile | undefined;
  const ids = new Set<string>();
  const kept: Waiver[] = [];
  for (let at = 0; at === 0 || at < waivers.length; at += ITEM_STEP) {
    const loaded = loadWaivers({ ...base, waivers: waivers.slice(at, at + ITEM_STEP) });
    if (!loaded.ok || loaded.migratedFrom !== undefined || loaded.warnings !== undefined) return inOneGo();
    for (const waiver of loaded.value.waivers) {
      if (ids.has(waiver.id)) return inOneGo();
      ids.add(waiver.id);
      kept.push(waiver);
    }
    file ??= loaded.value;
    await step();
  }
  return { ok: true, value: { ...(file as WaiversFile), waivers: kept } };
}

/**
 * The place of the top-level object's `waivers` list and of its items, or undefined when the text
 * is not that plainly (not an object, no such list or two, unbalanced): it is then read in one go.
 * One pass that follows strings, escapes and nesting; `step` between two stretches of text.
 */
async function findWaiversList(text: string, step: () => Promise<void>): Promise<ListPlace | undefined> {
  let depth = 0;
  /** the last string read in the top-level object: the key of a list that opens there */
  let key: string | undefined;
  let place: ListPlace | undefined;
  let inList = false;
  let itemFrom = -1;
  let found = 0;
  let nextStep = SCAN_STEP_CHARS;
  let i = 0;
  while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  if (text[i] !== '{') return undefined;
  for (; i < text.length; i++) {
    if (i >= nextStep) {
      nextStep += SCAN_STEP_CHARS;
      await step();
    }
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: to its closing quote, past escapes
      const from = i;
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
      if (depth === 1) {
        try {
          key = JSON.parse(text.slice(from, i + 1)) as string;
        } catch {
          return undefined;
        }
      }
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth === 1 && c === 0x5b && key === 'waivers') {
        found++;
        place = { start: i, end: -1, items: [] };
        inList = true;
        itemFrom = i + 1;
      }
      depth++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth < 0) return undefined;
      if (inList && depth === 1 && place) {
        if (c !== 0x5d) return undefined;
        const last = text.slice(itemFrom, i);
        if (last.trim() !== '' || place.items.length > 0) place.items.push([itemFrom, i]);
        place.end = i + 1;
        inList = false;
      }
      continue;
    }
    if (c === 0x2c && inList && depth === 2 && place) {
      place.items.push([itemFrom, i]);
      itemFrom = i + 1;
    }
  }
  return found === 1 && depth === 0 && place && place.end > 0 ? place : undefined;
}
