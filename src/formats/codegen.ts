/**
 * Generates the precompiled validators (ajv standalone code) for every format schema.
 * Node-only: it compiles schemas, which the app must never do at runtime (its CSP has no
 * `unsafe-eval`). Run through `npm run formats` (src/formats/compile.ts); a test regenerates in
 * memory and fails when the checked-in files are stale.
 *
 * Constraint: ajv's standalone output still references its runtime helpers with `require(...)`
 * even in ESM mode. We rewrite each into a namespace import and unwrap the CommonJS module with
 * `__cjs`, which gives the same object whether Node (default = module.exports) or a bundler
 * (default = exports.default when `__esModule`) did the interop.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';

/**
 * Each generated export, the schema it validates (`ref`: a schema `$id`, or a `$defs` entry of
 * one as `$id#/$defs/name`), the schema file holding it, and the TS type it guards.
 *
 * The `$defs` validators (dataset, schema document, project meta) exist so storage checks those
 * records with exactly the rules of the project file: a project storage accepts then always
 * exports to a file that imports again.
 */
export const VALIDATORS = [
  {
    exportName: 'validateWorkflow',
    file: 'workflow.schema.json',
    ref: 'urn:preflight:format:workflow:v1',
    type: 'Workflow',
    module: '../workflow.ts',
  },
  {
    exportName: 'validateMapping',
    file: 'mapping.schema.json',
    ref: 'urn:preflight:format:mapping:v1',
    type: 'Mapping',
    module: '../mapping.ts',
  },
  {
    exportName: 'validateReport',
    file: 'report.schema.json',
    ref: 'urn:preflight:format:report:v1',
    type: 'Report',
    module: '../report.ts',
  },
  {
    exportName: 'validateSamplePlan',
    file: 'samplePlan.schema.json',
    ref: 'urn:preflight:format:sampleplan:v1',
    type: 'SamplePlan',
    module: '../samplePlan.ts',
  },
  {
    exportName: 'validateReview',
    file: 'review.schema.json',
    ref: 'urn:preflight:format:review:v1',
    type: 'Review',
    module: '../review.ts',
  },
  {
    exportName: 'validateAuditLog',
    file: 'auditLog.schema.json',
    ref: 'urn:preflight:format:auditlog:v1',
    type: 'AuditLogFile',
    module: '../auditLog.ts',
  },
  {
    exportName: 'validateReviewPacket',
    file: 'reviewPacket.schema.json',
    ref: 'urn:preflight:format:reviewpacket:v1',
    type: 'ReviewPacket',
    module: '../reviewPacket.ts',
  },
  {
    exportName: 'validateEncryptedPacket',
    file: 'encryptedPacket.schema.json',
    ref: 'urn:preflight:format:encryptedpacket:v1',
    type: 'EncryptedPacket',
    module: '../encryptedPacket.ts',
  },
  {
    exportName: 'validateReviewResults',
    file: 'reviewResults.schema.json',
    ref: 'urn:preflight:format:reviewresults:v1',
    type: 'ReviewResults',
    module: '../reviewResults.ts',
  },
  {
    exportName: 'validateProjectFile',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1',
    type: 'ProjectFile',
    module: '../project.ts',
  },
  {
    exportName: 'validateProjectMeta',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/meta',
    type: 'ProjectMeta',
    module: '../project.ts',
  },
  {
    exportName: 'validateDataset',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/dataset',
    type: 'Dataset',
    module: '../project.ts',
  },
  {
    exportName: 'validateSchemaDoc',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/schemaDoc',
    type: 'SchemaDoc',
    module: '../project.ts',
  },
  {
    exportName: 'validateWorkflowCheck',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/workflowCheck',
    type: 'WorkflowCheck',
    module: '../project.ts',
  },
  {
    exportName: 'validateWorkflowBackTest',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/workflowBackTest',
    type: 'WorkflowBackTest',
    module: '../project.ts',
  },
  {
    exportName: 'validateLogMap',
    file: 'project.schema.json',
    ref: 'urn:preflight:format:project:v1#/$defs/logMap',
    type: 'LogMap',
    module: '../project.ts',
  },
  {
    exportName: 'validateAnalysisSettings',
    file: 'analysisSettings.schema.json',
    ref: 'urn:preflight:format:analysissettings:v1',
    type: 'AnalysisSettingsFile',
    module: '../analysisSettings.ts',
  },
  {
    exportName: 'validateAnalysisSettingsObject',
    file: 'analysisSettings.schema.json',
    ref: 'urn:preflight:format:analysissettings:v1#/$defs/settings',
    type: 'AnalysisSettingsInput',
    module: '../analysisSettings.ts',
  },
  {
    exportName: 'validateSignoffReport',
    file: 'signoffReport.schema.json',
    ref: 'urn:preflight:format:signoffreport:v1',
    type: 'SignoffReportFile',
    module: '../signoffReport.ts',
  },
  {
    exportName: 'validateWaivers',
    file: 'waivers.schema.json',
    ref: 'urn:preflight:format:waivers:v1',
    type: 'WaiversFile',
    module: '../waivers.ts',
  },
  {
    exportName: 'validateWaiver',
    file: 'waivers.schema.json',
    ref: 'urn:preflight:format:waivers:v1#/$defs/waiver',
    type: 'Waiver',
    module: '../waivers.ts',
  },
  {
    exportName: 'validateReconcileList',
    file: 'reconcileList.schema.json',
    ref: 'urn:preflight:format:reconcilelist:v1',
    type: 'ReconcileExport',
    module: '../reconcileList.ts',
  },
  {
    exportName: 'validateProjectAudit',
    file: 'projectAudit.schema.json',
    ref: 'urn:preflight:format:project-audit:v1',
    type: 'ProjectAuditFile',
    module: '../projectAudit.ts',
  },
  {
    exportName: 'validateReconcileResult',
    file: 'reconcileResult.schema.json',
    ref: 'urn:preflight:format:reconcileresult:v1',
    type: 'ReconcileResultFile',
    module: '../reconcileResult.ts',
  },
  {
    exportName: 'validateEvidencePack',
    file: 'evidencePack.schema.json',
    ref: 'urn:preflight:format:evidence-pack:v1',
    type: 'EvidencePackFile',
    module: '../evidencePack.ts',
  },
] as const;

