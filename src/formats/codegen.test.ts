import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAjv, generateValidators, readSchemas, USED_FORMATS, VALIDATORS } from './codegen.ts';
import * as generated from './generated/validators.js';
import { COMBINATOR_MESSAGES, DISCRIMINATOR_CHOICES } from './loading.ts';
import { FORMATS } from './registry.ts';

const read = (name: string) => readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8');

/** Every subschema position of a schema, with its JSON path, so tests can inventory keywords. */
function walk(
  node: unknown,
  path: string,
  visit: (schema: Record<string, unknown>, path: string) => void,
): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const schema = node as Record<string, unknown>;
  visit(schema, path);
  for (const key of ['properties', '$defs', 'patternProperties']) {
    const map = schema[key] as Record<string, unknown> | undefined;
    if (map) for (const [name, sub] of Object.entries(map)) walk(sub, `${path}/${key}/${name}`, visit);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const list = schema[key] as unknown[] | undefined;
    list?.forEach((sub, i) => {
      walk(sub, `${path}/${key}/${i}`, visit);
    });
  }
  for (const key of ['items', 'additionalProperties', 'if', 'then', 'else', 'not'])
    walk(schema[key], `${path}/${key}`, visit);
}

describe('generated validators', () => {
  it('are up to date with the schemas (run `npm run formats` after a schema edit)', () => {
    const { js, dts } = generateValidators();
    expect(
      read('validators.js') === js,
      'src/formats/generated/validators.js is stale: run npm run formats',
    ).toBe(true);
    expect(
      read('validators.d.ts') === dts,
      'src/formats/generated/validators.d.ts is stale: run npm run formats',
    ).toBe(true);
  });

  it('import only ajv runtime modules (no require, nothing else to bundle)', () => {
    const js = read('validators.js');
    const imports = [...js.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports)
      expect(specifier).toMatch(/^(ajv\/dist\/runtime\/[a-z0-9]+|ajv-formats\/dist\/formats)\.js$/i);
    expect(js).not.toMatch(/\brequire\(/);
    expect(js).not.toMatch(/new Function|\beval\(/);
  });

  it('export one validator per format, which work after import', () => {
    expect(Object.keys(generated).sort()).toEqual(VALIDATORS.map((v) => v.exportName).sort());
    expect(generated.validateWorkflow({ format: 'preflight.workflow/v1' })).toBe(false);
    // a runtime helper from each imported module is reached: ucs2length (minLength), formats (date-time)
    expect(generated.validateReport({ generatedAt: 'nope' })).toBe(false);
    expect(generated.validateReport.errors?.some((e) => e.keyword === 'format')).toBe(true);
  });

  it('agree with a runtime-compiled ajv on the same inputs', () => {
    const ajv = createAjv(false);
    const probe = {
      format: 'preflight.workflow/v1',
      id: '',
      name: 'x',
      state: 'future',
      arrivalsPerHour: -1,
      lanes: [{}],
      steps: [],
      flows: [],
    };
    const runtime = ajv.getSchema('urn:preflight:format:workflow:v1');
    expect(runtime?.(probe)).toBe(generated.validateWorkflow(probe));
    expect(generated.validateWorkflow.errors).toEqual(runtime?.errors);
  });
});

describe('schemas', () => {
  const schemas = readSchemas();

  it('one per registered format, with URN $ids and a const format tag', () => {
    expect(schemas.map((s) => s.schema.$id).sort()).toEqual(FORMATS.map((f) => f.schemaId).sort());
    for (const format of FORMATS) {
      const schema = schemas.find((s) => s.schema.$id === format.schemaId)?.schema as {
        properties: { format: { const: string } };
      };
      expect(schema.properties.format.const).toBe(format.tag);
      expect(format.schemaId).toMatch(/^urn:preflight:format:[a-z][a-z-]*:v[0-9]+$/);
    }
  });

  it('describe every property (they are user docs)', () => {
    const missing: string[] = [];
    for (const { file, schema } of schemas) {
      walk(schema, file, (node, path) => {
        const props = node.properties as Record<string, Record<string, unknown>> | undefined;
        if (!props || path.includes('/if')) return; // `if` conditions are not documentation
        for (const [name, sub] of Object.entries(props)) {
          const isTag = name === 'op' || name === 'type';
          if (
            typeof sub.description !== 'string' &&
            !isTag &&
            !('$ref' in sub && typeof sub.description === 'string')
          ) {
            const ref = typeof sub.$ref === 'string' ? sub.$ref : '';
            // a $ref to a described definition documents itself
            const target = ref.startsWith('#/$defs/')
              ? (schema.$defs as Record<string, Record<string, unknown>>)[ref.slice(8)]
              : undefined;
            if (typeof target?.description !== 'string') missing.push(`${path}/properties/${name}`);
          }
        }
      });
    }
    expect(missing).toEqual([]);
  });

  it('use only the formats ajv-formats is set up with', () => {
    const used = new Set<string>();
    for (const { schema } of schemas)
      walk(schema, '', (node) => void (typeof node.format === 'string' && used.add(node.format)));
    expect([...used].sort()).toEqual([...USED_FORMATS].sort());
  });

  it('have a message for every oneOf/anyOf and the choices of every discriminator', () => {
    const combinators: string[] = [];
    const discriminators: string[] = [];
    for (const { file, schema } of schemas) {
      walk(schema, file, (node, path) => {
        if (node.discriminator) discriminators.push(path);
        else if (node.oneOf || node.anyOf) combinators.push(path);
      });
    }
    // adding a combinator? give it an entry in COMBINATOR_MESSAGES / DISCRIMINATOR_CHOICES, then list it here
    expect(combinators).toEqual(['mapping.schema.json/$defs/field']);
    expect(Object.keys(COMBINATOR_MESSAGES)).toEqual(['/fields/*']);
    expect(discriminators).toEqual([
      'mapping.schema.json/properties/target',
      'mapping.schema.json/$defs/transform',
      'report.schema.json/properties/target',
      'project.schema.json/$defs/dataset/properties/origin',
    ]);
    const mappingSchema = schemas.find((s) => s.file === 'mapping.schema.json')?.schema as {
      $defs: { transform: { oneOf: { properties: { op: { const: string } } }[] } };
    };
    const transform = mappingSchema.$defs.transform;
    expect(DISCRIMINATOR_CHOICES['/transform/*']).toEqual(transform.oneOf.map((b) => b.properties.op.const));
  });
});
