import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSchemas } from './codegen.ts';
import { generateReference, headingAnchor } from './reference.ts';

const REGENERATE = 'npm run formats';

describe('format reference (REFERENCE.md)', () => {
  it(`is up to date with the schemas (run \`${REGENERATE}\` after a schema edit)`, () => {
    const committed = readFileSync(new URL('./REFERENCE.md', import.meta.url), 'utf8');
    expect(
      committed === generateReference(),
      `src/formats/REFERENCE.md is stale: run ${REGENERATE} and commit it`,
    ).toBe(true);
  });

  it('has a section per format, and every link in it reaches a heading', () => {
    const text = generateReference();
    for (const { schema } of readSchemas()) {
      const tag = (schema.properties as { format: { const: string } }).format.const;
      expect(text).toContain(`\n## \`${tag}\`\n`);
    }
    const anchors = new Set(
      [...text.matchAll(/^#{2,3} (.+)$/gm)].map((match) => headingAnchor(match[1] as string)),
    );
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((anchor) => !anchors.has(anchor as string))).toEqual([]);
  });

  it('has unique headings, so each anchor names one place', () => {
    const headings = [...generateReference().matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
      headingAnchor(match[1] as string),
    );
    expect(headings.length).toBe(new Set(headings).size);
  });
});
