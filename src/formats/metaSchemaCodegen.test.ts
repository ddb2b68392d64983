import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTRACT_AJV_OPTIONS, META_SCHEMA_CHECKS } from './contractAjvOptions.ts';
import { checkDraft07, checkDraft201909, checkDraft202012 } from './generated/metaSchemas.js';
import { generateMetaSchemaChecks } from './metaSchemaCodegen.ts';

const read = (name: string) => readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8');

/** ajv's own check, as core columnContract.ts made it before the checks were precompiled. */
function ajvCheck(dialect: (typeof META_SCHEMA_CHECKS)[number]['dialect']) {
  const ajv =
    dialect === '2020-12'
      ? new Ajv2020({ ...CONTRACT_AJV_OPTIONS })
      : dialect === '2019-09'
        ? new Ajv2019({ ...CONTRACT_AJV_OPTIONS })
        : new Ajv({ ...CONTRACT_AJV_OPTIONS });
  addFormats(ajv);
  return (schema: unknown) => {
    const valid = ajv.validateSchema(schema as Record<string, unknown>) as boolean;
    return { valid, errors: ajv.errors ?? null };
  };
}

const PRECOMPILED = { 'draft-07': checkDraft07, '2019-09': checkDraft201909, '2020-12': checkDraft202012 };

const CHECKS = META_SCHEMA_CHECKS.map((c) => ({
  ...c,
  precompiled: PRECOMPILED[c.dialect],
  ajv: ajvCheck(c.dialect),
}));

/** What a check says about a schema: validity and every error as core reads it (no messages). */
function verdict(
  valid: boolean,
  errors:
    | readonly { instancePath: string; keyword: string; params: unknown; schemaPath: string }[]
    | null
    | undefined,
) {
  return {
    valid,
    errors: (errors ?? []).map(({ instancePath, keyword, params, schemaPath }) => ({
      instancePath,
      keyword,
      params,
      schemaPath,
    })),
  };
}

/** Contracts with the mistakes people make, and valid ones, in each draft's spelling. */
const CASES: { description: string; schema: Record<string, unknown> }[] = [
  {
    description: 'a valid contract',
    schema: {
      type: 'object',
      properties: { mrn: { type: 'string', pattern: '^[0-9]+$' } },
      required: ['mrn'],
    },
  },
  { description: 'a misspelt type', schema: { type: 'object', properties: { a: { type: 'strnig' } } } },
  { description: 'a negative minLength', schema: { properties: { a: { minLength: -1 } } } },
  { description: 'required not a list', schema: { required: 'mrn' } },
  { description: 'required with a repeated name', schema: { required: ['a', 'a'] } },
  {
    description: 'an empty enum, allOf and a type list',
    schema: { properties: { a: { enum: [] }, b: { type: [] } }, allOf: [] },
  },
  {
    description: 'nested mistakes in $defs, items and if/then',
    schema: {
      $defs: { d: { maximum: 'x' } },
      items: { type: 1 },
      if: { const: 1 },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's "then" keyword, never awaited
      then: { minItems: 1.5 },
    },
  },
  {
    description: 'a non-string pattern and format',
    schema: { properties: { a: { pattern: 3, format: 4 } } },
  },
  {
    description: 'a definitions map of non-schemas',
    schema: { definitions: { a: 3 }, dependencies: { b: 4 } },
  },
  { description: 'an $id that is not a string', schema: { $id: 7, $ref: 8 } },
  // the keywords that point at schemas, anchors and vocabularies (a review asked for them by name)
  {
    description: 'a $ref to the meta-schema itself',
    schema: { $ref: 'https://json-schema.org/draft/2020-12/schema' },
  },
  {
    description: 'a $dynamicRef with its $dynamicAnchor',
    schema: {
      $defs: { x: { $dynamicAnchor: 'meta', type: 'object' } },
      properties: { a: { $dynamicRef: '#meta' } },
    },
  },
  {
    description: 'a bad $anchor, an invalid pattern and patternProperties key',
    schema: {
      $id: 'urn:x',
      $anchor: '1bad',
      pattern: '[',
      patternProperties: { '(': {}, '^a': { type: 9 } },
    },
  },
  {
    description: 'a $vocabulary with a key that is not a URI',
    schema: { $vocabulary: { 'not a uri': true } },
  },
  // found by the property below (seed -425597406 before its objects were plain): uniqueItems
  // compares the two objects deeply
  { description: 'a type list of two equal objects', schema: { type: [{}, {}] } },
  // (a $schema that is not a draft's URI never reaches a check: core contractDialect refuses it first)
];

describe('precompiled meta-schema checks', () => {
  it('are up to date with ajv (run `npm run formats` after an ajv upgrade)', () => {
    const { js, dts } = generateMetaSchemaChecks();
    expect(
      read('metaSchemas.js') === js,
      'src/formats/generated/metaSchemas.js is stale: run npm run formats',
    ).toBe(true);
    expect(
      read('metaSchemas.d.ts') === dts,
      'src/formats/generated/metaSchemas.d.ts is stale: run npm run formats',
    ).toBe(true);
  });

  it('import only ajv runtime modules and generate no code at run time', () => {
    const js = read('metaSchemas.js');
    for (const [, specifier] of js.matchAll(/^import .* from "([^"]+)";$/gm))
      expect(specifier).toMatch(/^ajv\/dist\/runtime\/[a-z0-9]+\.js$/i);
    expect(js).not.toMatch(/\brequire\(|new Function|\beval\(/);
  });

  describe.each(CHECKS)('draft $dialect', ({ precompiled, ajv }) => {
    it.each(CASES)('$description: the same verdict and errors as ajv’s validateSchema', ({ schema }) => {
      const expected = ajv(schema);
      const valid = precompiled(schema);
      expect(verdict(valid, precompiled.errors)).toEqual(verdict(expected.valid, expected.errors));
    });

    it('agrees with ajv’s validateSchema on arbitrary schema-like objects (seed printed on failure)', () => {
      const keywords = fc.constantFrom(
        'type',
        'properties',
        'required',
        'enum',
        'const',
        'minLength',
        'maximum',
        'pattern',
        'items',
        'allOf',
        'anyOf',
        'not',
        'if',
        'then',
        '$defs',
        'definitions',
        'format',
        'uniqueItems',
        'additionalProperties',
        'title',
      );
      // objects as JSON.parse makes them (a contract is read from JSON): never with a null
      // prototype, on which ajv's deep equality (uniqueItems) throws rather than answers
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.constantFrom('string', 'object', 'strnig', 'integer'),
          fc.integer({ min: -2, max: 3 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
          fc.constant(null),
          fc.array(tie('node'), { maxLength: 3 }),
          fc.dictionary(fc.oneof(keywords, fc.string({ maxLength: 3 })), tie('node'), {
            maxKeys: 4,
            noNullPrototype: true,
          }),
        ),
      })).node;
      fc.assert(
        fc.property(fc.dictionary(keywords, value, { maxKeys: 5, noNullPrototype: true }), (schema) => {
          const expected = ajv(schema);
          const valid = precompiled(schema);
          expect(verdict(valid, precompiled.errors)).toEqual(verdict(expected.valid, expected.errors));
        }),
        { numRuns: 300 },
      );
    });
  });
});