/** The schema files in src/formats, each read once. */
export const SCHEMA_FILES = [...new Set(VALIDATORS.map((v) => v.file))];

/** The `format` keywords the schemas use; each must be in ajv-formats. */
export const USED_FORMATS = ['date-time'] as const;

/** Reads every format schema from src/formats. */
export function readSchemas(): { file: string; schema: Record<string, unknown> }[] {
  return SCHEMA_FILES.map((file) => ({
    file,
    schema: JSON.parse(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >,
  }));
}

/** An ajv instance with the options the generated code is built with (also used by tests). */
export function createAjv(source: boolean): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // `then: { required: [...] }` and `oneOf: [{ required }]` name properties defined by the parent schema
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
    // the project schema reuses the other formats' validators instead of inlining copies of them
    inlineRefs: false,
    // messages are written by loading.ts from keyword + params, never from ajv text
    messages: false,
    code: { source, esm: true, lines: true, optimize: true },
  });
  addFormats(ajv, [...USED_FORMATS]);
  for (const { schema } of readSchemas())
    ajv.addSchema(withoutAnnotations(schema) as Record<string, unknown>);
  return ajv;
}

const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples']);
const SCHEMA_MAPS = new Set(['properties', '$defs', 'patternProperties', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['oneOf', 'anyOf', 'allOf', 'prefixItems']);

/**
 * A copy of a schema without annotation keywords (descriptions are user docs, not rules), so
 * the generated code stays small. Walks schema positions only: a property NAMED "description"
 * (the workflow has one) is kept.
 */
export function withoutAnnotations(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutAnnotations(v)]));
    } else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map(withoutAnnotations);
    } else if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      !['const', 'enum', 'default', 'discriminator'].includes(keyword)
    ) {
      // items, additionalProperties, if/then/else, not, contains, propertyNames: single subschemas
      out[keyword] = withoutAnnotations(value);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

const HEADER = `// GENERATED by src/formats/compile.ts (npm run formats) from src/formats/*.schema.json.
// Do not edit: change the schema and regenerate. Precompiled so the app needs no unsafe-eval.
/* eslint-disable */
`;

/**
 * Rewrites ajv's `require("x").y` references into ESM imports, under `header` (the generated
 * file's "do not edit" notice).
 */
export function toEsm(code: string, header = HEADER): string {
  const specifiers = new Map<string, string>();
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    let alias = specifiers.get(specifier);
    if (!alias) {
      alias = `__runtime${specifiers.size}`;
      specifiers.set(specifier, alias);
    }
    return `__cjs(${alias})`;
  });
  const imports = [...specifiers].map(
    ([specifier, alias]) =>
      `import * as ${alias} from ${JSON.stringify(`${specifier.replace(/\.js$/, '')}.js`)};`,
  );
  const helper =
    'function __cjs(ns) { const d = ns.default; return d !== null && typeof d === "object" && d.__esModule ? d : ns; }';
  return `${header}${imports.join('\n')}\n${helper}\n${body.replace(/^"use strict";/, '')}\n`;
}

function dtsSource(): string {
  const imports = new Map<string, string[]>();
  for (const v of VALIDATORS) imports.set(v.module, [...(imports.get(v.module) ?? []), v.type]);
  const lines = [
    '// GENERATED by src/formats/compile.ts (npm run formats). Do not edit.',
    "import type { ErrorObject } from 'ajv';",
    ...[...imports].map(([module, types]) => `import type { ${types.join(', ')} } from '${module}';`),
    '',
    '/** An ajv error of a generated validator (messages are off: loading.ts writes them). */',
    'export type ValidatorError = ErrorObject;',
    '',
    '/** A precompiled validator: a type guard whose `errors` list every violation after a failed call. */',
    'export interface GeneratedValidator<T> {',
    '  (data: unknown): data is T;',
    '  errors?: ValidatorError[] | null;',
    '}',
    '',
    ...VALIDATORS.map((v) => `export declare const ${v.exportName}: GeneratedValidator<${v.type}>;`),
    '',
  ];
  return lines.join('\n');
}

/** The generated `validators.js` and `validators.d.ts`, deterministic for a given set of schemas. */
export function generateValidators(): { js: string; dts: string } {
  const ajv = createAjv(true);
  const ids = new Set(readSchemas().map(({ schema }) => String(schema.$id)));
  const refs: Record<string, string> = {};
  for (const validator of VALIDATORS) {
    const id = validator.ref.split('#')[0] as string;
    if (!ids.has(id)) throw new Error(`no schema with $id ${id} for ${validator.exportName}`);
    refs[validator.exportName] = validator.ref;
  }
  return { js: toEsm(standaloneCode(ajv, refs)), dts: dtsSource() };
}
