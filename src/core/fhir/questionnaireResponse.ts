/**
 * A QuestionnaireResponse against its Questionnaire, when the Questionnaire is at hand: contained
 * in the response (`questionnaire: "#id"`), an entry of the same Bundle, another file of the same
 * run, or a loaded package — by canonical URL, with `|version` when the response names one (a
 * version not at hand falls back to the URL's). Checked as the HL7 Java validator checks them:
 * each item's linkId names an item of the Questionnaire at that level (one found elsewhere is
 * wrongly nested), answers have the item's type, a group, display or abstract question item has
 * none, an item that does not repeat has one answer (and the minOccurs/maxOccurs extensions hold),
 * an answer is one of the item's answer options or, for an item bound to a value set
 * (`answerValueSet`), in that value set as the terminology engine judges it, a text answer keeps
 * to maxLength and the minLength and regex extensions, a number, date or time to the minValue and
 * maxValue extensions, a quantity to the SDC minimum and maximum quantities (in the same coded
 * unit) and to the unit options or unit value set, an attachment to the MIME types and maximum
 * size, an item disabled by its enableWhen conditions has no answers, and a completed response
 * answers every required item that is enabled.
 *
 * Not checked, and said once per response (`fhir-questionnaire-not-checked`): a response whose
 * Questionnaire is not at hand (a server, a package not loaded), and coded answers to an item
 * whose value set (or unit value set) is not loaded or cannot be decided offline.
 *
 * Messages name linkIds (names from the Questionnaire) and types, never an answer: the answer
 * travels as the issue's value.
 */
import type { IssueSink } from './issues.ts';
import { isObject, type Json } from './jsonObjects.ts';
import type { UnitConversion } from './unitConversion.ts';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The answer value types each item type takes (`value[x]` names). */
const ANSWER_TYPES: Record<string, readonly string[]> = {
  boolean: ['valueBoolean'],
  decimal: ['valueDecimal'],
  integer: ['valueInteger'],
  date: ['valueDate'],
  dateTime: ['valueDateTime'],
  time: ['valueTime'],
  string: ['valueString'],
  text: ['valueString'],
  url: ['valueUri'],
  // the Java validator takes a string for a choice item too (R4 leaves the option's type open)
  choice: ['valueCoding', 'valueString'],
  'open-choice': ['valueCoding', 'valueString'],
  attachment: ['valueAttachment'],
  reference: ['valueReference'],
  quantity: ['valueQuantity'],
};

/** The value[x] an R4 answer may have at all. */
const ANSWER_VALUES: ReadonlySet<string> = new Set(Object.values(ANSWER_TYPES).flat());

/** Item types that take no answer. */
const TAKES_NO_ANSWER: ReadonlySet<string> = new Set(['group', 'display', 'question']);

const MIN_OCCURS = 'http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs';
const MAX_OCCURS = 'http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs';
const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';
const MIN_LENGTH = 'http://hl7.org/fhir/StructureDefinition/minLength';
const REGEX = 'http://hl7.org/fhir/StructureDefinition/regex';
const MIN_QUANTITY = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity';
const MAX_QUANTITY = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity';
const UNIT_OPTION = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption';
const UNIT_VALUE_SET = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet';
const MIME_TYPE = 'http://hl7.org/fhir/StructureDefinition/mimeType';
const MAX_SIZE = 'http://hl7.org/fhir/StructureDefinition/maxSize';
const MAX_DECIMAL_PLACES = 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces';
const OPTION_EXCLUSIVE = 'http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive';
const UCUM = 'http://unitsofmeasure.org';

/** The value of an item's extension with this URL, undefined when absent. */
function extensionValue(def: Json, url: string): unknown {
  const found = list(def.extension).find((e): e is Json => isObject(e) && e.url === url);
  return found ? answerValue(found)?.[1] : undefined;
}

/**
 * An answer against a minValue or maxValue extension of the same kind: negative when below, 0
 * when equal, positive when above; undefined when they do not compare (other types, a dateTime
 * with a time of day, whose time zones this does not weigh). Dates, dateTimes and times compare
 * as their ISO text, a more precise one after its prefix, as the Java validator orders them.
 */
