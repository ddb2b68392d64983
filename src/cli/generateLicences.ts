/**
 * Writes the list of production dependencies and their licences into docs/licences.md, between
 * its two markers (the prose around them is written by hand). `npm run licences`; a unit test
 * fails while the list is not current.
 *
 * Source: package-lock.json, which records for every installed package the `license` field of its
 * own package.json — the same data `npm sbom --omit=dev` puts in its CycloneDX document, read
 * here without installing or running npm, so the list is a pure function of the lockfile.
 * Production means every package not marked `dev` or `devOptional`: what `npm ci --omit=dev`
 * installs. Optional packages (platform builds npm installs only where they run) are marked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The document and the markers its generated part sits between. */
export const LICENCES_DOC = path.join(ROOT, 'docs/licences.md');
export const START_MARKER = '<!-- licences:start (npm run licences writes this part) -->';
export const END_MARKER = '<!-- licences:end -->';

/** What package-lock.json (v2/v3) records per package. */
interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
}

/**
 * What the list says for a package whose package.json declares no licence or only points at a
 * file: read by hand from the package's own files.
 */
const LICENCE_NOTES: Readonly<Record<string, string>> = {
  'emitter-component':
    'none declared (a copy of component-emitter, MIT; used through the `stream` package of ucum-lhc)',
  fhirpath: 'NLM terms, BSD-style (LICENSE.md; see above)',
  '@lhncbc/ucum-lhc': 'NLM terms, BSD-style, and the UCUM terms of use (LICENSE.md; see above)',
};

/** One production package. */
export interface LicenceRow {
  name: string;
  version: string;
  licence: string;
  optional: boolean;
}

/** The production packages of a lockfile, sorted by name then version. */
export function productionPackages(lock: { packages?: Record<string, LockPackage> }): LicenceRow[] {
  const rows: LicenceRow[] = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (where === '' || entry.dev || entry.devOptional) continue;
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const declared = entry.license;
    const licence =
      LICENCE_NOTES[name] ?? (declared && !/^SEE LICEN[CS]E/i.test(declared) ? declared : undefined);
    rows.push({
      name,
      version: entry.version ?? '?',
      licence: licence ?? `not declared (${declared ?? 'no licence field'}): read the package`,
      optional: entry.optional === true,
    });
  }
  const unique = new Map(rows.map((r) => [`${r.name}@${r.version}`, r]));
  return [...unique.values()].sort((a, b) =>
    a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1,
  );
}

/** The generated part: a count per licence, then one row per package. */
export function licencesSection(rows: readonly LicenceRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.licence, (counts.get(row.licence) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return [
    START_MARKER,
    '',
    `${rows.length} packages (${rows.filter((r) => r.optional).length} of them optional platform builds), from package-lock.json.`,
    '',
    '| licence | packages |',
    '|---|---|',
    ...byCount.map(([licence, count]) => `| ${licence} | ${count} |`),
    '',
    '| package | version | licence |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.name}${r.optional ? ' (optional)' : ''} | ${r.version} | ${r.licence} |`),
    '',
    END_MARKER,
  ].join('\n');
}

/** `doc` with its generated part replaced by `section`; throws when a marker is missing. */
export function withSection(doc: string, section: string): string {
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start)
    throw new Error(`docs/licences.md lacks the markers ${START_MARKER} … ${END_MARKER}`);
  return `${doc.slice(0, start)}${section}${doc.slice(end + END_MARKER.length)}`;
}

/** The document as it should be for the current lockfile. */
export function currentLicencesDoc(): string {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  return withSection(readFileSync(LICENCES_DOC, 'utf8'), licencesSection(productionPackages(lock)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(LICENCES_DOC, currentLicencesDoc());
  console.log(`${path.relative(ROOT, LICENCES_DOC)} written`);
}
