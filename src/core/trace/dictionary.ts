/**
 * The data dictionary worked out for a project: the data items its workflows type or read, what
 * could carry them (the legacy extracts' columns, the saved mappings' fields, the FHIR elements
 * those mappings write), the links suggested from names, and the items nothing is linked to yet.
 * The decisions themselves are the project's (`meta.settings.dataDictionary`,
 * src/formats/dataDictionary.ts); everything here is derived from them and the project, so the
 * panel, the CLI and the board agree.
 */
import type { DataDictionary, DictionaryLink, DictionaryTarget } from '../../formats/dataDictionary.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Project } from '../../formats/project.ts';
import { namesMatch, nameWords } from './names.ts';

/** A data item of the project's workflows and where steps use it. */
interface DataItem {
  /** the item as the steps name it */
  item: string;
  /** the steps that type it (`enters`) or read or write a data object of that label */
  uses: Array<{ workflow: string; step: string }>;
}

/** Something that can carry a data item, with the words a person reads for it. */
interface DictionaryCandidate {
  target: DictionaryTarget;
  /** in words: `patients.csv › allergies`, `Patient mapping › birthDate`, `Patient.birthDate` */
  label: string;
}

/** A link worked out from names, not decided yet. */
interface DictionarySuggestion {
  item: string;
  candidate: DictionaryCandidate;
}

/** A key for a target: two targets are the same link end when their keys are equal. */
export function targetKey(target: DictionaryTarget): string {
  switch (target.kind) {
    case 'column':
      return `column\u0000${target.dataset}\u0000${target.column}`;
    case 'field':
      return `field\u0000${target.mapping}\u0000${target.target}`;
    case 'element':
      return `element\u0000${target.path}`;
  }
}

/** A key for a link: its item and its target. */
const linkKey = (item: string, target: DictionaryTarget): string => `${item}\u0001${targetKey(target)}`;

/** A path without list positions: `name[0].given[1]` → `name.given`. */
export const withoutPositions = (path: string): string => path.replace(/\[\d+\]/g, '');

/** The FHIR element a mapping field writes, when the mapping's target is a FHIR resource. */
export function fieldElement(mapping: Mapping, fieldTarget: string): string | undefined {
  return mapping.target.type === 'fhir'
    ? `${mapping.target.resourceType}.${withoutPositions(fieldTarget)}`
    : undefined;
}

/** The data items of every workflow of the project, in first-seen order. */
export function dataItems(project: Pick<Project, 'workflows'>): DataItem[] {
  const items = new Map<string, DataItem>();
  const use = (item: string, workflow: string, step: string) => {
    const trimmed = item.trim();
    if (trimmed.length === 0) return;
    let entry = items.get(trimmed);
    if (!entry) {
      entry = { item: trimmed, uses: [] };
      items.set(trimmed, entry);
    }
    if (!entry.uses.some((u) => u.workflow === workflow && u.step === step))
      entry.uses.push({ workflow, step });
  };
  for (const workflow of project.workflows) {
    for (const step of workflow.steps) for (const item of step.enters) use(item, workflow.id, step.id);
    for (const data of workflow.dataObjects ?? [])
      for (const step of [...(data.writtenBy ?? []), ...(data.readBy ?? [])])
        use(data.label, workflow.id, step);
  }
  return [...items.values()];
}

/** Everything of the project that can carry a data item: columns, mapping fields, FHIR elements. */
export function dictionaryCandidates(project: Pick<Project, 'datasets' | 'mappings'>): DictionaryCandidate[] {
  const found: DictionaryCandidate[] = [];
  for (const dataset of project.datasets)
    for (const column of dataset.columns ?? [])
      found.push({
        target: { kind: 'column', dataset: dataset.id, column },
        label: `${dataset.name} › ${column}`,
      });
  const elements = new Set<string>();
  for (const mapping of project.mappings)
    for (const field of mapping.fields) {
      if (field.from === undefined) continue;
      found.push({
        target: { kind: 'field', mapping: mapping.id, target: field.target },
        label: `${mapping.name} › ${field.target}`,
      });
      const element = fieldElement(mapping, field.target);
      if (element !== undefined) elements.add(element);
    }
  for (const path of elements) found.push({ target: { kind: 'element', path }, label: path });
  return found;
}