function compareLimit(answer: [string, unknown], limit: [string, unknown] | undefined): number | undefined {
  if (!limit) return undefined;
  const numeric = (k: string) => k === 'valueInteger' || k === 'valueDecimal';
  if (numeric(answer[0]) && numeric(limit[0]))
    return typeof answer[1] === 'number' && typeof limit[1] === 'number' ? answer[1] - limit[1] : undefined;
  if (answer[0] !== limit[0] || !['valueDate', 'valueDateTime', 'valueTime'].includes(answer[0]))
    return undefined;
  const [a, b] = [answer[1], limit[1]];
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  if (answer[0] === 'valueDateTime' && (a.includes('T') || b.includes('T'))) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `value[x]` of an item's extension with this URL, undefined when absent. */
function extensionEntry(def: Json, url: string): [string, unknown] | undefined {
  const found = list(def.extension).find((e): e is Json => isObject(e) && e.url === url);
  return found ? answerValue(found) : undefined;
}

/** The `value[x]` of an answer or option: its name and value, undefined when none. */
function answerValue(node: Json): [string, unknown] | undefined {
  for (const key in node) if (key.startsWith('value') && key.length > 5) return [key, node[key]];
  return undefined;
}

/** Whether two answer values are the same (a Coding by system and code, anything else by its JSON). */
function sameValue(a: [string, unknown], b: [string, unknown]): boolean {
  if (a[0] !== b[0]) return false;
  if (a[0] === 'valueCoding' && isObject(a[1]) && isObject(b[1]))
    return (
      a[1].code === b[1].code &&
      (a[1].system === undefined || b[1].system === undefined || a[1].system === b[1].system)
    );
  return JSON.stringify(a[1]) === JSON.stringify(b[1]);
}

/**
 * The Questionnaire a response names, when it is at hand: contained, in the same Bundle, then
 * from `elsewhere` (the run's other files, the loaded packages).
 */
export function questionnaireFor(
  response: Json,
  bundled: ReadonlyMap<string, Json>,
  elsewhere?: (canonical: string) => Json | undefined,
): Json | undefined {
  const canonical = response.questionnaire;
  if (typeof canonical !== 'string') return undefined;
  if (canonical.startsWith('#')) {
    const id = canonical.slice(1);
    return list(response.contained).find(
      (c): c is Json => isObject(c) && c.resourceType === 'Questionnaire' && c.id === id,
    );
  }
  return bundled.get(canonical) ?? bundled.get(canonical.split('|')[0] as string) ?? elsewhere?.(canonical);
}

/** The Questionnaires of a Bundle's entries by `url` and `url|version`. */
export function bundledQuestionnaires(bundle: Json): Map<string, Json> {
  const byUrl = new Map<string, Json>();
  for (const entry of list(bundle.entry)) {
    const r = isObject(entry) ? entry.resource : undefined;
    if (!isObject(r) || r.resourceType !== 'Questionnaire' || typeof r.url !== 'string') continue;
    if (!byUrl.has(r.url)) byUrl.set(r.url, r);
    if (typeof r.version === 'string') byUrl.set(`${r.url}|${r.version}`, r);
  }
  return byUrl;
}

/**
 * Adds the resources of `resourceType` in a parsed file (itself one, or a Bundle's entries) to
 * `into` by `url` and `url|version` (the first of a URL kept bare): the run's definitions
 * (Questionnaires, Measures) for the resources of its other files that name them.
 */
export function canonicalsIn(resourceType: string, resource: unknown, into: Map<string, Json>): void {
  if (!isObject(resource)) return;
  const add = (r: Json): void => {
    if (r.resourceType !== resourceType || typeof r.url !== 'string') return;
    if (!into.has(r.url)) into.set(r.url, r);
    if (typeof r.version === 'string' && !into.has(`${r.url}|${r.version}`))
      into.set(`${r.url}|${r.version}`, r);
  };
  add(resource);
  if (resource.resourceType === 'Bundle')
    for (const entry of list(resource.entry))
      if (isObject(entry) && isObject(entry.resource)) add(entry.resource);
}

/** Every answer given in a response, by linkId (for enableWhen). */
function answersByLinkId(response: Json): Map<string, [string, unknown][]> {
  const answers = new Map<string, [string, unknown][]>();
  const visit = (items: unknown[]): void => {
    for (const item of items) {
      if (!isObject(item)) continue;
      for (const answer of list(item.answer)) {
        if (!isObject(answer)) continue;
        const value = answerValue(answer);
        if (value && typeof item.linkId === 'string')
          answers.set(item.linkId, [...(answers.get(item.linkId) ?? []), value]);
        visit(list(answer.item));
      }
      visit(list(item.item));
    }
  };
  visit(list(response.item));
  return answers;
}

/** Compares an answer with an enableWhen's value: negative, 0, positive; undefined when not comparable. */
function compare(answer: unknown, wanted: unknown): number | undefined {
  if (typeof answer === 'number' && typeof wanted === 'number') return answer - wanted;
  if (typeof answer === 'string' && typeof wanted === 'string')
    return answer < wanted ? -1 : answer > wanted ? 1 : 0;
  if (
    isObject(answer) &&
    isObject(wanted) &&
    typeof answer.value === 'number' &&
    typeof wanted.value === 'number'
  )
    return answer.value - wanted.value;
  return undefined;
}

/** Whether one enableWhen condition holds on the answers given. */
function conditionHolds(condition: Json, answers: Map<string, [string, unknown][]>): boolean {
  const given = typeof condition.question === 'string' ? (answers.get(condition.question) ?? []) : [];
  const operator = condition.operator;
  const wanted = (() => {
    for (const key in condition)
      if (key.startsWith('answer') && key.length > 6)
        return [`value${key.slice(6)}`, condition[key]] as [string, unknown];
    return undefined;
  })();
  if (operator === 'exists') return given.length > 0 === (wanted?.[1] === true);
  if (!wanted) return false;
  if (operator === '=') return given.some((g) => sameValue(g, wanted));
  if (operator === '!=') return given.length > 0 && given.every((g) => !sameValue(g, wanted));
  return given.some((g) => {
    const c = compare(g[1], wanted[1]);
    if (c === undefined) return false;
    return operator === '>'
      ? c > 0
      : operator === '<'
        ? c < 0
        : operator === '>='
          ? c >= 0
          : operator === '<='
            ? c <= 0
            : false;
  });
}

/** Whether a Questionnaire item is enabled by its enableWhen conditions (none: always). */
function enabled(item: Json, answers: Map<string, [string, unknown][]>): boolean {
  const conditions = list(item.enableWhen).filter(isObject);
  if (conditions.length === 0) return true;
  const results = conditions.map((c) => conditionHolds(c, answers));
  return item.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
}

/** Every linkId of the Questionnaire, for telling a wrongly nested item from an unknown one. */
function allLinkIds(items: unknown[], into = new Set<string>()): Set<string> {
  for (const item of items)
    if (isObject(item)) {
      if (typeof item.linkId === 'string') into.add(item.linkId);
      allLinkIds(list(item.item), into);
    }
  return into;
}

/**
 * Whether a coded answer is in an item's value set (`answerValueSet`), judged by the terminology
 * engine: undefined when it cannot tell offline (the value set or its code system is not loaded).
 */
export type AnswerJudge = (valueSet: string, coding: Json) => boolean | undefined;

/** The values of every extension of an item with this URL. */
function extensionValues(def: Json, url: string): unknown[] {
  return list(def.extension)
    .filter((e): e is Json => isObject(e) && e.url === url)
    .map((e) => answerValue(e)?.[1]);
}

/** A quantity's coded unit (`system|code`), undefined when it gives none. */
function codedUnit(q: Json): string | undefined {
  return typeof q.system === 'string' && typeof q.code === 'string' ? `${q.system}|${q.code}` : undefined;
}

/** The bytes an attachment holds: its stated size, else its base64 data decoded. */
function attachmentBytes(a: Json): number | undefined {
  if (typeof a.size === 'number') return a.size;
  if (typeof a.data !== 'string') return undefined;
  const data = a.data.replace(/\s+/g, '');
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

/**
 * A quantity answer against the item's minimum and maximum quantities (SDC). Without a coded unit
 * on both the limit cannot be applied, an error as the Java validator gives it. The same coded
 * unit compares as it is; UCUM units that differ compare after `convert` (10000 m against 5 km),
 * and UCUM units of different kinds cannot be compared, an error. Other coded units that differ,
 * or without `convert`, are not held against the answer.
 */
function checkQuantityLimits(
  def: Json,
  answer: Json,
  loc: string,
  sink: IssueSink,
  convert?: UnitConversion,
): void {
  const item = String(def.linkId);
  for (const [url, word, sign] of [
    [MIN_QUANTITY, 'minimum', -1],
    [MAX_QUANTITY, 'maximum', 1],
  ] as const) {
    const limit = extensionValues(def, url).find(isObject);
    if (!limit) continue;
    const key = `fhir-questionnaire-answer|${loc}|${word}Quantity`;
    if (codedUnit(answer) === undefined || codedUnit(limit) === undefined) {
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${item} cannot be compared with the item's ${word} quantity: a unit code (system and code) is missing`,
        undefined,
        key,
      );
      continue;
    }
    if (typeof answer.value !== 'number' || typeof limit.value !== 'number') continue;
    const value = inUnitOf(answer, limit, convert);
    const stated = `${limit.value} ${String(limit.code)}`;
    if (value === 'incomparable')
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${item} cannot be compared with the item's ${word} quantity ${stated}: its unit ${String(answer.code)} measures something else`,
        undefined,
        key,
      );
    else if (value !== undefined && Math.sign(beyond(value, limit.value)) === sign)
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${item} is ${sign < 0 ? 'below' : 'above'} the item's ${word} quantity ${stated}`,
        answer.value,
        key,
      );
  }
}

