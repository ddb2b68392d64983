/**
 * The value-domain layer: what the R4 JSON Schema cannot say about primitive values — integer
 * ranges (the schema puts `pattern` on numbers, which JSON Schema ignores), real calendar dates,
 * the UUID of a `urn:uuid:` URI,
 * date-times with a time but no zone, empty strings, the 1 MB string limit, base64, and the
 * narrative's XHTML. Also each FHIR type's format in plain words, shared with the structure
 * layer's messages.
 */

/** Each primitive type's format, in plain words ("Expected …"). */
const FORMAT_TEXT: Record<string, string> = {
  id: 'an id of 1 to 64 letters, digits, "-" or "."',
  date: 'a date as YYYY, YYYY-MM or YYYY-MM-DD',
  dateTime: 'a date-time as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone (Z or +hh:mm)',
  instant: 'an instant as YYYY-MM-DDThh:mm:ss (optionally .sss) with a time zone (Z or +hh:mm)',
  time: 'a time of day as hh:mm:ss',
  code: 'a code: text without leading, trailing or repeated spaces',
  uri: 'a URI without spaces',
  url: 'a URL without spaces',
  canonical: 'a canonical URL without spaces',
  oid: 'an OID as urn:oid: followed by numbers separated by dots',
  uuid: 'a UUID as urn:uuid: followed by a lowercase UUID',
  string: 'non-empty text',
  markdown: 'non-empty text',
  xhtml: 'an XHTML <div> in the XHTML namespace',
  integer: 'a whole number from -2147483648 to 2147483647',
  positiveInt: 'a whole number from 1 to 2147483647',
  unsignedInt: 'a whole number from 0 to 2147483647',
  decimal: 'a decimal number',
  boolean: 'true or false',
  base64Binary: 'base64 text',
};

/** Plain words for a FHIR type's format; the type name for datatypes. */
export function formatText(type: string): string {
  return FORMAT_TEXT[type] ?? `a ${type}`;
}

/** FHIR's limit for one string value: 1 MB (the Java validator counts characters); none for base64Binary. */
const MAX_STRING_LENGTH = 1024 * 1024;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;
/** A UUID as FHIR writes it after `urn:uuid:`: lowercase hexadecimal in 8-4-4-4-12 groups. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const URI_TYPES = new Set(['uri', 'url', 'canonical']);
const STRING_TYPES = new Set(['string', 'markdown', 'code', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid']);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const num = (part: string | undefined): number | undefined => (part === undefined ? undefined : Number(part));

/** Whether the calendar parts that are present form a real date and time. */
function realDate(parts: (string | undefined)[]): boolean {
  const y = num(parts[0]);
  const mo = num(parts[1]);
  const d = num(parts[2]);
  const h = num(parts[3]);
  const mi = num(parts[4]);
  const s = num(parts[5]);
  if (y === undefined || y < 1) return false;
  if (mo !== undefined && (mo < 1 || mo > 12)) return false;
  if (d !== undefined && mo !== undefined && (d < 1 || d > daysInMonth(y, mo))) return false;
  if (h !== undefined && h > 23) return false;
  if (mi !== undefined && mi > 59) return false;
  // 60 is a leap second, which the specification's pattern allows
  if (s !== undefined && s > 60) return false;
  return true;
}

// problems are built only when found (no closures per call): this runs for every date of every resource
function formatProblem(type: string): { rule: string; message: string } {
  return { rule: 'fhir-invalid-format', message: `Expected ${formatText(type)}` };
}

function impossibleProblem(type: string, what: string): { rule: string; message: string } {
  return { rule: 'fhir-impossible-date', message: `Expected ${formatText(type)}: ${what}` };
}

/**
 * Checks a date, dateTime, instant or time value. Returns the rule and message of the first
 * problem, or undefined when it is fine.
 */
function checkTemporal(type: string, value: string): { rule: string; message: string } | undefined {
  if (type === 'date') {
    const m = DATE.exec(value);
    if (!m) return formatProblem(type);
    return realDate(m.slice(1))
      ? undefined
      : impossibleProblem(type, 'this date does not exist on the calendar');
  }
  if (type === 'dateTime') {
    const m = DATE_TIME.exec(value);
    if (!m) return formatProblem(type);
    if (m[4] !== undefined && m[6] === undefined) return formatProblem(type); // hh:mm without seconds
    if (!realDate(m.slice(1, 7)))
      return impossibleProblem(type, 'this date or time does not exist on the calendar');
    if (m[4] !== undefined && m[7] === undefined)
      return impossibleProblem(type, 'a date-time with a time needs a time zone (Z or +hh:mm)');
    return undefined;
  }
  if (type === 'instant') {
    const m = INSTANT.exec(value);
    if (!m) return formatProblem(type);
    return realDate(m.slice(1, 7))
      ? undefined
      : impossibleProblem(type, 'this date or time does not exist on the calendar');
  }
  if (type === 'time') {
    const m = TIME.exec(value);
    if (!m) return formatProblem(type);
    return realDate(['2000', undefined, undefined, ...m.slice(1, 4)])
      ? undefined
      : impossibleProblem(type, 'this time does not exist');
  }
  return undefined;
}

