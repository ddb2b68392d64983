/**
 * Every schema in src/formats is a registered format: precompiled (`VALIDATORS`), in the registry
 * `preflight check` and the app's import use (`FORMATS`), in the README's table, and with a section
 * of its own in REFERENCE.md (generated from the schemas). A schema added without one of these
 * fails here, by name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES, VALIDATORS } from './codegen.ts';
import { FORMATS } from './registry.ts';

const here = new URL('./', import.meta.url);
const schemaFiles = readdirSync(here)
  .filter((name) => name.endsWith('.schema.json'))
  .sort();
const schemaOf = (file: string) =>
  JSON.parse(readFileSync(new URL(file, here), 'utf8')) as {
    $id: string;
    properties: { format: { const: string } };
  };
const readme = readFileSync(new URL('README.md', here), 'utf8');
const reference = readFileSync(new URL('REFERENCE.md', here), 'utf8');

describe('every schema in src/formats', () => {
  it('is precompiled by `npm run formats`', () => {
    expect([...SCHEMA_FILES].sort()).toEqual(schemaFiles);
  });

  it.each(schemaFiles)('%s is a format `preflight check` loads, listed in the README', (file) => {
    const schema = schemaOf(file);
    const format = FORMATS.find((f) => f.schemaId === schema.$id);
    expect(format, `no FORMATS entry (registry.ts) for ${schema.$id}`).toBeDefined();
    if (!format) return;
    expect(format.tag).toBe(schema.properties.format.const);
    expect(
      VALIDATORS.some((v) => v.ref === schema.$id && v.file === file),
      `no validator of ${schema.$id} in codegen.ts`,
    ).toBe(true);
    expect(readme).toContain(`| \`${format.tag}\` | ${format.title} | \`${file}\` |`);
    expect(reference, 'REFERENCE.md is stale: run npm run formats').toContain(`\n## \`${format.tag}\`\n`);
  });

  it('and nothing else is in the README table', () => {
    const rows = readme.split('\n').filter((line) => /^\| `preflight\.[^`]+` \|/.test(line));
    expect(rows).toHaveLength(FORMATS.length);
  });
});