/** A quantity's value in the coded unit of `limit`; undefined when it cannot be told. */
function inUnitOf(
  answer: Json,
  limit: Json,
  convert: UnitConversion | undefined,
): number | 'incomparable' | undefined {
  if (codedUnit(answer) === codedUnit(limit)) return answer.value as number;
  if (!convert || answer.system !== UCUM || limit.system !== UCUM) return undefined;
  return convert(answer.value as number, String(answer.code), String(limit.code));
}

/** How far a converted value lies past a limit, 0 within rounding (50 Cel is 122 [degF], not 121.99999999999999). */
function beyond(value: number, limit: number): number {
  return Math.abs(value - limit) <= 1e-9 * Math.max(Math.abs(limit), 1) ? 0 : value - limit;
}

/**
 * The decimal places of a decimal as JSON parsing leaves it: trailing zeros of the file's text
 * (5.10) are gone, so an answer is held to the fewer places it surely has.
 */
function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const places = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, places - Number(exponent));
}

/** A decimal answer against the item's maxDecimalPlaces extension. */
function checkDecimalPlaces(def: Json, value: number, loc: string, sink: IssueSink): void {
  const max = extensionValue(def, MAX_DECIMAL_PLACES);
  if (typeof max !== 'number' || decimalPlaces(value) <= max) return;
  sink.report(
    'fhir-questionnaire-answer',
    loc,
    `The answer to ${String(def.linkId)} has more decimal places than the item allows (${max})`,
    value,
  );
}

