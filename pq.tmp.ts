import { readFileSync } from 'node:fs';
import { parquetCsvText } from './src/core/parquet/index.ts';
const b = readFileSync(process.argv[2]);
let out=''; for await (const p of parquetCsvText({name:'x',size:b.length,read:async(o,l)=>b.subarray(o,o+l)})) out+=p;
console.log(out);
