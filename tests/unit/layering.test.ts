/**
 * The layers of docs/architecture.md#layers (`src/formats` ← `src/core` ← `workers/`,
 * `src/storage`, `src/fhir`, `src/cli` ← `src/app`), and the module surfaces of
 * docs/conventions.md#module-surfaces (outside a module of `src/core`, only its `index.ts`), are
 * enforced by `biome.json`; this test shows each rule failing on a forbidden edge and passing on
 * an allowed one — a lint rule nobody has seen fail is not a rule.
 *
 * How: the repository's own `biome.json` (its overrides untouched) is copied into two temporary
 * projects, one holding a fixture file per forbidden edge and one per allowed edge, each placed
 * where its layer lives (the overrides select by path, the patterns match the relative specifier).
 * The project's Biome binary lints each project once, with GitHub's annotation format, which
 * names the rule and the file of every diagnostic. No file of the repository is written.
 *
 * Known gaps of the rule itself: patterns match the import specifier, not the resolved file, so a
 * folder inside a layer named like another layer (`src/core/project/storage/`) would be refused when
 * reached through `../`; inside `src/core`, `../fhir/index.ts` and `../../fhir/index.ts` are
 * accepted whether they reach `src/core/fhir` or `src/fhir` (which has no `index.ts`, so the type
 * check refuses the latter); and a type written `import('../../storage/storage.ts').T` is not an import
 * statement, so it is not seen. A surface pattern matches the module's folder name anywhere in a specifier, so any
 * folder named like a module of `src/core` is held to the same rule; and Biome lets a later override
 * replace an earlier one's patterns rather than add to them, so every override that lists layer
 * patterns repeats the surface patterns (the first override gives them to every other file).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIOME = path.join(ROOT, 'node_modules', '.bin', 'biome');

const IMPORTS = 'lint/style/noRestrictedImports';
const GLOBALS = 'lint/style/noRestrictedGlobals';
const NODE = 'lint/correctness/noNodejsModules';

/** A file that lint must refuse: where it sits, what it says, and the rule (and words) that refuse it. */
interface ForbiddenEdge {
  edge: string;
  file: string;
  source: string;
  rule: string;
  /**
   * A fragment of the diagnostic's message, so the right pattern (not just any) is shown to fire:
   * the pattern's own message for imports; the global's name for globals (their configured
   * explanation is a note that the annotation line leaves out).
   */
  says: string;
}

/** A file that lint must accept without any diagnostic. */
interface AllowedEdge {
  edge: string;
  file: string;
  source: string;
}

/** `import { x } from '<specifier>'` used once, so no other rule (unused import) has anything to say. */
const uses = (specifier: string) => `import { x } from '${specifier}';\n\nexport const y = x;\n`;