/**
 * The answers of a repeating item against its exclusive options (optionExclusive, such as "none of
 * the above"): an exclusive option is the only answer when chosen.
 */
function checkExclusiveOptions(def: Json, given: unknown[], loc: string, sink: IssueSink): void {
  if (given.length < 2) return;
  const exclusive = list(def.answerOption)
    .filter((o): o is Json => isObject(o) && extensionValue(o, OPTION_EXCLUSIVE) === true)
    .map(answerValue)
    .filter((v) => v !== undefined);
  if (exclusive.length === 0) return;
  given.forEach((raw, j) => {
    const value = isObject(raw) ? answerValue(raw) : undefined;
    if (value && exclusive.some((o) => sameValue(value, o)))
      sink.report(
        'fhir-questionnaire-answer',
        `${loc}.answer[${j}]`,
        `The answer to ${String(def.linkId)} is an exclusive option: it cannot be chosen together with other answers`,
        value[1],
      );
  });
}

/**
 * A quantity answer's unit against the item's unit options and unit value set; the unit value set
 * when the engine cannot tell whether the unit is in it (then said not checked).
 */
function checkQuantityUnit(
  def: Json,
  answer: Json,
  loc: string,
  sink: IssueSink,
  judge?: AnswerJudge,
): string | undefined {
  const item = String(def.linkId);
  const options = extensionValues(def, UNIT_OPTION).filter(isObject);
  const unit = codedUnit(answer);
  if (options.length > 0 && !options.some((o) => codedUnit(o) !== undefined && codedUnit(o) === unit))
    sink.report(
      'fhir-questionnaire-answer',
      loc,
      `The unit of the answer to ${item} is not one of the item's unit options (${options.map((o) => String(o.code)).join(', ')})`,
      undefined,
      `fhir-questionnaire-answer|${loc}|unitOption`,
    );
  const unitSet = extensionValues(def, UNIT_VALUE_SET).find((v) => typeof v === 'string');
  if (typeof unitSet !== 'string') return undefined;
  // a unit with no code is in no value set; a coded one is judged where the engine can tell
  const inSet = unit === undefined ? false : judge?.(unitSet, { system: answer.system, code: answer.code });
  if (inSet === false)
    sink.report(
      'fhir-questionnaire-answer',
      loc,
      `The unit of the answer to ${item} is not in the item's unit value set ${unitSet}`,
      undefined,
      `fhir-questionnaire-answer|${loc}|unitValueSet`,
    );
  return inSet === undefined ? unitSet : undefined;
}

