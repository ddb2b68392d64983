/**
 * The project's data dictionary (`meta.settings.dataDictionary`, `#/$defs/dataDictionary` of
 * project.schema.json): which legacy column, mapping field or FHIR element carries each data item
 * the workflows' steps type or read, as the analyst or data lead decided. Only decisions are kept
 * — a link confirmed, or a suggestion rejected so it is not offered again; suggestions themselves
 * are worked out from names each time (src/core/trace), so a renamed column or a new step is
 * suggested without a stale list to clean up.
 *
 * Public format: the key is optional (projects written before it have none) and new fields are
 * added as optional ones only. The project schema refuses a malformed dictionary on import; the
 * reader here still skips an entry of the wrong shape, so a project written by hand never breaks a
 * screen. Names of data items, columns and elements only, never patient data.
 */
import { isPlainObject } from './loading.ts';

/** Where a project keeps its data dictionary. */
export const PROJECT_DATA_DICTIONARY_KEY = 'dataDictionary';

/**
 * What carries a data item: a column of a legacy extract (by the project's dataset id), a field
 * of a saved mapping (by its target as the mapping writes it), or a FHIR element path without
 * list positions (`AllergyIntolerance.code`).
 */
export type DictionaryTarget =
  | { kind: 'column'; dataset: string; column: string }
  | { kind: 'field'; mapping: string; target: string }
  | { kind: 'element'; path: string };

/** One decision on a link between a data item and what carries it. */
export interface DictionaryLink {
  /** the data item as the steps name it (a step's `enters`, a data object's label) */
  item: string;
  target: DictionaryTarget;
  /** confirmed: the target carries the item; rejected: a suggestion that was wrong */
  decision: 'confirmed' | 'rejected';
  /** who decided, in the clinic's words (e.g. "Data lead") */
  by?: string;
  /** when (RFC 3339 date-time with zone) */
  at?: string;
}

/** The dictionary: decisions, in the order they were made. */
export interface DataDictionary {
  links: DictionaryLink[];
}

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function readTarget(raw: unknown): DictionaryTarget | undefined {
  if (!isPlainObject(raw)) return undefined;
  if (raw.kind === 'column' && text(raw.dataset) && text(raw.column))
    return { kind: 'column', dataset: raw.dataset, column: raw.column };
  if (raw.kind === 'field' && text(raw.mapping) && text(raw.target))
    return { kind: 'field', mapping: raw.mapping, target: raw.target };
  if (raw.kind === 'element' && text(raw.path)) return { kind: 'element', path: raw.path };
  return undefined;
}

/** The dictionary of a project's settings; an entry of the wrong shape is skipped. Never throws. */
export function readDataDictionary(settings: Readonly<Record<string, unknown>>): DataDictionary {
  const raw = settings[PROJECT_DATA_DICTIONARY_KEY];
  if (!isPlainObject(raw) || !Array.isArray(raw.links)) return { links: [] };
  const links: DictionaryLink[] = [];
  for (const entry of raw.links) {
    if (!isPlainObject(entry) || !text(entry.item)) continue;
    const target = readTarget(entry.target);
    if (!target || (entry.decision !== 'confirmed' && entry.decision !== 'rejected')) continue;
    const link: DictionaryLink = { item: entry.item, target, decision: entry.decision };
    if (text(entry.by)) link.by = entry.by;
    if (text(entry.at)) link.at = entry.at;
    links.push(link);
  }
  return { links };
}

/** `settings` with `dictionary` written under {@link PROJECT_DATA_DICTIONARY_KEY} (a new object). */
export function withDataDictionary(
  settings: Readonly<Record<string, unknown>>,
  dictionary: DataDictionary,
): Record<string, unknown> {
  return { ...settings, [PROJECT_DATA_DICTIONARY_KEY]: { links: dictionary.links } };
}
