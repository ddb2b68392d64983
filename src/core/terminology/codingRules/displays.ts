/**
 * The rules of a concept's displays and status: a code in the wrong case, a display in none of the
 * languages asked for, an inactive or deprecated concept, a display out of use, a wrong display
 * (an error, a warning when the request is lenient). Displays count from the concept, its
 * designations and the supplements in force, less designations marked out of use.
 */
import type { IndexedCodeSystem, IndexedConcept, IndexedDesignation } from '../store.ts';
import { type CodingRule, type ConceptContext, normal } from './types.ts';

/** The languages of a display-language list (`en-AU; q=0.4, de`), weights and `*` left out. */
export function languagesOf(displayLanguage: string | undefined): string[] {
  if (!displayLanguage) return [];
  return displayLanguage
    .split(',')
    .map((p) => (p.split(';')[0] ?? '').trim())
    .filter((p) => p !== '' && p !== '*');
}

function sameLanguage(a: string | undefined, wanted: string): boolean {
  if (!a) return false;
  const x = a.toLowerCase();
  const y = wanted.toLowerCase();
  return x === y || x.startsWith(`${y}-`) || y.startsWith(`${x}-`);
}

/**
 * The designations of a concept that are correct displays: its own and those of the supplements in
 * force, less those marked out of use (deprecated, withdrawn).
 */
function designationsOf(concept: IndexedConcept, supplements: ReadonlySet<string>): IndexedDesignation[] {
  return concept.designations.filter(
    (d) => d.status === undefined && (d.supplement === undefined || supplements.has(d.supplement)),
  );
}

/** Whether a concept has a display in one of the languages asked for. */
function hasLanguage(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  languages: readonly string[],
  supplements: ReadonlySet<string>,
): boolean {
  if (concept.display !== undefined && languages.some((l) => sameLanguage(cs.resource.language, l)))
    return true;
  return designationsOf(concept, supplements).some((d) =>
    languages.some((l) => sameLanguage(d.language ?? cs.resource.language, l)),
  );
}

/** The displays a concept has, in the requested languages when any are asked for. */
export function displaysOf(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  languages: readonly string[],
  supplements: ReadonlySet<string>,
): string[] {
  const all: { language?: string; value: string }[] = [];
  if (concept.display !== undefined) all.push({ language: cs.resource.language, value: concept.display });
  for (const d of designationsOf(concept, supplements)) all.push({ language: d.language, value: d.value });
  if (languages.length === 0) return all.map((d) => d.value);
  const wanted = all.filter((d) =>
    languages.some((l) => sameLanguage(d.language ?? cs.resource.language, l)),
  );
  // a concept without a display in the language asked for: any display will do
  return (wanted.length ? wanted : all).map((d) => d.value);
}

/** The designation, no longer a correct display, that the coding's display is, if any. */
function outOfUse(c: ConceptContext): IndexedDesignation | undefined {
  const given = normal(c.coding.display ?? '');
  return c.concept.designations.find(
    (d) =>
      d.status !== undefined &&
      (d.supplement === undefined || c.req.supplementsInForce.has(d.supplement)) &&
      normal(d.value) === given,
  );
}

/** Whether the coding gives a display that none of the concept's correct displays is. */
function displayDiffers(c: ConceptContext): boolean {
  if (c.coding.display === undefined || c.displays.length === 0) return false;
  const given = normal(c.coding.display);
  return !c.displays.some((d) => normal(d) === given);
}

/** A code in a case-insensitive code system, given in another case. */
export const caseDiffers: CodingRule = {
  id: 'case-differs',
  stage: 'concept',
  describe:
    'A code that differs from the correct one by case (a case-insensitive code system) is said, for information',
  applies: (c) => c.concept.code !== c.code,
  check(c) {
    c.out.normalizedCode = c.concept.code;
    c.issues.push({
      severity: 'information',
      code: 'business-rule',
      type: 'code-rule',
      text: `The code '${c.code}' differs from the correct code '${c.concept.code}' by case. Although the code system '${c.system}|${c.cs.version ?? ''}' is case insensitive, implementers are strongly encouraged to use the correct case anyway`,
      expression: c.at.codePath,
    });
  },
};

