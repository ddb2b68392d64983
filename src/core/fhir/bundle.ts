/**
 * Bundle rules and references inside a Bundle: entry fullUrls (absolute, unique unless versions
 * differ: bdl-7), request/response by Bundle type (bdl-3, bdl-4), link relations once each, and
 * each entry's references resolved against the other entries the way the Java validator does
 * (relative references against the entry's RESTful base, versions by `meta.versionId`).
 */
import type { IssueSink } from './issues.ts';
import type { CollectedReference, ResourceScope } from './walk.ts';

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const RESTFUL = /^(https?:\/\/.+\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;
const HISTORY = /^(.*)\/_history\/([A-Za-z0-9\-.]{1,64})$/;

const REQUEST_TYPES = new Set(['batch', 'transaction', 'history']);
const RESPONSE_TYPES = new Set(['batch-response', 'transaction-response', 'history']);
/** Bundle types whose references are expected to resolve inside the Bundle (self-contained). */
const SELF_CONTAINED = new Set(['document', 'message', 'collection']);
/** A conditional reference: a resource type and a search (`Practitioner?identifier=…`). */
const CONDITIONAL = /^[A-Z][A-Za-z]+\?/;

/**
 * Reports a conditional reference outside a transaction Bundle: only a transaction's server looks
 * it up (and replaces it by the id it finds); in an export or any other Bundle it points at nothing.
 */
export function reportConditionalReference(ref: CollectedReference, where: string, sink: IssueSink): void {
  if (!CONDITIONAL.test(ref.reference)) return;
  sink.report(
    'fhir-reference-conditional',
    `${ref.location}.reference`,
    `A conditional reference (a search) is looked up only in a transaction Bundle; ${where} it points at nothing: give the resource id (Type/id)`,
    ref.reference,
  );
}

interface Entry {
  index: number;
  fullUrl?: string;
  type?: string;
  id?: string;
  version?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Checks a Bundle; `scopes` holds what the walk collected for each entry's resource. */
export function checkBundle(
  bundle: Record<string, unknown>,
  location: string,
  scopes: ReadonlyMap<object, ResourceScope>,
  sink: IssueSink,
): void {
  if (!sink.layers.has('references')) return;
  const bundleType = str(bundle.type);
  const rawEntries = Array.isArray(bundle.entry) ? (bundle.entry as unknown[]) : [];
  // by entry index (holes for entries that are not objects), so resolution stays linear in the Bundle
  const entries: (Entry | undefined)[] = [];
  const byFullUrl = new Map<string, Entry[]>();
  const byTypeId = new Map<string, Entry[]>();
  rawEntries.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object') return;
    const e = raw as Record<string, unknown>;
    const resource = (e.resource && typeof e.resource === 'object' ? e.resource : {}) as Record<
      string,
      unknown
    >;
    const meta = (resource.meta && typeof resource.meta === 'object' ? resource.meta : {}) as Record<
      string,
      unknown
    >;
    const entry: Entry = { index };
    const fullUrl = str(e.fullUrl);
    if (fullUrl !== undefined) entry.fullUrl = fullUrl;
    const type = str(resource.resourceType);
    if (type !== undefined) entry.type = type;
    const id = str(resource.id);
    if (id !== undefined) entry.id = id;
    const version = str(meta.versionId);
    if (version !== undefined) entry.version = version;
    entries[index] = entry;
    const at = `${location}.entry[${index}]`;
    if (fullUrl !== undefined) {
      if (!ABSOLUTE.test(fullUrl)) {
        sink.report(
          'fhir-bundle-full-url',
          `${at}.fullUrl`,
          'Expected an absolute fullUrl (http(s)://…/Type/id, urn:uuid:… or urn:oid:…), not a relative reference',
          fullUrl,
        );
      }
      const same = byFullUrl.get(fullUrl) ?? [];
      if (same.some((other) => other.version === entry.version)) {
        sink.report(
          'fhir-bundle-full-url',
          `${at}.fullUrl`,
          'Expected each fullUrl once in a Bundle (bdl-7), unless the entries are different versions (meta.versionId)',
          fullUrl,
        );
      }
      same.push(entry);
      byFullUrl.set(fullUrl, same);
    }
    if (type && id) {
      const key = `${type}/${id}`;
      const list = byTypeId.get(key) ?? [];
      list.push(entry);
      byTypeId.set(key, list);
    }
    if (bundleType) {
      const needsRequest = REQUEST_TYPES.has(bundleType);
      if (needsRequest !== (e.request !== undefined)) {
        sink.report(
          'fhir-bundle-request',
          `${at}.request`,
          needsRequest
            ? `A ${bundleType} Bundle needs a request in every entry (bdl-3)`
            : `A ${bundleType} Bundle has no request in its entries (bdl-3): only batch, transaction and history Bundles do`,
        );
      }
      const needsResponse = RESPONSE_TYPES.has(bundleType);
      if (needsResponse !== (e.response !== undefined)) {
        sink.report(
          'fhir-bundle-request',
          `${at}.response`,
          needsResponse
            ? `A ${bundleType} Bundle needs a response in every entry (bdl-4)`
            : `A ${bundleType} Bundle has no response in its entries (bdl-4): only batch-response, transaction-response and history Bundles do`,
        );
      }
    }
  });

  if (Array.isArray(bundle.link)) {
    const seen = new Set<string>();
    (bundle.link as unknown[]).forEach((link, index) => {
      const relation =
        link && typeof link === 'object' ? str((link as Record<string, unknown>).relation) : undefined;
      if (relation === undefined) return;
      if (seen.has(relation)) {
        sink.report(
          'fhir-bundle-link',
          `${location}.link[${index}].relation`,
          'Expected each link relation (self, first, previous, next, last) at most once in a Bundle',
          relation,
        );
      }
      seen.add(relation);
    });
  }

  rawEntries.forEach((raw, index) => {
    const resource = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).resource : undefined;
    const scope = resource && typeof resource === 'object' ? scopes.get(resource) : undefined;
    const from = entries[index];
    if (!scope || !from) return;
    for (const ref of scope.references) resolve(ref, from, bundleType, byFullUrl, byTypeId, sink);
  });
}