/** An attachment answer against the item's MIME types and maximum size. */
function checkAttachment(def: Json, answer: Json, loc: string, sink: IssueSink): void {
  const item = String(def.linkId);
  const types = extensionValues(def, MIME_TYPE).filter((t) => typeof t === 'string');
  if (types.length > 0 && typeof answer.contentType === 'string' && !types.includes(answer.contentType))
    sink.report(
      'fhir-questionnaire-answer',
      loc,
      `The attachment answering ${item} is of a type the item does not allow (allowed: ${types.join(', ')})`,
      answer.contentType,
      `fhir-questionnaire-answer|${loc}|mimeType`,
    );
  const maxSize = extensionValues(def, MAX_SIZE).find((v) => typeof v === 'number');
  const bytes = attachmentBytes(answer);
  if (typeof maxSize === 'number' && bytes !== undefined && bytes > maxSize)
    sink.report(
      'fhir-questionnaire-answer',
      loc,
      `The attachment answering ${item} is larger than the item allows (${maxSize} bytes)`,
      undefined,
      `fhir-questionnaire-answer|${loc}|maxSize`,
    );
}

/**
 * Checks `response` (at `at`) against `questionnaire`, reporting into `sink`.
 * `fhir-questionnaire-answer` is each defect; `fhir-questionnaire-not-checked` what is not checked.
 * `judge` checks coded answers against the items' value sets; without it, or where it cannot
 * tell, they are said not checked. `convert` compares quantities in other UCUM units with the
 * items' limits.
 */