/** The words a candidate is compared by: an element also without its resource type. */
function candidateNames(candidate: DictionaryCandidate): string[] {
  const { target } = candidate;
  if (target.kind === 'column') return [target.column];
  if (target.kind === 'field') return [target.target];
  const dot = target.path.indexOf('.');
  return dot > 0 ? [target.path, target.path.slice(dot + 1)] : [target.path];
}

/**
 * The links suggested from names: each item with each candidate whose name matches it
 * (src/core/trace/names.ts), unless that link was decided already (confirmed or rejected).
 * Ordered by item, then by how many words the two names share, most first.
 */
export function suggestLinks(
  items: readonly DataItem[],
  candidates: readonly DictionaryCandidate[],
  dictionary: DataDictionary,
): DictionarySuggestion[] {
  const decided = new Set(dictionary.links.map((l) => linkKey(l.item, l.target)));
  const out: DictionarySuggestion[] = [];
  for (const { item } of items) {
    const words = new Set(nameWords(item));
    const matched = candidates
      .filter(
        (c) => !decided.has(linkKey(item, c.target)) && candidateNames(c).some((n) => namesMatch(item, n)),
      )
      .map((c) => ({
        c,
        shared: Math.max(...candidateNames(c).map((n) => nameWords(n).filter((w) => words.has(w)).length)),
      }));
    matched.sort((a, b) => b.shared - a.shared);
    for (const { c } of matched) out.push({ item, candidate: c });
  }
  return out;
}

/** The confirmed links of the dictionary. */
export const confirmedLinks = (dictionary: DataDictionary): DictionaryLink[] =>
  dictionary.links.filter((l) => l.decision === 'confirmed');

/** The items no confirmed link carries, in the order of `items`. */
export function unlinkedItems(items: readonly DataItem[], dictionary: DataDictionary): DataItem[] {
  const linked = new Set(confirmedLinks(dictionary).map((l) => l.item));
  return items.filter((i) => !linked.has(i.item));
}

/** A decision as a change of the dictionary (changes as data). */
export type DictionaryChange =
  | {
      type: 'decide';
      item: string;
      target: DictionaryTarget;
      decision: 'confirmed' | 'rejected';
      by?: string;
      at?: string;
    }
  | { type: 'undo'; item: string; target: DictionaryTarget };

/**
 * The dictionary after `change`: a decision replaces any earlier one on the same link; `undo`
 * forgets it, so the link is suggested again when names match.
 */
export function applyDictionaryChange(dictionary: DataDictionary, change: DictionaryChange): DataDictionary {
  const key = linkKey(change.item, change.target);
  const links = dictionary.links.filter((l) => linkKey(l.item, l.target) !== key);
  if (change.type === 'decide') {
    const link: DictionaryLink = { item: change.item, target: change.target, decision: change.decision };
    if (change.by) link.by = change.by;
    if (change.at) link.at = change.at;
    links.push(link);
  }
  return { links };
}

/** A target in words, with the project's names for its dataset or mapping. */
export function targetLabel(
  target: DictionaryTarget,
  project: Pick<Project, 'datasets' | 'mappings'>,
): string {
  if (target.kind === 'column') {
    const dataset = project.datasets.find((d) => d.id === target.dataset);
    return `${dataset?.name ?? target.dataset} › ${target.column}`;
  }
  if (target.kind === 'field') {
    const mapping = project.mappings.find((m) => m.id === target.mapping);
    return `${mapping?.name ?? target.mapping} › ${target.target}`;
  }
  return target.path;
}
