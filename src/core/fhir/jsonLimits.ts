/**
 * Bounds on FHIR JSON text, checked while it streams in, before `JSON.parse` sees it. A 100 MB
 * text value in one NDJSON line used to be gathered whole, parsed and walked: about 1.4 GB at the
 * peak for the CLI. Every text value, property name and NDJSON line is counted as it arrives, and
 * the first one over its bound is refused at its line and column; the reader drops the rest of
 * that resource's text instead of holding it.
 *
 * What is counted: characters (UTF-16 code units) as written, from a string's opening quote to its
 * closing one, escapes included (`\u00e9` counts 6). A string is a property name when it stands
 * where an object expects one (after `{` or, inside an object, after `,`). Nesting is not bounded
 * here: `JSON.parse` reads any depth without recursion, and nesting.ts refuses a resource deeper
 * than every layer can walk, at its element.
 */
import { createJsonStringLimit, type JsonTextLimit, type JsonTooLarge } from '../../formats/jsonTextLimit.ts';
import type { FhirIssue } from './issues.ts';
import { fhirIssue } from './issues.ts';

export type { JsonTooLarge };

/** Longest text value accepted: 16 Mi characters (FHIR's own bound on a string is 1 MB). */
export const MAX_JSON_STRING_CHARS = 16 * 1024 * 1024;
/** Longest property name accepted: 1,024 characters (FHIR's element names are under 64). */
export const MAX_JSON_NAME_CHARS = 1024;
/** Longest NDJSON line (one resource) accepted: 64 Mi characters. */
export const MAX_NDJSON_LINE_CHARS = 64 * 1024 * 1024;

/** The bounds of one reader; every one has its default above. */
export interface JsonLimitOptions {
  maxStringChars?: number;
  maxNameChars?: number;
  maxLineChars?: number;
}

/** Counts one FHIR JSON text with the bounds above (src/formats/jsonTextLimit.ts counts). */
export function createJsonTextLimit(options: JsonLimitOptions = {}, firstLine = 1): JsonTextLimit {
  return createJsonStringLimit(
    {
      maxStringChars: options.maxStringChars ?? MAX_JSON_STRING_CHARS,
      maxNameChars: options.maxNameChars ?? MAX_JSON_NAME_CHARS,
    },
    firstLine,
  );
}

/** The one issue of a resource whose text is over a bound: it was not read, the rest of the run was. */
export function jsonTooLargeIssue(found: JsonTooLarge): FhirIssue {
  const bound = found.max.toLocaleString('en-US');
  const where = `line ${found.line.toLocaleString('en-US')}, column ${found.column.toLocaleString('en-US')}`;
  const message =
    found.kind === 'line'
      ? `This line is longer than ${bound} characters, more than any one resource needs, so it was not read. Export it in smaller resources (large attachments as Binary resources fetched by URL), then validate again`
      : found.kind === 'name'
        ? `The property name starting at ${where} is longer than ${bound} characters, which no FHIR element has, so this resource was not read. Check that the file is a FHIR export, then validate again`
        : `The text starting at ${where} is longer than ${bound} characters, so this resource was not read. Export it without that element (a large attachment as a Binary resource fetched by URL), then validate again`;
  return { ...fhirIssue('fhir-json-too-long', '', message), line: found.line, column: found.column };
}
