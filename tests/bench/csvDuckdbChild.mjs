// The csv-duckdb benchmark's reference child: runs one DuckDB SQL script (`<script.sql>`, its
// statements separated by ";\n") in a process of its own, so its CPU is measured as the CLI
// child's is (validateCliChild.mjs): the whole process, Node's start and DuckDB's loading included,
// every thread of it. DuckDB runs with `BENCH_DUCKDB_THREADS` threads (default 1: the CLI validates
// one file on one thread). Writes the last statement's one row as `RESULT <json>` and then
// `BENCH <json>` (CPU ms, wall ms, peak RSS KB) to stderr.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

function peakRssKb() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage's figure
  }
  return process.resourceUsage().maxRSS;
}

const script = readFileSync(process.argv[2], 'utf8');
const threads = process.env.BENCH_DUCKDB_THREADS ?? '1';
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
let row;
for (const statement of script.split(';\n').filter((s) => s.trim() !== '')) {
  const reader = await connection.runAndReadAll(statement);
  row = reader.getRowObjectsJson()[0];
}
connection.closeSync();
instance.closeSync();
const cpu = process.cpuUsage();
process.stderr.write(`RESULT ${JSON.stringify(row)}\n`);
process.stderr.write(
  `BENCH ${JSON.stringify({ wallMs: Math.round(performance.now()), cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: peakRssKb() })}\n`,
);
