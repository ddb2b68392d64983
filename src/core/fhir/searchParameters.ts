/**
 * Search parameters against the definitions they name: a SearchParameter `derivedFrom` one of the
 * specification keeps its type and applies only to resource types it applies to, and a
 * CapabilityStatement that names a definition for a search parameter states the definition's type.
 * A server built to such a statement answers searches with the wrong matching (a date search on a
 * token), and a derived parameter with another type or base cannot be the one it claims to narrow.
 *
 * Constraints: only definitions at hand are judged (the specification's, from the digest); a
 * definition the run does not hold is not judged, as the Java validator only warns there, and is
 * said (information, {@link NOT_CHECKED}) so the reader knows the parameter was not compared.
 */
import type { SearchParameterDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';

/** Finds a search parameter definition by canonical URL (`url` or `url|version`). */
export type SearchParameterLookup = (canonical: string) => SearchParameterDigest | undefined;

/** The lookup over the specification's search parameters; a version suffix is ignored (R4 has one). */
export function searchParameterLookup(
  definitions: Readonly<Record<string, SearchParameterDigest>> | undefined,
): SearchParameterLookup {
  return (canonical) => (definitions ? definitions[canonical.split('|')[0] as string] : undefined);
}

const RULE = 'fhir-search-parameter-mismatch';
/** The rule saying a definition a search parameter names is not held, so it was not compared. */
const NOT_CHECKED = 'fhir-search-parameter-not-checked';

/** A SearchParameter against the one it is `derivedFrom`: the same type, and a base within that one's. */
export function checkSearchParameter(
  resource: Record<string, unknown>,
  at: string,
  sink: IssueSink,
  find: SearchParameterLookup,
): void {
  const from = resource.derivedFrom;
  if (typeof from !== 'string' || from === '') return;
  const master = find(from);
  if (!master) {
    sink.report(
      NOT_CHECKED,
      `${at}.derivedFrom`,
      `The search parameter is not checked against ${from}, which it is derived from: that definition is not part of FHIR R4, and definitions from guides are not held here`,
      from,
    );
    return;
  }
  if (typeof resource.type === 'string' && resource.type !== master.type)
    sink.report(
      RULE,
      `${at}.type`,
      `The search parameter is derived from ${from}, whose type is ${master.type}: a derived parameter keeps the type of the one it derives from`,
      resource.type,
    );
  if (!Array.isArray(resource.base) || master.base.includes('Resource')) return;
  resource.base.forEach((base: unknown, i) => {
    if (typeof base === 'string' && !master.base.includes(base))
      sink.report(
        RULE,
        `${at}.base[${i}]`,
        `The search parameter is derived from ${from}, which applies to ${master.base.join(', ')} only: a derived parameter cannot apply to other resource types`,
        base,
      );
  });
}

/** Each search parameter of a CapabilityStatement that names a definition states that definition's type. */
export function checkCapabilityStatement(
  resource: Record<string, unknown>,
  at: string,
  sink: IssueSink,
  find: SearchParameterLookup,
): void {
  eachObject(resource.rest, `${at}.rest`, (rest, restAt) =>
    eachObject(rest.resource, `${restAt}.resource`, (stated, statedAt) =>
      eachObject(stated.searchParam, `${statedAt}.searchParam`, (param, paramAt) => {
        if (typeof param.definition !== 'string' || typeof param.type !== 'string') return;
        const definition = find(param.definition);
        if (!definition)
          sink.report(
            NOT_CHECKED,
            `${paramAt}.definition`,
            `The search parameter's type is not checked against its definition ${param.definition}: that definition is not part of FHIR R4, and definitions from guides are not held here`,
            param.definition,
          );
        else if (definition.type !== param.type)
          sink.report(
            RULE,
            `${paramAt}.type`,
            `The search parameter's definition ${param.definition} has type ${definition.type}: the statement must give that type`,
            param.type,
          );
      }),
    ),
  );
}

/** Calls `visit` with each object of a JSON list and its location. */
function eachObject(
  list: unknown,
  at: string,
  visit: (item: Record<string, unknown>, itemAt: string) => void,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((item: unknown, i) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item))
      visit(item as Record<string, unknown>, `${at}[${i}]`);
  });
}