// biome-ignore format: one line per edge keeps the table readable
const forbidden: ForbiddenEdge[] = [
  // src/core: nothing above it
  { edge: 'core → app', file: 'src/core/project/a.ts', source: uses('../../app/App.tsx'), rule: IMPORTS, says: 'never import src/app' },
  { edge: 'core → storage', file: 'src/core/project/b.ts', source: uses('../../storage/storage.ts'), rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'core → fhir', file: 'src/core/project/c.ts', source: uses('../../fhir/client.ts'), rule: IMPORTS, says: 'never import src/fhir' },
  { edge: 'core → cli', file: 'src/core/project/d.ts', source: uses('../../cli/main.ts'), rule: IMPORTS, says: 'never import src/cli' },
  { edge: 'core → workers', file: 'src/core/project/e.ts', source: uses('../../../workers/pool.ts'), rule: IMPORTS, says: 'never import workers/' },
  { edge: 'core (top level) → storage', file: 'src/core/f.ts', source: uses('../storage/storage.ts'), rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'core (nested) → storage, by directory', file: 'src/core/migration/deep/g.ts', source: uses('../../../storage'), rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'core → storage, type-only', file: 'src/core/project/h.ts', source: "import type { X } from '../../storage/storage.ts';\n\nexport type Y = X;\n", rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'core → storage, re-export', file: 'src/core/project/i.ts', source: "export { x } from '../../storage/storage.ts';\n", rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'core → app, dynamic import', file: 'src/core/project/j.ts', source: "export const load = () => import('../../app/App.tsx');\n", rule: IMPORTS, says: 'never import src/app' },
  { edge: 'core test → app', file: 'src/core/project/k.test.ts', source: uses('../../app/App.tsx'), rule: IMPORTS, says: 'never import src/app' },
  { edge: 'core → react', file: 'src/core/project/l.ts', source: uses('react'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core → react/jsx-runtime', file: 'src/core/project/m.ts', source: uses('react/jsx-runtime'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core → @xyflow/react', file: 'src/core/project/n.ts', source: uses('@xyflow/react'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core → idb', file: 'src/core/project/o.ts', source: uses('idb'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core → comlink', file: 'src/core/project/p.ts', source: uses('comlink'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core → node:fs (not a test)', file: 'src/core/project/q.ts', source: uses('node:fs'), rule: NODE, says: 'Node.js' },
  { edge: 'core → fs (not a test)', file: 'src/core/project/r.ts', source: uses('fs'), rule: NODE, says: 'Node.js' },
  // src/core: no environment globals
  { edge: 'core uses window', file: 'src/core/project/s.ts', source: 'export const y = window.innerWidth;\n', rule: GLOBALS, says: 'global variable window' },
  { edge: 'core uses document', file: 'src/core/project/t.ts', source: 'export const y = document.title;\n', rule: GLOBALS, says: 'global variable document' },
  { edge: 'core uses indexedDB', file: 'src/core/project/u.ts', source: "export const y = indexedDB.open('p');\n", rule: GLOBALS, says: 'global variable indexedDB' },
  { edge: 'core uses globalThis.indexedDB', file: 'src/core/project/v.ts', source: "export const y = globalThis.indexedDB.open('p');\n", rule: GLOBALS, says: 'global variable globalThis' },
  { edge: "core uses globalThis['indexedDB']", file: 'src/core/project/w.ts', source: "export const y = globalThis['indexedDB'];\n", rule: GLOBALS, says: 'global variable globalThis' },
  { edge: 'core uses self.postMessage', file: 'src/core/project/x.ts', source: 'export const y = () => self.postMessage(1);\n', rule: GLOBALS, says: 'global variable self' },
  { edge: 'core uses new Worker', file: 'src/core/project/z.ts', source: "export const y = () => new Worker('w.js');\n", rule: GLOBALS, says: 'global variable Worker' },
  { edge: 'core uses fetch', file: 'src/core/project/aa.ts', source: "export const y = () => fetch('/x');\n", rule: GLOBALS, says: 'global variable fetch' },
  { edge: 'core uses localStorage', file: 'src/core/project/ab.ts', source: "export const y = () => localStorage.getItem('k');\n", rule: GLOBALS, says: 'global variable localStorage' },
  { edge: 'core uses navigator', file: 'src/core/project/ac.ts', source: 'export const y = navigator.hardwareConcurrency;\n', rule: GLOBALS, says: 'global variable navigator' },
  { edge: 'core uses global', file: 'src/core/project/ad.ts', source: 'export const y = global.process;\n', rule: GLOBALS, says: 'global variable global' },
  // src/formats: the bottom layer; of src/core only src/core/hash
  { edge: 'formats → core/project', file: 'src/formats/a.ts', source: uses('../core/project/documents.ts'), rule: IMPORTS, says: 'only src/core/hash' },
  { edge: 'formats → core/jobs', file: 'src/formats/b.ts', source: uses('../core/jobs/errors.ts'), rule: IMPORTS, says: 'only src/core/hash' },
  { edge: 'formats/testing → core/project', file: 'src/formats/testing/c.ts', source: uses('../../core/project/changes.ts'), rule: IMPORTS, says: 'only src/core/hash' },
  { edge: 'formats → storage', file: 'src/formats/d.ts', source: uses('../storage/storage.ts'), rule: IMPORTS, says: 'never import src/storage' },
  { edge: 'formats → app', file: 'src/formats/e.ts', source: uses('../app/App.tsx'), rule: IMPORTS, says: 'never import src/app' },
  { edge: 'formats → workers', file: 'src/formats/f.ts', source: uses('../../workers/pool.ts'), rule: IMPORTS, says: 'never import workers/' },
  { edge: 'formats → cli', file: 'src/formats/g.ts', source: uses('../cli/main.ts'), rule: IMPORTS, says: 'never import src/cli' },
  { edge: 'formats → react', file: 'src/formats/h.ts', source: uses('react'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'formats uses globalThis.indexedDB', file: 'src/formats/i.ts', source: 'export const y = globalThis.indexedDB;\n', rule: GLOBALS, says: 'global variable globalThis' },
  { edge: 'formats uses window', file: 'src/formats/j.ts', source: 'export const y = window.name;\n', rule: GLOBALS, says: 'global variable window' },
  // src/core/hash and src/core/jobs: under src/formats, so nothing of ours but src/core/jobs
  { edge: 'core/hash → core/project', file: 'src/core/hash/a.ts', source: uses('../project/documents.ts'), rule: IMPORTS, says: 'lie under src/formats' },
  { edge: 'core/hash → formats', file: 'src/core/hash/b.ts', source: uses('../../formats/loading.ts'), rule: IMPORTS, says: 'lie under src/formats' },
  { edge: 'core/hash → storage', file: 'src/core/hash/c.ts', source: uses('../../storage/jsonValue.ts'), rule: IMPORTS, says: 'lie under src/formats' },
  { edge: 'core/hash → react', file: 'src/core/hash/d.ts', source: uses('react'), rule: IMPORTS, says: 'framework-free' },
  { edge: 'core/jobs → core/hash', file: 'src/core/jobs/a.ts', source: uses('../hash/sha256Stream.ts'), rule: IMPORTS, says: 'lie under src/formats' },
  { edge: 'core/jobs → formats', file: 'src/core/jobs/b.ts', source: uses('../../formats/loading.ts'), rule: IMPORTS, says: 'lie under src/formats' },
  // workers/: core and formats only
  { edge: 'workers → app', file: 'workers/a.ts', source: uses('../src/app/migration/useFileHash.ts'), rule: IMPORTS, says: 'never import src/app' },
  { edge: 'workers → storage', file: 'workers/b.ts', source: uses('../src/storage/storage.ts'), rule: IMPORTS, says: 'not src/storage' },
  { edge: 'workers → fhir', file: 'workers/c.ts', source: uses('../src/fhir/client.ts'), rule: IMPORTS, says: 'not src/fhir' },
  { edge: 'workers → cli', file: 'workers/d.ts', source: uses('../src/cli/main.ts'), rule: IMPORTS, says: 'not src/cli' },
  { edge: 'workers/testing → storage', file: 'workers/testing/e.ts', source: uses('../../src/storage/db.ts'), rule: IMPORTS, says: 'not src/storage' },
  // src/storage, src/fhir, src/cli: below src/app, beside workers/
  { edge: 'storage → app', file: 'src/storage/a.ts', source: uses('../app/projects/projectSession.ts'), rule: IMPORTS, says: 'never import it' },
  { edge: 'fhir → app', file: 'src/fhir/a.ts', source: uses('../app/App.tsx'), rule: IMPORTS, says: 'never import it' },
  { edge: 'cli → app', file: 'src/cli/commands/a.ts', source: uses('../../app/demo/demoProject.ts'), rule: IMPORTS, says: 'never import it' },
  { edge: 'storage → workers', file: 'src/storage/b.ts', source: uses('../../workers/hashClient.ts'), rule: IMPORTS, says: 'do not import workers/' },
  { edge: 'server → app', file: 'src/server/a.ts', source: uses('../app/App.tsx'), rule: IMPORTS, says: 'never import it' },
  { edge: 'server → workers', file: 'src/server/b.ts', source: uses('../../workers/hashApi.ts'), rule: IMPORTS, says: 'do not import workers/' },
  { edge: 'server → cli', file: 'src/server/c.ts', source: uses('../cli/runFolders.ts'), rule: IMPORTS, says: 'src/server never imports src/cli' },
  { edge: 'app → server', file: 'src/app/projects/sv1.ts', source: uses('../../server/index.ts'), rule: IMPORTS, says: 'the app never imports src/server' },
  { edge: 'app → server, dynamic import', file: 'src/app/sv2.ts', source: "export const load = () => import('../server/index.ts');\n", rule: IMPORTS, says: 'the app never imports src/server' },
  { edge: 'core → server', file: 'src/core/project/sv3.ts', source: uses('../../server/index.ts'), rule: IMPORTS, says: 'never import src/server' },
  { edge: 'workers → server', file: 'workers/sv4.ts', source: uses('../src/server/index.ts'), rule: IMPORTS, says: 'not src/server' },
  { edge: 'app → a file of core/csv (surfaces still hold in src/app)', file: 'src/app/migration/sv5.ts', source: uses('../../core/csv/csvRecords.ts'), rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'cli → workers', file: 'src/cli/b.ts', source: uses('../../workers/hashApi.ts'), rule: IMPORTS, says: 'do not import workers/' },
  // module surfaces: outside a module of src/core, only its index.ts
  { edge: 'app → a file of core/csv', file: 'src/app/migration/s1.ts', source: uses('../../core/csv/csvRecords.ts'), rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'core/signoff → a file of core/csv', file: 'src/core/signoff/s2.ts', source: uses('../csv/csvTokenizer.ts'), rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'core/csv → a file of core/contract', file: 'src/core/csv/s3.ts', source: uses('../contract/columnContract.ts'), rule: IMPORTS, says: 'only through src/core/contract/index.ts' },
  { edge: 'workers → a nested file of core/contract', file: 'workers/s4.ts', source: uses('../src/core/contract/plan/compilePlan.ts'), rule: IMPORTS, says: 'only through src/core/contract/index.ts' },
  { edge: 'cli → an inner index of core/contract', file: 'src/cli/s5.ts', source: uses('../core/contract/plan/checks/index.ts'), rule: IMPORTS, says: 'only through src/core/contract/index.ts' },
  { edge: 'storage → a file of core/csv, type-only', file: 'src/storage/s6.ts', source: "import type { X } from '../core/csv/csvLayout.ts';\n\nexport type Y = X;\n", rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'fhir → a file of core/csv, by directory', file: 'src/fhir/s7.ts', source: uses('../core/csv/'), rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'test → a file of core/csv', file: 'tests/migration/s8.test.ts', source: uses('../../src/core/csv/sniffHeader.ts'), rule: IMPORTS, says: 'only through src/core/csv/index.ts' },
  { edge: 'app → a file of core/mapping', file: 'src/app/migration/s9.ts', source: uses('../../core/mapping/compileMapping.ts'), rule: IMPORTS, says: 'only through src/core/mapping/index.ts' },
  { edge: 'core/validation → a nested file of core/mapping', file: 'src/core/validation/s10.ts', source: uses('../mapping/transforms/index.ts'), rule: IMPORTS, says: 'only through src/core/mapping/index.ts' },
  { edge: 'workers → a file of core/validation', file: 'workers/s11.ts', source: uses('../src/core/validation/validateCsv.ts'), rule: IMPORTS, says: 'only through src/core/validation/index.ts' },
  { edge: 'cli → a file of core/validation, dynamic import', file: 'src/cli/s12.ts', source: "export const load = () => import('../core/validation/keySpill.ts');\n", rule: IMPORTS, says: 'only through src/core/validation/index.ts' },
  { edge: 'core/fhir → a file of core/validation, re-export', file: 'src/core/fhir/s13.ts', source: "export { x } from '../validation/rowCheck.ts';\n", rule: IMPORTS, says: 'only through src/core/validation/index.ts' },
  { edge: 'app → a file of core/validation', file: 'src/app/migration/s14.tsx', source: uses('../../core/validation/rowFilters.ts'), rule: IMPORTS, says: 'only through src/core/validation/index.ts' },
  { edge: 'cli → a file of core/fhirProfiles', file: 'src/cli/s15.ts', source: uses('../core/fhirProfiles/check.ts'), rule: IMPORTS, says: 'only through src/core/fhirProfiles/index.ts' },
  { edge: 'app → a file of core/fhir', file: 'src/app/migration/s20.ts', source: uses('../../core/fhir/validator.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'app → a generated file of core/fhir, dynamic import', file: 'src/app/migration/s21.ts', source: "export const load = () => import('../../core/fhir/generated/digest.js');\n", rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'workers → a file of core/fhir', file: 'workers/s22.ts', source: uses('../src/core/fhir/run.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'cli → a nested file of core/fhir', file: 'src/cli/s23.ts', source: uses('../core/fhir/build/digest.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'storage → core/fhir, by directory', file: 'src/storage/s24.ts', source: uses('../core/fhir'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'test → a file of core/fhir', file: 'tests/unit/s25.test.ts', source: uses('../../src/core/fhir/generatedModules.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'core/validation → a file of core/fhir', file: 'src/core/validation/s26.ts', source: uses('../fhir/rules.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'core/validation/rules → a file of core/fhir', file: 'src/core/validation/rules/s27.ts', source: uses('../../fhir/rules.ts'), rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'core/fhirProfiles → a file of core/fhir, type-only', file: 'src/core/fhirProfiles/s28.ts', source: "import type { X } from '../fhir/issues.ts';\n\nexport type Y = X;\n", rule: IMPORTS, says: 'only through src/core/fhir/index.ts' },
  { edge: 'core/workflow/edit → a file of core/history', file: 'src/core/workflow/edit/s29.ts', source: uses('../../history/history.ts'), rule: IMPORTS, says: 'only through src/core/history/index.ts' },
  { edge: 'app → a test helper of core/history', file: 'src/app/workflows/s30.ts', source: uses('../../core/history/testing/toyModel.ts'), rule: IMPORTS, says: 'only through src/core/history/index.ts' },
  { edge: 'formats → a file of core/hash', file: 'src/formats/s31.ts', source: uses('../core/hash/canonicalJson.ts'), rule: IMPORTS, says: 'only through src/core/hash/index.ts' },
  { edge: 'core/signoff → a file of core/hash', file: 'src/core/signoff/s32.ts', source: uses('../hash/sha256.ts'), rule: IMPORTS, says: 'only through src/core/hash/index.ts' },
  { edge: 'cli → a file of core/hash', file: 'src/cli/s33.ts', source: uses('../core/hash/sha256Stream.ts'), rule: IMPORTS, says: 'only through src/core/hash/index.ts' },
  { edge: 'workers → a file of core/hash, type-only', file: 'workers/s34.ts', source: "import type { X } from '../src/core/hash/sha256Stream.ts';\n\nexport type Y = X;\n", rule: IMPORTS, says: 'only through src/core/hash/index.ts' },
  { edge: 'app → a file of core/workflow', file: 'src/app/workflows/s35.ts', source: uses('../../core/workflow/analyze.ts'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'workers → a file of core/workflow/eventlog', file: 'workers/s36.ts', source: uses('../src/core/workflow/eventlog/csvLog.ts'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'cli → a test helper of core/workflow', file: 'src/cli/s37.ts', source: uses('../core/workflow/testing/builders.ts'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'core/readiness → a file of core/workflow', file: 'src/core/readiness/s38.ts', source: uses('../workflow/metrics.ts'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'core/trace → a part of core/workflow, by directory', file: 'src/core/trace/s39.ts', source: uses('../workflow/bpmn'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'server → a file of core/workflow/shared', file: 'src/server/s40.ts', source: uses('../core/workflow/shared/ops.ts'), rule: IMPORTS, says: 'only through src/core/workflow/index.ts' },
  { edge: 'app → a file of core/signoff', file: 'src/app/signoff/s41.ts', source: uses('../../core/signoff/review/review.ts'), rule: IMPORTS, says: 'outside src/core/signoff, import it only through the index.ts of its parts' },
  { edge: 'core/project → a file of core/signoff', file: 'src/core/project/s42.ts', source: uses('../signoff/signing/roster.ts'), rule: IMPORTS, says: 'outside src/core/signoff, import it only through the index.ts of its parts' },
  { edge: 'cli → core/signoff, by directory', file: 'src/cli/s43.ts', source: uses('../core/signoff'), rule: IMPORTS, says: 'outside src/core/signoff, import it only through the index.ts of its parts' },
  { edge: 'server → a test helper of core/signoff', file: 'src/server/s44.ts', source: uses('../core/signoff/signing/testing/signedExport.ts'), rule: IMPORTS, says: 'outside src/core/signoff, import it only through the index.ts of its parts' },
  { edge: 'storage → an index of core/signoff that is not a part', file: 'src/storage/s45.ts', source: uses('../core/signoff/index.ts'), rule: IMPORTS, says: 'outside src/core/signoff, import it only through the index.ts of its parts' },
];

// biome-ignore format: one line per edge keeps the table readable
const allowed: AllowedEdge[] = [
  { edge: 'core → formats', file: 'src/core/project/a.ts', source: uses('../../formats/project.ts') },
  { edge: 'core → core (another area)', file: 'src/core/project/b.ts', source: uses('../jobs/errors.ts') },
  { edge: 'core → npm package', file: 'src/core/migration/c.ts', source: uses('papaparse') },
  { edge: 'core test → node:fs and formats fixtures', file: 'src/core/project/d.test.ts', source: `${uses('node:fs')}import { z } from '../../formats/testing/fixtures.ts';\n\nexport const w = z;\n` },
  { edge: 'core uses crypto (a standard global)', file: 'src/core/project/e.ts', source: 'export const y = () => crypto.randomUUID();\n' },
  { edge: 'core names a local "document"', file: 'src/core/project/f.ts', source: 'export function f(document: string) {\n  return document;\n}\n' },
  { edge: 'formats → formats', file: 'src/formats/a.ts', source: uses('./loading.ts') },
  { edge: 'formats → core/hash through its index', file: 'src/formats/b.ts', source: uses('../core/hash/index.ts') },
  { edge: 'formats/testing → formats', file: 'src/formats/testing/c.ts', source: uses('../workflow.ts') },
  { edge: 'formats build script → node:fs', file: 'src/formats/d.ts', source: uses('node:fs') },
  { edge: 'core/hash → core/hash', file: 'src/core/hash/a.ts', source: uses('./sha256Stream.ts') },
  { edge: 'core/hash → core/jobs', file: 'src/core/hash/b.ts', source: uses('../jobs/progress.ts') },
  { edge: 'core/hash → npm package', file: 'src/core/hash/c.ts', source: uses('fast-sha256') },
  { edge: 'workers → core', file: 'workers/a.ts', source: uses('../src/core/jobs/errors.ts') },
  { edge: 'workers → formats', file: 'workers/b.ts', source: uses('../src/formats/loading.ts') },
  { edge: 'workers → comlink', file: 'workers/c.ts', source: uses('comlink') },
  { edge: 'workers → core/fhir through its index (the core, not src/fhir)', file: 'workers/d.ts', source: uses('../src/core/fhir/index.ts') },
  { edge: 'storage → core and formats', file: 'src/storage/a.ts', source: `${uses('../core/project/changes.ts')}import { z } from '../formats/project.ts';\n\nexport const w = z;\n` },
  { edge: 'cli → core and node:fs', file: 'src/cli/a.ts', source: `${uses('../core/hash/index.ts')}import { z } from 'node:fs';\n\nexport const w = z;\n` },
  { edge: 'server → core, formats, storage and node:fs', file: 'src/server/a.ts', source: `${uses('../core/hash/index.ts')}import { z } from '../formats/project.ts';\nimport { v } from '../storage/storage.ts';\nimport { u } from 'node:fs';\n\nexport const w = [z, v, u];\n` },
  { edge: 'cli → server', file: 'src/cli/commands/sv.ts', source: uses('../../server/index.ts') },
  { edge: 'server test → cli (a test drives the CLI)', file: 'src/server/e.test.ts', source: uses('../cli/cliTestKit.ts') },
  { edge: 'fhir → core', file: 'src/fhir/a.ts', source: uses('../core/project/changes.ts') },
  { edge: 'app → core', file: 'src/app/a.ts', source: uses('../core/project/changes.ts') },
  { edge: 'app → storage', file: 'src/app/projects/b.ts', source: uses('../../storage/storage.ts') },
  { edge: 'app → workers', file: 'src/app/migration/c.ts', source: uses('../../../workers/hashClient.ts') },
  // module surfaces
  { edge: 'app → core/csv through its index', file: 'src/app/migration/s1.ts', source: uses('../../core/csv/index.ts') },
  { edge: 'core/signoff → core/csv through its index', file: 'src/core/signoff/s2.ts', source: uses('../csv/index.ts') },
  { edge: 'core/csv → its own files', file: 'src/core/csv/s3.ts', source: uses('./csvTokenizer.ts') },
  { edge: 'core/contract/plan → its own module', file: 'src/core/contract/plan/s4.ts', source: `${uses('../regexSafety.ts')}import { z } from './checks/index.ts';\n\nexport const w = z;\n` },
  { edge: 'workers → core/contract through its index', file: 'workers/s5.ts', source: uses('../src/core/contract/index.ts') },
  { edge: 'test → core/csv through its index', file: 'tests/migration/s6.test.ts', source: uses('../../src/core/csv/index.ts') },
  { edge: 'core/validation/rules → its own module', file: 'src/core/validation/rules/s7.ts', source: uses('../validateCsv.ts') },
  { edge: 'core/mapping/transforms → its own module', file: 'src/core/mapping/transforms/s8.ts', source: uses('../compileMapping.ts') },
  { edge: 'core/mapping → core/validation through its index', file: 'src/core/mapping/s9.ts', source: uses('../validation/index.ts') },
  { edge: 'core/mapping → core/history through its index', file: 'src/core/mapping/s27.ts', source: uses('../history/index.ts') },
  { edge: 'core/history/testing → its own module', file: 'src/core/history/testing/s28.ts', source: uses('../index.ts') },
  { edge: 'cli → core/validation through its index, dynamic import', file: 'src/cli/s10.ts', source: "export const load = () => import('../core/validation/index.ts');\n" },
  { edge: 'app → core/mapping through its index', file: 'src/app/migration/s11.ts', source: uses('../../core/mapping/index.ts') },
  { edge: 'cli → core/fhirProfiles through its index', file: 'src/cli/s16.ts', source: uses('../core/fhirProfiles/index.ts') },
  { edge: 'core/validation → core/fhir through its index (the core, not src/fhir)', file: 'src/core/validation/s12.test.ts', source: uses('../fhir/index.ts') },
  { edge: 'core/validation/rules → core/fhir through its index', file: 'src/core/validation/rules/s13.ts', source: uses('../../fhir/index.ts') },
  { edge: 'core/fhir → its own files and generated modules', file: 'src/core/fhir/s20.ts', source: `${uses('./validator.ts')}export const load = () => import('./generated/digest.js');\n` },
  { edge: 'core/fhir/build → its own module', file: 'src/core/fhir/build/s21.ts', source: uses('../nativeInvariants.ts') },
  { edge: 'core/fhir → core/validation through its index', file: 'src/core/fhir/s22.ts', source: uses('../validation/index.ts') },
  { edge: 'core/fhirProfiles → core/fhir through its index', file: 'src/core/fhirProfiles/s23.ts', source: uses('../fhir/index.ts') },
  { edge: 'app → core/fhir through its index', file: 'src/app/migration/s24.ts', source: uses('../../core/fhir/index.ts') },
  { edge: 'app → its own fhir folder (not core/fhir)', file: 'src/app/s25.ts', source: uses('./fhir/agentkeepaliveBrowser.ts') },
  { edge: 'cli → src/fhir (the adapter layer, not core/fhir)', file: 'src/cli/s26.ts', source: uses('../fhir/client.ts') },
  { edge: 'app → core/workflow through its index', file: 'src/app/workflows/s29.ts', source: uses('../../core/workflow/index.ts') },
  { edge: 'workers → core/workflow/eventlog through its index', file: 'workers/s30.ts', source: uses('../src/core/workflow/eventlog/index.ts') },
  { edge: 'workers → core/workflow/layout through its index', file: 'workers/s34.ts', source: uses('../src/core/workflow/layout/index.ts') },
  { edge: 'app → core/signoff/review through its index', file: 'src/app/signoff/s36.ts', source: uses('../../core/signoff/review/index.ts') },
  { edge: 'core/project → core/signoff/signing through its index', file: 'src/core/project/s37.ts', source: uses('../signoff/signing/index.ts') },
  { edge: 'core/signoff/exports → its own module', file: 'src/core/signoff/exports/s38.ts', source: uses('../signing/auditChain.ts') },
  { edge: 'app → its own signoff folder (not core/signoff)', file: 'src/app/readiness/s39.ts', source: uses('../signoff/SignPanel.tsx') },
  { edge: 'core/trace → core/workflow/bpmn through its index', file: 'src/core/trace/s31.ts', source: uses('../workflow/bpmn/index.ts') },
  { edge: 'core/workflow/eventlog → its own module', file: 'src/core/workflow/eventlog/s32.ts', source: uses('../graph.ts') },
  { edge: 'app → its own workflows folder (not core/workflow)', file: 'src/app/migration/s33.ts', source: uses('../workflows/eventlog/LogSourceForm.tsx') },
];

/** One diagnostic as GitHub's annotation line states it. */
interface Diagnostic {
  level: string;
  rule: string;
  file: string;
  message: string;
}

interface LintRun {
  exitCode: number;
  diagnostics: Diagnostic[];
}

const ANNOTATION = /^::(error|warning|notice) title=([^,]+),file=([^,]+),[^:]*::(.*)$/;

/** Writes `files` into a fresh project carrying the repository's Biome configuration, and lints it once. */
async function lintProject(root: string, files: { file: string; source: string }[]): Promise<LintRun> {
  const config = JSON.parse(await readFile(path.join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // The schema path and the git integration point into the repository; the rules are what is tested.
  delete config.$schema;
  config.vcs = { enabled: false };
  await writeFile(path.join(root, 'biome.json'), JSON.stringify(config));
  for (const { file, source } of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), source);
  }
  const args = ['lint', '--reporter=github', '--max-diagnostics=none', '.'];
  // execFile rejects on a non-zero exit; lint exits 1 when it finds errors, which is a result here
  const result = await run(BIOME, args, { cwd: root }).then(
    ({ stdout }) => ({ exitCode: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({
      exitCode: error.code ?? -1,
      stdout: error.stdout ?? '',
    }),
  );
  const diagnostics = result.stdout.split('\n').flatMap((line) => {
    const match = ANNOTATION.exec(line);
    if (!match) return [];
    const [, level = '', rule = '', file = '', message = ''] = match;
    return [{ level, rule, file: path.relative(root, file).split(path.sep).join('/'), message }];
  });
  return { exitCode: result.exitCode, diagnostics };
}

let forbiddenRun: LintRun;
let allowedRun: LintRun;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'preflight-layering-'));
  await mkdir(path.join(scratch, 'forbidden'));
  await mkdir(path.join(scratch, 'allowed'));
  [forbiddenRun, allowedRun] = await Promise.all([
    lintProject(path.join(scratch, 'forbidden'), forbidden),
    lintProject(path.join(scratch, 'allowed'), allowed),
  ]);
}, 60_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('biome.json enforces the layers', () => {
  it('fixture files are unique per project (one file per edge)', () => {
    expect(new Set(forbidden.map((row) => row.file)).size).toBe(forbidden.length);
    expect(new Set(allowed.map((row) => row.file)).size).toBe(allowed.length);
  });

  it('lint fails on the forbidden edges and passes on the allowed ones', () => {
    expect(forbiddenRun.exitCode).not.toBe(0);
    expect(allowedRun.diagnostics).toEqual([]);
    expect(allowedRun.exitCode).toBe(0);
  });

  it.each(forbidden)('refuses $edge ($file)', ({ file, rule, says }) => {
    const errors = forbiddenRun.diagnostics.filter((d) => d.file === file && d.level === 'error');
    expect(errors).toContainEqual(expect.objectContaining({ rule, message: expect.stringContaining(says) }));
  });

  it.each(allowed)('accepts $edge ($file)', ({ file }) => {
    expect(allowedRun.diagnostics.filter((d) => d.file === file)).toEqual([]);
  });
});
