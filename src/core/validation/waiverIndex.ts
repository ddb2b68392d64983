/**
 * Which waivers name a problem, found without looking at every waiver. A waiver names a problem
 * of its rule at its column, or whose location or message names its FHIR extension URL as a whole
 * ({@link waiverNames}). Looking through every waiver for every problem cost the product of their
 * numbers — 200,000 waivers over a few thousand problems is hundreds of millions of comparisons, in
 * one step nothing can stop — so a list is indexed once, by (rule, column) and by (rule, URL), and
 * each problem then costs the waivers that name it.
 *
 * A URL is named at a place in the text where it is followed by the end of the text or a character
 * that ends a URL ({@link URL_END}); the index looks up, at each such place, the text ending there
 * at each length an indexed URL of that rule has. The answer is the one a scan of the list with
 * {@link waiverNames} gives, in list order.
 */
import type { ReportIssue } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';

/** Characters that can end a URL quoted in a message or location. */
const URL_END = /[\s"'()[\]<>,;]/;

/** Whether `text` names `url` as a whole (not as the start of a longer URL). */
export function namesUrl(text: string | undefined, url: string): boolean {
  if (!text) return false;
  let at = text.indexOf(url);
  while (at >= 0) {
    const next = text[at + url.length];
    if (next === undefined || URL_END.test(next)) return true;
    at = text.indexOf(url, at + 1);
  }
  return false;
}

/** Whether a waiver is about an issue (or one folded under it): same rule, and its column or extension URL. */
export function waiverNames(
  waiver: Waiver,
  issue: Pick<ReportIssue, 'rule' | 'location' | 'message'>,
): boolean {
  if (waiver.rule !== issue.rule) return false;
  if (waiver.extension !== undefined)
    return namesUrl(issue.location, waiver.extension) || namesUrl(issue.message, waiver.extension);
  return waiver.column === issue.location;
}

/** What a waiver is looked up by: a problem's rule, location and message. */
export type NamedProblem = Pick<ReportIssue, 'rule' | 'location' | 'message'>;

/** A list of waivers (or of things holding one) indexed by what they name. */
export interface WaiverIndex<T> {
  /** the items whose waiver names `problem` ({@link waiverNames}), in list order */
  naming(problem: NamedProblem): T[];
}

/** The extension URLs of one rule: positions by URL, and the URLs' distinct lengths. */
interface UrlsOfRule {
  at: Map<string, number[]>;
  lengths: number[];
}

/**
 * `items` indexed by what the waiver of each (`waiverOf`) names; the list is read once, here. A
 * waiver with neither column nor extension names nothing.
 */
export function indexWaivers<T>(items: readonly T[], waiverOf: (item: T) => Waiver): WaiverIndex<T> {
  const steps = indexSteps(items, waiverOf, Number.POSITIVE_INFINITY);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * {@link indexWaivers} as steps: it yields after each `step` items, so a caller can look at a stop
 * between two (`applyWaiversInSteps`), and returns the index.
 */
export function* indexSteps<T>(
  items: readonly T[],
  waiverOf: (item: T) => Waiver,
  step: number,
): Generator<void, WaiverIndex<T>> {
  const byColumn = new Map<string, number[]>();
  const byUrl = new Map<string, UrlsOfRule>();
  for (let at = 0; at < items.length; at++) {
    if (at > 0 && at % step === 0) yield;
    const { rule, extension, column } = waiverOf(items[at] as T);
    if (extension !== undefined) {
      let urls = byUrl.get(rule);
      if (!urls) {
        urls = { at: new Map(), lengths: [] };
        byUrl.set(rule, urls);
      }
      const list = urls.at.get(extension);
      if (list) list.push(at);
      else urls.at.set(extension, [at]);
    } else if (column !== undefined) {
      const key = `${rule}\u0000${column}`;
      const list = byColumn.get(key);
      if (list) list.push(at);
      else byColumn.set(key, [at]);
    }
  }
  for (const urls of byUrl.values())
    urls.lengths = [...new Set([...urls.at.keys()].map((url) => url.length))].sort((a, b) => a - b);

  /** the positions of the URLs `text` names, added to `found` */
  const urlsNamed = (urls: UrlsOfRule, text: string | undefined, found: Set<number>) => {
    if (!text) return;
    for (let end = 0; end <= text.length; end++) {
      if (end < text.length && !URL_END.test(text[end] as string)) continue;
      for (const length of urls.lengths) {
        if (length > end) break;
        for (const at of urls.at.get(text.slice(end - length, end)) ?? []) found.add(at);
      }
    }
  };

  return {
    naming(problem) {
      const columns = byColumn.get(`${problem.rule}\u0000${problem.location}`) ?? [];
      const urls = byUrl.get(problem.rule);
      if (!urls) return columns.map((at) => items[at] as T);
      const found = new Set<number>(columns);
      urlsNamed(urls, problem.location, found);
      urlsNamed(urls, problem.message, found);
      return [...found].sort((a, b) => a - b).map((at) => items[at] as T);
    },
  };
}

/**
 * The index of a list of waivers, made once per list (the list is not changed after it is made:
 * a new list is a new array).
 */
export function waiversIndexed(waivers: readonly Waiver[]): WaiverIndex<Waiver> {
  let index = indexes.get(waivers);
  if (!index) {
    index = indexWaivers(waivers, (w) => w);
    indexes.set(waivers, index);
  }
  return index;
}
const indexes = new WeakMap<object, WaiverIndex<Waiver>>();
