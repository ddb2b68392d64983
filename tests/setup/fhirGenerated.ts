/**
 * vitest global setup: makes sure the generated FHIR R4 validators exist and are current before any
 * test imports them (they are git-ignored build output, see src/cli/generateFhir.ts), so a plain
 * `npx vitest run <file>` works on a fresh clone. Costs a hash of four files when they are fresh.
 */
import { isFresh, writeFhirFiles } from '../../src/cli/generateFhir.ts';

export default function setup(): void {
  if (!isFresh()) writeFhirFiles();
}