/** Whether `value` is base64 as FHIR R4 allows it (whitespace between groups is allowed). */
export function isBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

/** Bytes encoded by a valid base64 text. */
export function base64Length(value: string): number {
  const compact = value.replace(/\s+/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return (compact.length / 4) * 3 - padding;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** The next character that is neither white space nor `<`, or a `<`. */
const TEXT_OR_TAG = /[^\s<]|</g;

/**
 * Whether some character outside the tags is not white space: what `/\S/` finds in the text with
 * each `<…>` removed (an unclosed `<` is text), read in place rather than on a copy of the
 * narrative without its tags (narratives are the largest values of most resources).
 */
function hasTextOutsideTags(xhtml: string): boolean {
  TEXT_OR_TAG.lastIndex = 0;
  for (;;) {
    const found = TEXT_OR_TAG.exec(xhtml);
    if (!found) return false;
    if (found[0] !== '<') return true;
    const close = xhtml.indexOf('>', found.index + 1);
    if (close < 0) return true; // no tag: the `<` itself is text
    TEXT_OR_TAG.lastIndex = close + 1;
  }
}

/** What is wrong with a narrative div, or undefined (a light check: root, namespace, entities, scripts, some content). */
export function xhtmlProblem(div: string): string | undefined {
  const trimmed = div.trim();
  if (!/^<div[\s>]/.test(trimmed) || !trimmed.endsWith('</div>'))
    return 'Expected the narrative to be one XHTML <div> element';
  if (!/^<div[^>]*\sxmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(trimmed))
    return 'Expected the narrative <div> to declare the XHTML namespace (xmlns="http://www.w3.org/1999/xhtml")';
  for (const match of trimmed.matchAll(/&([A-Za-z][A-Za-z0-9]*);/g)) {
    if (!XML_ENTITIES.has(match[1] as string))
      return 'Expected only the XML entities &amp; &lt; &gt; &quot; &apos; or numeric ones (&#174;) in the narrative: HTML named entities are not XHTML';
  }
  if (/<(script|object|applet|embed|iframe|form|input)\b/i.test(trimmed) || /\son[a-z]+\s*=/i.test(trimmed))
    return 'Expected a narrative without scripts, forms, embedded objects or event handlers';
  // txt-2: some text (an entity counts) or an image, as the Java validator's htmlChecks
  if (!/<img\b/i.test(trimmed) && !hasTextOutsideTags(trimmed))
    return 'Expected the narrative to have some text: this <div> is empty (txt-2)';
  return undefined;
}

/** A problem with a primitive value: the rule it breaks and the message (never the value). */
interface PrimitiveProblem {
  rule: string;
  message: string;
  /** false when the value must not be kept as an example (a narrative: too much content) */
  keepValue?: false;
}

/**
 * What is wrong with one primitive value of FHIR type `type`, or undefined. JSON types are the
 * structure layer's; only values of the right JSON type are judged. Location-free, so the walk
 * builds a location string only for values that have a problem.
 */
export function primitiveProblem(type: string, value: unknown): PrimitiveProblem | undefined {
  if (typeof value === 'number') {
    if (type === 'integer' || type === 'positiveInt' || type === 'unsignedInt') {
      const min = type === 'positiveInt' ? 1 : type === 'unsignedInt' ? 0 : INT32_MIN;
      if (!Number.isInteger(value) || value < min || value > INT32_MAX)
        return { rule: 'fhir-number-range', message: `Expected ${formatText(type)}` };
    }
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (value.length === 0)
    return { rule: 'fhir-empty', message: 'An empty string is not a value in FHIR: leave the element out' };
  // R4 limits `string` (and the types built on it) to 1 MB; base64Binary has no limit: a scanned
  // letter or PDF in Attachment.data is often larger
  if (value.length > MAX_STRING_LENGTH && type !== 'base64Binary')
    return { rule: 'fhir-too-long', message: 'Expected at most 1 MB (1,048,576 characters) of text' };
  if (STRING_TYPES.has(type) && type !== 'markdown' && type !== 'string' && value.trim() !== value)
    return { rule: 'fhir-invalid-format', message: `Expected ${formatText(type)}` };
  if (type === 'string' && value.trim().length === 0)
    return {
      rule: 'fhir-empty',
      message: 'Text of only spaces is not a value in FHIR: leave the element out',
    };
  if (type === 'date' || type === 'dateTime' || type === 'instant' || type === 'time')
    return checkTemporal(type, value);
  // a urn:uuid URI names its target by the UUID: one that is malformed (or in capitals) matches no
  // fullUrl written the FHIR way, as the Java validator holds it
  if (URI_TYPES.has(type) && value.startsWith('urn:uuid:') && !UUID.test(value.slice('urn:uuid:'.length)))
    return { rule: 'fhir-invalid-format', message: `Expected ${formatText('uuid')}` };
  if (type === 'base64Binary')
    return isBase64(value)
      ? undefined
      : { rule: 'fhir-invalid-base64', message: `Expected ${formatText(type)}` };
  if (type === 'xhtml') {
    const message = xhtmlProblem(value);
    return message ? { rule: 'fhir-invalid-xhtml', message, keepValue: false } : undefined;
  }
  return undefined;
}
