/**
 * A MeasureReport against its Measure, when the Measure is at hand (contained in the report, in
 * another file of the run, or in a loaded package): the report's groups, populations and stratifiers are the Measure's, matched by
 * code as R4 matches them, none missing and none twice; and its scores are those the Measure's
 * scoring calls for (a cohort or a data collection has none; a proportion is between 0 and 1). A
 * quality report a receiver cannot line up with the measure it claims to report is rejected or,
 * worse, counted under the wrong population.
 *
 * Constraints: follows the HL7 Java validator's MeasureReport rules for R4, except that a score is
 * asked of complete reports only (a pending report has not been scored yet). A report whose Measure
 * is not at hand is said not checked, never passed.
 */
import type { IssueSink } from './issues.ts';
import { isObject, type Json } from './jsonObjects.ts';

const RULE = 'fhir-measure-report';
const MEASURE_OBSERVATION = 'http://terminology.hl7.org/CodeSystem/measure-population#measure-observation';

const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * The `system#code` keys of a CodeableConcept's codings that have both; of each of a list of them
 * (a report's stratifier has a list of codes, the Measure's stratifier one).
 */
function codeKeys(concept: unknown): string[] {
  if (Array.isArray(concept)) return concept.flatMap(codeKeys);
  if (!isObject(concept)) return [];
  return objects(concept.coding).flatMap((c) =>
    typeof c.system === 'string' && typeof c.code === 'string' ? [`${c.system}#${c.code}`] : [],
  );
}

const sameCode = (a: unknown, b: unknown) => {
  const keys = new Set(codeKeys(b));
  return codeKeys(a).some((k) => keys.has(k));
};

/** A CodeableConcept's codes for a message ("system#code, …"; "no code" when it has none). */
const codeWords = (concept: unknown) => codeKeys(concept).join(', ') || 'no code';

/** The Measure a report names, from its contained resources or `find` (the run's and the packages', by canonical URL). */
export function measureFor(
  report: Json,
  find: ((canonical: string) => Json | undefined) | undefined,
): Json | undefined {
  const named = report.measure;
  if (typeof named !== 'string' || named === '') return undefined;
  if (named.startsWith('#'))
    return objects(report.contained).find((c) => c.resourceType === 'Measure' && c.id === named.slice(1));
  return find?.(named);
}

/**
 * Says that a report's Measure is not at hand, so the report is not checked against it. `searched`
 * tells whether the run's other files were searched for Measures (the command line reads its plain
 * JSON files up to a size); the words say only what was looked through.
 */
export function reportMeasureNotAtHand(report: Json, at: string, sink: IssueSink, searched: boolean): void {
  if (typeof report.measure !== 'string' || report.measure === '') return;
  const where = searched
    ? "not contained in it, not in a loaded package and not found in the run's JSON files (NDJSON, zipped files and files over 16 MB are not searched for it): give the Measure in a JSON file of its own"
    : "not contained in it and not in a loaded package (the run's other files are not searched for it here): load the package that holds it";
  sink.report(
    'fhir-measure-report-not-checked',
    `${at}.measure`,
    `The report is not checked against its Measure ${report.measure}, which is ${where}, to check the report's groups, populations, stratifiers and scores`,
    report.measure,
  );
}

/**
 * Parts of a report (groups, populations or stratifiers) matched to the Measure's by code: each
 * part must carry a code, name one of the Measure's and name it once; `visit` gets each match.
 * Returns the Measure's parts that were matched.
 */
function matchByCode(
  parts: Json[],
  defined: Json[],
  at: (i: number) => string,
  what: string,
  sink: IssueSink,
  visit?: (part: Json, definition: Json, partAt: string) => void,
): Set<Json> {
  const matched = new Set<Json>();
  parts.forEach((part, i) => {
    if (codeKeys(part.code).length === 0) {
      sink.report(
        RULE,
        at(i),
        `The report's ${what} has no code: give it the code of the Measure's ${what} it reports`,
      );
      return;
    }
    const definition = defined.find((d) => sameCode(part.code, d.code));
    if (!definition) {
      sink.report(
        RULE,
        at(i),
        `The report's ${what} has the code ${codeWords(part.code)}, which no ${what} of the Measure has`,
      );
      return;
    }
    if (matched.has(definition)) {
      sink.report(RULE, at(i), `The Measure's ${what} ${codeWords(part.code)} is reported more than once`);
      return;
    }
    matched.add(definition);
    visit?.(part, definition, at(i));
  });
  return matched;
}

