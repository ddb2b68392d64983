/**
 * Records pulled from a FHIR server, kept as NDJSON (one resource per line) per resource type: the
 * layout of a bulk export, so the pull is validated and downloaded as if the server had exported
 * it. Each page is added as it arrives, so a pull that fails or is cancelled keeps every record
 * read before it stopped.
 *
 * Constraint: memory only (the records are patient data); nothing here stores or sends them.
 */
import type { FhirResourceJson } from './pull.ts';

/** One resource type's pull. */
export interface PulledSet {
  resourceType: string;
  /** the NDJSON, one part per page (each part ends with a line break) */
  parts: string[];
  records: number;
  /** the server's total, when it gave one */
  total: number | undefined;
  /** how the records were read, once the pull has ended well */
  method: 'export' | 'paging' | undefined;
  /** why the pull stopped before the end (a message for people), or undefined */
  stopped: string | undefined;
  /** true once every record was read */
  complete: boolean;
  /** a bulk export's problems the server listed in its error files (absent: none, or paging) */
  serverProblems?: number;
}

/** An empty set, before the first page. */
export function startPulledSet(resourceType: string): PulledSet {
  return {
    resourceType,
    parts: [],
    records: 0,
    total: undefined,
    method: undefined,
    stopped: undefined,
    complete: false,
  };
}

/** Adds a page of resources (a page with none adds nothing). */
export function addPulledPage(set: PulledSet, resources: readonly FhirResourceJson[], total?: number): void {
  if (total !== undefined) set.total = total;
  if (resources.length === 0) return;
  set.parts.push(`${resources.map((r) => JSON.stringify(r)).join('\n')}\n`);
  set.records += resources.length;
}

/**
 * The file name of a pull: `Patient-fhir.example.org.ndjson` (the port joined with "-"), the same
 * for every pull from one server, so runs of it form one series of rehearsals.
 */
export function pulledFileName(resourceType: string, baseUrl: string): string {
  const { hostname, port } = new URL(baseUrl);
  const host = `${hostname}${port ? `-${port}` : ''}`.replace(/[^A-Za-z0-9.-]/g, '-');
  return `${resourceType}-${host}.ndjson`;
}

/** The pull as an NDJSON file (its bytes are the parts, not copied into one string). */
export function pulledFile(set: PulledSet, baseUrl: string): File {
  return new File(set.parts, pulledFileName(set.resourceType, baseUrl), { type: 'application/fhir+ndjson' });
}
