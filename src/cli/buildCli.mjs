/**
 * `npm run build:cli`: bundles the CLI (src/cli/main.ts) and its validation worker
 * (validateWorkerMain.ts) with esbuild into dist-cli/, code-split so each command loads only its
 * own chunks, with `fhir validate` as a build of its own beside it, and stamps the build with the fingerprint of its inputs taken before it read them.
 * src/cli/loadEntry.mjs loads the build only while that stamp matches the sources: through tsx,
 * every module is transpiled and crosses a loader thread at each start (tests/bench/RESULTS.md).
 *
 * Every module keeps its own `import.meta.url` (the build writes each source file's URL in its
 * place): the CLI finds package.json, its worker entry and the generated FHIR modules relative to
 * its sources.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { DIGEST_JSON, digestJsonText, digestModuleSource } from './digestJson.mjs';
import {
  BUILD_FOLDER,
  inputLines,
  inputsFingerprint,
  ROOT as ROOT_URL,
  STAMP_FILE,
  sourceInputs,
} from './loadEntry.mjs';

const ROOT = fileURLToPath(ROOT_URL);

/** Writes each source file's own URL where it reads `import.meta.url` (the package's files only). */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(esbuild) {
    const modules = path.join(ROOT, 'node_modules') + path.sep;
    esbuild.onLoad({ filter: /\.(ts|mjs|js)$/ }, async (args) => {
      if (!args.path.startsWith(ROOT) || args.path.startsWith(modules)) return undefined;
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
};

/** The generated FHIR validation digest module (src/cli/generateFhir.ts). */
const DIGEST_MODULE = path.join(ROOT, 'src/core/fhir/generated/digest.js');

/**
 * The digest module as a read of its JSON beside the build (digestJson.mjs). The value is the
 * same: the build writes the JSON from the module it read, and a digest regenerated since makes
 * the build stale (its stamp lists the module).
 */
const digestAsJson = (outdir) => ({
  name: 'digest-as-json',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]generated[\\/]digest\.js$/ }, async (args) => {
      if (path.resolve(args.path) !== DIGEST_MODULE) return undefined;
      const { default: digest } = await import(pathToFileURL(DIGEST_MODULE).href);
      await mkdir(outdir, { recursive: true });
      await writeFile(path.join(outdir, DIGEST_JSON), digestJsonText(digest));
      return { contents: digestModuleSource(), loader: 'js' };
    });
  },
});

/** The command module `fhir validate` loads, built apart (see {@link fhirValidateApart}). */
const FHIR_VALIDATE = path.join(ROOT, 'src/cli/commands/fhirValidate.ts');
/** The command framework, an entry of the main build that the apart build imports. */
const COMMAND = path.join(ROOT, 'src/cli/command.ts');

/**
 * `fhir validate` as a build of its own: the command list's import of its module goes to
 * `fhir-validate.mjs`, which a second build makes from that module alone. In one build, esbuild
 * gives each file the chunk of every command whose imports reach it, so the command loaded ~28
 * chunks holding what `validate`, the workflow and project code use too; apart, it loads its own
 * few. Both builds share `command.ts` (an entry of the main build): the main entry knows the
 * command's usage errors by their class.
 */
const fhirValidateApart = {
  name: 'fhir-validate-apart',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/fhirValidate\.ts$/ }, (args) =>
      args.importer === path.join(ROOT, 'src/cli/commands/index.ts') && args.kind === 'dynamic-import'
        ? { path: './fhir-validate.mjs', external: true }
        : undefined,
    );
  },
};

/** The apart build's imports of `command.ts`: the main build's `command.mjs`, one module for both. */
const sharedCommand = {
  name: 'shared-command',
  setup(esbuild) {
    esbuild.onResolve({ filter: /(^|\/)command\.ts$/ }, (args) =>
      path.resolve(args.resolveDir, args.path) === COMMAND
        ? { path: './command.mjs', external: true }
        : undefined,
    );
  },
};

const outdir = fileURLToPath(new URL(BUILD_FOLDER, ROOT_URL));
// taken before esbuild reads the sources: a file edited during the build leaves the stamp stale
const taken = inputLines();
await rm(outdir, { recursive: true, force: true });
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  outExtension: { '.js': '.mjs' },
  // tsx is the loader of the unbuilt CLI only
  // PGlite is never bundled (its WebAssembly and data files sit beside its module), nor is the
  // rest of the team server's stack, which loads only under `preflight serve`
  external: [
    'esbuild',
    'tsx',
    'tsx/*',
    '@electric-sql/pglite',
    'pg',
    'fastify',
    '@fastify/*',
    'openid-client',
  ],
  // CommonJS packages inside an ES module bundle call require() for Node's built-ins
  banner: {
    js: "import { createRequire as __preflightRequire } from 'node:module';\nconst require = __preflightRequire(import.meta.url);",
  },
  logLevel: 'warning',
  // comments and indentation dropped (names and syntax kept): every chunk a command loads is read
  // and compiled at each start, and this makes the code about a quarter smaller
  minifyWhitespace: true,
  // the sources it read: the loader looks at these alone (loadEntry.mjs)
  metafile: true,
};
const main = await build({
  ...common,
  entryPoints: {
    main: path.join(ROOT, 'src/cli/main.ts'),
    validateWorkerMain: path.join(ROOT, 'src/cli/validateWorkerMain.ts'),
    command: COMMAND,
  },
  // the digest plugin first: the other rewrites the package's own modules
  plugins: [digestAsJson(outdir), fhirValidateApart, keepImportMetaUrl],
});
const apart = await build({
  ...common,
  entryPoints: { 'fhir-validate': FHIR_VALIDATE },
  // its chunks beside the main build's, named apart (both builds make the generated modules' chunks)
  chunkNames: 'fhir-validate-[name]-[hash]',
  plugins: [digestAsJson(outdir), sharedCommand, keepImportMetaUrl],
});
const files = sourceInputs([...Object.keys(main.metafile.inputs), ...Object.keys(apart.metafile.inputs)]);
const inputs = inputsFingerprint(ROOT_URL, files, taken);
// written last: a build that failed half way has no stamp, and the sources run
await writeFile(path.join(outdir, STAMP_FILE), `${JSON.stringify({ inputs, files })}\n`);