export function checkQuestionnaireResponse(
  response: Json,
  questionnaire: Json,
  at: string,
  sink: IssueSink,
  judge?: AnswerJudge,
  convert?: UnitConversion,
): void {
  const answers = answersByLinkId(response);
  const known = allLinkIds(list(questionnaire.item));
  const completed = response.status === 'completed';
  const valueSets: string[] = [];

  const checkLevel = (defs: unknown[], given: unknown[], where: string, parentEnabled: boolean): void => {
    const byLinkId = new Map<string, Json>();
    for (const d of defs) if (isObject(d) && typeof d.linkId === 'string') byLinkId.set(d.linkId, d);
    const answered = new Set<string>();
    given.forEach((raw, i) => {
      if (!isObject(raw)) return;
      const loc = `${where}.item[${i}]`;
      const linkId = raw.linkId;
      if (typeof linkId !== 'string') return; // 1..1 in R4: the cardinality layer says it
      const def = byLinkId.get(linkId);
      if (!def) {
        sink.report(
          'fhir-questionnaire-answer',
          `${loc}.linkId`,
          known.has(linkId)
            ? `The item ${linkId} is not where the Questionnaire has it: nest it under the item that holds it there`
            : `The Questionnaire has no item ${linkId}: correct the linkId or the questionnaire the response names`,
          linkId,
        );
        return;
      }
      answered.add(linkId);
      checkItem(def, raw, loc, parentEnabled);
    });
    // a completed response answers each required item that is enabled
    if (!completed || !parentEnabled) return;
    for (const def of byLinkId.values()) {
      if (def.required !== true || answered.has(def.linkId as string) || def.type === 'display') continue;
      if (!enabled(def, answers)) continue;
      sink.report(
        'fhir-questionnaire-answer',
        where,
        `The required item ${String(def.linkId)} is not answered, and the response is completed`,
        undefined,
        `fhir-questionnaire-answer|${where}|required|${String(def.linkId)}`,
      );
    }
  };

  const checkItem = (def: Json, item: Json, loc: string, parentEnabled: boolean): void => {
    const type = typeof def.type === 'string' ? def.type : undefined;
    const given = list(item.answer);
    const isOn = parentEnabled && enabled(def, answers);
    if (!isOn && given.length > 0)
      sink.report(
        'fhir-questionnaire-answer',
        `${loc}.answer`,
        `The item ${String(def.linkId)} is answered although its enableWhen conditions leave it disabled`,
      );
    if (isOn && completed && def.required === true && type !== 'display') {
      const empty = type === 'group' ? list(item.item).length === 0 : given.length === 0;
      if (empty)
        sink.report(
          'fhir-questionnaire-answer',
          loc,
          type === 'group'
            ? `The required group ${String(def.linkId)} has no items, and the response is completed`
            : `The required item ${String(def.linkId)} has no answer, and the response is completed`,
        );
    }
    const minOccurs = extensionValue(def, MIN_OCCURS);
    const maxOccurs = extensionValue(def, MAX_OCCURS);
    if (typeof minOccurs === 'number' && given.length < minOccurs && type !== 'group')
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The item ${String(def.linkId)} needs at least ${minOccurs} answers, and has ${given.length}`,
      );
    if (typeof maxOccurs === 'number' && given.length > maxOccurs && type !== 'group')
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The item ${String(def.linkId)} takes at most ${maxOccurs} answers, and has ${given.length}`,
      );
    if (TAKES_NO_ANSWER.has(type ?? '') && given.length > 0)
      sink.report(
        'fhir-questionnaire-answer',
        `${loc}.answer`,
        `The item ${String(def.linkId)} is a ${type}: it takes no answer`,
      );
    if (def.repeats !== true && given.length > 1 && type !== 'group')
      sink.report(
        'fhir-questionnaire-answer',
        `${loc}.answer`,
        `The item ${String(def.linkId)} does not repeat, and has ${given.length} answers`,
      );
    const allowed = type ? ANSWER_TYPES[type] : undefined;
    const options = list(def.answerOption)
      .filter(isObject)
      .map(answerValue)
      .filter((v) => v !== undefined);
    checkExclusiveOptions(def, given, loc, sink);
    given.forEach((raw, j) => {
      if (!isObject(raw)) return;
      const value = answerValue(raw);
      const aloc = `${loc}.answer[${j}]`;
      // a value[x] that no answer has is the structure layer's to report, once
      if (value && allowed && ANSWER_VALUES.has(value[0]) && !allowed.includes(value[0]))
        sink.report(
          'fhir-questionnaire-answer',
          `${aloc}.${value[0]}`,
          `The item ${String(def.linkId)} is of type ${String(type)}: expected an answer as ${allowed.join(' or ')}`,
        );
      else if (value && options.length > 0 && !(type === 'open-choice' && value[0] === 'valueString'))
        if (!options.some((o) => sameValue(value, o)))
          sink.report(
            'fhir-questionnaire-answer',
            `${aloc}.${value[0]}`,
            `The answer to ${String(def.linkId)} is not one of the item's answer options`,
            value[1],
          );
      if (value) checkLimits(def, value, `${aloc}.${value[0]}`);
      if (value?.[0] === 'valueQuantity' && isObject(value[1])) {
        checkQuantityLimits(def, value[1], `${aloc}.${value[0]}`, sink, convert);
        const unjudged = checkQuantityUnit(def, value[1], `${aloc}.${value[0]}`, sink, judge);
        if (unjudged !== undefined && !valueSets.includes(unjudged)) valueSets.push(unjudged);
      }
      if (value?.[0] === 'valueDecimal' && typeof value[1] === 'number')
        checkDecimalPlaces(def, value[1], `${aloc}.${value[0]}`, sink);
      if (value?.[0] === 'valueAttachment' && isObject(value[1]))
        checkAttachment(def, value[1], `${aloc}.${value[0]}`, sink);
      if (value && typeof value[1] === 'string' && (value[0] === 'valueString' || value[0] === 'valueUri'))
        checkText(def, value[1], `${aloc}.${value[0]}`);
      if (value && options.length === 0 && typeof def.answerValueSet === 'string') {
        const vs = def.answerValueSet;
        // a coded answer is judged where the engine can tell; a text answer (open-choice) is not coded
        const inSet = value[0] === 'valueCoding' && isObject(value[1]) ? judge?.(vs, value[1]) : undefined;
        if (inSet === false)
          sink.report(
            'fhir-questionnaire-answer',
            `${aloc}.${value[0]}`,
            `The answer to ${String(def.linkId)} is not in the item's value set ${vs}`,
            value[1],
          );
        else if (inSet === undefined && value[0] === 'valueCoding' && !valueSets.includes(vs))
          valueSets.push(vs);
      }
      // items nested under an answer belong to the item's children; under the answer a group,
      // display or abstract question may not have, they are not read (the answer is the defect)
      if (list(raw.item).length > 0 && !TAKES_NO_ANSWER.has(type ?? ''))
        checkLevel(list(def.item), list(raw.item), aloc, isOn);
    });
    checkLevel(list(def.item), list(item.item), loc, isOn);
  };

  /** An answer against the item's minValue and maxValue extensions. */
  const checkLimits = (def: Json, value: [string, unknown], loc: string): void => {
    const min = extensionEntry(def, MIN_VALUE);
    const max = extensionEntry(def, MAX_VALUE);
    const below = compareLimit(value, min);
    const above = compareLimit(value, max);
    if (below !== undefined && below < 0)
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${String(def.linkId)} is below the item's minimum ${String(min?.[1])}`,
        value[1],
        `fhir-questionnaire-answer|${loc}|minValue`,
      );
    if (above !== undefined && above > 0)
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${String(def.linkId)} is above the item's maximum ${String(max?.[1])}`,
        value[1],
        `fhir-questionnaire-answer|${loc}|maxValue`,
      );
  };

  /** A text answer against the item's maxLength and its minLength and regex extensions. */
  const checkText = (def: Json, text: string, loc: string): void => {
    const maxLength = def.maxLength;
    const minLength = extensionValue(def, MIN_LENGTH);
    const regex = extensionValue(def, REGEX);
    if (typeof maxLength === 'number' && [...text].length > maxLength)
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${String(def.linkId)} is longer than the item's maximum length ${maxLength}`,
        text,
      );
    if (typeof minLength === 'number' && [...text].length < minLength)
      sink.report(
        'fhir-questionnaire-answer',
        loc,
        `The answer to ${String(def.linkId)} is shorter than the item's minimum length ${minLength}`,
        text,
      );
    if (typeof regex === 'string') {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(regex, 'u');
      } catch {
        pattern = undefined; // a pattern JavaScript cannot read is not held against the answer
      }
      if (pattern && !pattern.test(text))
        sink.report(
          'fhir-questionnaire-answer',
          loc,
          `The answer to ${String(def.linkId)} does not have the format the item's pattern asks for`,
          text,
        );
    }
  };

  checkLevel(list(questionnaire.item), list(response.item), at, true);
  if (valueSets.length > 0)
    sink.report(
      'fhir-questionnaire-not-checked',
      at,
      `Not checked: answers against the value sets of their items (${valueSets.join(', ')}), which are not loaded; load the package that defines them`,
    );
}

/** Says once that a response is not checked against its Questionnaire, which is not at hand. */
export function reportQuestionnaireNotAtHand(response: Json, at: string, sink: IssueSink): void {
  if (typeof response.questionnaire !== 'string') return;
  sink.report(
    'fhir-questionnaire-not-checked',
    `${at}.questionnaire`,
    `Not checked against its Questionnaire, which is not at hand: check it together with the Questionnaire's file, or load the package that holds it`,
    response.questionnaire,
  );
}