/** A right display, but none in the language asked for (a code system that states its own language). */
export const displayLanguage: CodingRule = {
  id: 'display-language',
  stage: 'concept',
  describe: 'A correct display when the concept has none in the language asked for is said, for information',
  applies: (c) =>
    c.languages.length > 0 &&
    c.coding.display !== undefined &&
    c.cs.resource.language !== undefined &&
    c.displays.some((d) => normal(d) === normal(c.coding.display ?? '')) &&
    !hasLanguage(c.cs, c.concept, c.languages, c.req.supplementsInForce),
  check(c) {
    c.issues.push({
      severity: 'information',
      code: 'invalid',
      type: 'invalid-display',
      text: `There are no valid display names found for the code ${c.system}#${c.concept.code} for the language(s) '${c.languages.join(', ')}'. The display is '${c.concept.display ?? ''}', the default language display`,
      expression: c.at.displayPath,
    });
  },
};

/** An inactive concept is valid, with a warning to review its use. */
export const inactiveConcept: CodingRule = {
  id: 'inactive-concept',
  stage: 'concept',
  describe: 'An inactive concept is a warning: its use should be reviewed',
  applies: (c) => c.concept.inactive,
  check(c) {
    c.out.inactive = true;
    c.issues.push({
      severity: 'warning',
      code: 'business-rule',
      type: 'code-comment',
      text: `The concept '${c.concept.code}' has a status of ${c.concept.status ?? 'inactive'} and its use should be reviewed`,
      expression: c.at.path,
    });
  },
};

/** A deprecated concept (still active) is valid, with a warning to review its use. */
export const deprecatedConcept: CodingRule = {
  id: 'deprecated-concept',
  stage: 'concept',
  describe: 'A deprecated concept is a warning: its use should be reviewed',
  applies: (c) => !c.concept.inactive && c.concept.status === 'deprecated',
  check(c) {
    c.issues.push({
      severity: 'warning',
      code: 'business-rule',
      type: 'code-comment',
      text: `The concept '${c.concept.code}' is deprecated and its use should be reviewed`,
      expression: c.at.path,
    });
  },
};

/** A display the code system once gave and has since taken out of use. */
export const displayOutOfUse: CodingRule = {
  id: 'display-out-of-use',
  stage: 'concept',
  describe: 'A display the code system has taken out of use is a warning',
  applies: (c) => displayDiffers(c) && outOfUse(c) !== undefined,
  check(c) {
    c.issues.push({
      severity: 'warning',
      code: 'invalid',
      type: 'display-comment',
      text: `'${c.coding.display}' is no longer considered a correct display for code '${c.concept.code}' (status = ${outOfUse(c)?.status}). The correct display is one of ${c.displays.map((d) => `"${d}"`).join(', ')}`,
      expression: c.at.displayPath,
    });
  },
};

/** A display that is none of the concept's. */
export const wrongDisplay: CodingRule = {
  id: 'wrong-display',
  stage: 'concept',
  describe: "A display that is none of the concept's is an error (a warning when the request is lenient)",
  applies: (c) => displayDiffers(c) && outOfUse(c) === undefined,
  check(c) {
    const lenient = c.req.lenientDisplay === true;
    c.issues.push({
      severity: lenient ? 'warning' : 'error',
      code: 'invalid',
      type: 'invalid-display',
      text: `Wrong Display Name '${c.coding.display}' for ${c.system}#${c.concept.code}. Valid display is ${c.displays.map((d) => `'${d}'`).join(' or ')}${c.languages.length ? ` (for the language(s) '${c.languages.join(', ')}')` : ''}`,
      expression: c.at.displayPath,
    });
    if (!lenient) c.valid = false;
  },
};
