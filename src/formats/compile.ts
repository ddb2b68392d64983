/**
 * Writes what is generated from the format schemas: `npx tsx src/formats/compile.ts` (npm run
 * formats) — the precompiled validators, the column contracts' meta-schema checks and the format
 * reference (REFERENCE.md). Run it after every schema edit (and after an ajv upgrade); unit tests
 * fail while the checked-in output is stale.
 */
import { writeFileSync } from 'node:fs';
import { generateValidators } from './codegen.ts';
import { generateMetaSchemaChecks } from './metaSchemaCodegen.ts';
import { generateReference } from './reference.ts';

const { js, dts } = generateValidators();
writeFileSync(new URL('./generated/validators.js', import.meta.url), js);
writeFileSync(new URL('./generated/validators.d.ts', import.meta.url), dts);
process.stdout.write('src/formats/generated/validators.{js,d.ts} written\n');
const meta = generateMetaSchemaChecks();
writeFileSync(new URL('./generated/metaSchemas.js', import.meta.url), meta.js);
writeFileSync(new URL('./generated/metaSchemas.d.ts', import.meta.url), meta.dts);
process.stdout.write('src/formats/generated/metaSchemas.{js,d.ts} written\n');
writeFileSync(new URL('./REFERENCE.md', import.meta.url), generateReference());
process.stdout.write('src/formats/REFERENCE.md written\n');