/** The measureScore a group has, against the Measure's scoring and the report's type. */
function checkScore(group: Json, at: string, measure: Json, report: Json, sink: IssueSink): void {
  const scoring = codeKeys(measure.scoring)
    .map((k) => k.split('#')[1])
    .find(Boolean);
  const score = group.measureScore;
  if (report.type === 'data-collection' || scoring === 'cohort') {
    if (score !== undefined)
      sink.report(
        RULE,
        `${at}.measureScore`,
        report.type === 'data-collection'
          ? 'A data-collection report has no measure score: leave it out'
          : "The Measure's scoring is cohort, which has no measure score: leave it out",
      );
    return;
  }
  if (scoring !== 'proportion' && scoring !== 'ratio' && scoring !== 'continuous-variable') return;
  if (!isObject(score) || score.value === undefined) {
    if (report.status === 'complete')
      sink.report(
        RULE,
        at,
        `The Measure's scoring is ${scoring}: a complete report gives each group's measure score`,
      );
    return;
  }
  if (scoring === 'proportion' && typeof score.value === 'number' && (score.value < 0 || score.value > 1))
    sink.report(
      RULE,
      `${at}.measureScore.value`,
      'The Measure’s scoring is proportion: the measure score is a number from 0 to 1',
      score.value,
    );
}

/** One report group against the Measure's group it reports. */
function checkGroup(group: Json, definition: Json, at: string, measure: Json, report: Json, sink: IssueSink) {
  const populations = objects(definition.population);
  const found = matchByCode(
    objects(group.population),
    populations,
    (i) => `${at}.population[${i}]`,
    'population',
    sink,
  );
  for (const population of populations)
    if (!found.has(population) && !codeKeys(population.code).includes(MEASURE_OBSERVATION))
      sink.report(
        RULE,
        at,
        `The group does not report the Measure's population ${codeWords(population.code)}`,
        undefined,
        `${RULE}|${at}|population ${codeWords(population.code)}`,
      );
  checkScore(group, at, measure, report, sink);
  const stratifiers = objects(definition.stratifier);
  const reported = matchByCode(
    objects(group.stratifier),
    stratifiers,
    (i) => `${at}.stratifier[${i}]`,
    'stratifier',
    sink,
  );
  stratifiers.forEach((stratifier, i) => {
    if (!reported.has(stratifier))
      sink.report(
        RULE,
        at,
        `The group does not report the Measure's stratifier ${codeWords(stratifier.code)}${typeof stratifier.id === 'string' ? ` (id ${stratifier.id})` : ''}`,
        undefined,
        `${RULE}|${at}|stratifier ${i}`,
      );
  });
}

/** A MeasureReport against its Measure: groups, populations, stratifiers and scores. */
export function checkMeasureReport(report: Json, measure: Json, at: string, sink: IssueSink): void {
  const defined = objects(measure.group);
  if (defined.length === 0) return;
  const groups = objects(report.group);
  const [only] = groups;
  const [onlyDefined] = defined;
  if (groups.length === 1 && defined.length === 1 && only && onlyDefined) {
    // one group each: it may go without a code, but a code it has must be the Measure's
    const groupAt = `${at}.group[0]`;
    if (
      codeKeys(only.code).length > 0 &&
      codeKeys(onlyDefined.code).length > 0 &&
      !sameCode(only.code, onlyDefined.code)
    )
      sink.report(
        RULE,
        groupAt,
        `The report's group has the code ${codeWords(only.code)}, the Measure's group ${codeWords(onlyDefined.code)}`,
      );
    checkGroup(only, onlyDefined, groupAt, measure, report, sink);
    return;
  }
  const found = matchByCode(
    groups,
    defined,
    (i) => `${at}.group[${i}]`,
    'group',
    sink,
    (group, definition, groupAt) => checkGroup(group, definition, groupAt, measure, report, sink),
  );
  if (report.type === 'data-collection') return;
  defined.forEach((group, i) => {
    if (!found.has(group))
      sink.report(
        RULE,
        at,
        `The report does not include the Measure's group ${codeWords(group.code)}`,
        undefined,
        `${RULE}|${at}|group ${i}`,
      );
  });
}
