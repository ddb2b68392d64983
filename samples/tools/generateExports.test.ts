/**
 * The committed files of the journey's later steps (logs/, signoff/, the refill workflow's BPMN,
 * the demo project's evidence pack) are exactly what `generateExports.ts` makes from the samples.
 * What each file does in the CLI is shown by the commands' `--help` examples, which
 * src/cli/commands/examples.test.ts runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateExports, samplePath } from './generateExports.ts';

describe('the generated journey files', () => {
  it('equal what `npx tsx samples/tools/generateExports.ts` generates', async () => {
    const generated = await generateExports();
    for (const [name, text] of Object.entries(generated)) {
      expect(
        readFileSync(samplePath(name), 'utf8') === text,
        `samples/${name}: run \`npx tsx samples/tools/generateExports.ts\` and commit the files`,
      ).toBe(true);
    }
  });
});