function resolve(
  ref: CollectedReference,
  from: Entry,
  bundleType: string | undefined,
  byFullUrl: ReadonlyMap<string, Entry[]>,
  byTypeId: ReadonlyMap<string, Entry[]>,
  sink: IssueSink,
): void {
  const location = `${ref.location}.reference`;
  const text = ref.reference.split('#')[0] as string;
  if (text === '') return;
  if (CONDITIONAL.test(text)) {
    if (bundleType !== 'transaction')
      reportConditionalReference(ref, `in a ${bundleType ?? 'Bundle without a type'} Bundle`, sink);
    return;
  }
  let candidates: Entry[] | undefined;
  let version: string | undefined;
  const mustResolve = text.startsWith('urn:');
  const relative = RELATIVE.exec(text);
  if (relative) {
    version = relative[3];
    const plain = `${relative[1]}/${relative[2]}`;
    const base = from.fullUrl ? RESTFUL.exec(from.fullUrl)?.[1] : undefined;
    candidates = base ? byFullUrl.get(`${base}${plain}`) : byTypeId.get(plain);
  } else if (ABSOLUTE.test(text)) {
    const history = HISTORY.exec(text);
    version = history?.[2];
    candidates = byFullUrl.get(history ? (history[1] as string) : text);
  } else {
    return;
  }
  const all = candidates ?? [];
  const matches = version === undefined ? all : all.filter((e) => e.version === version);
  if (matches.length > 1) {
    sink.report(
      'fhir-reference-ambiguous',
      location,
      `This reference matches ${matches.length} entries of the Bundle: give the version (…/_history/n) or remove the duplicate entries`,
      ref.reference,
    );
  } else if (matches.length === 1) {
    // a urn:uuid or full URL names no type: the entry it resolves to must be of an allowed one
    const type = matches[0]?.type;
    if (ref.targets && type !== undefined && !ref.targets.includes(type) && !sink.hasErrorAt(location))
      sink.report(
        'fhir-reference-type',
        location,
        `Expected a reference to ${ref.targets.join(', ')}`,
        ref.reference,
      );
  } else if (matches.length === 0) {
    if (all.length > 0) {
      sink.report(
        'fhir-reference-unresolved',
        location,
        'No entry of the Bundle has the version this reference names',
        ref.reference,
      );
    } else if (mustResolve) {
      // the Java validator warns here: a urn: cannot resolve anywhere but inside the Bundle
      sink.report(
        'fhir-reference-not-in-export',
        location,
        'No entry of the Bundle has this fullUrl, and a urn: reference can only point inside the Bundle',
        ref.reference,
      );
    } else if (bundleType && SELF_CONTAINED.has(bundleType)) {
      sink.report(
        'fhir-reference-not-in-export',
        location,
        `The referenced resource is not in this ${bundleType} Bundle`,
        ref.reference,
      );
    }
  }
}
