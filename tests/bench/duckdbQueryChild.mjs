// The DuckDB benchmark's baseline child process: runs one SQL query (read from the file given as
// the first argument) on an in-memory DuckDB (`@duckdb/node-api`, as the CLI's engine uses it)
// with the thread count given as the second argument, then writes one last stderr line with the
// query's single result row and what the whole process used — CPU time (DuckDB's threads are
// threads of this process) and peak RSS.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** Peak RSS in KB of this process (see validateCliChild.mjs for why not getrusage). */
function peakRssKb() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage's figure
  }
  return process.resourceUsage().maxRSS;
}

const [sqlFile, threads] = process.argv.slice(2);
const sql = readFileSync(sqlFile, 'utf8');
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const [row] = (await connection.runAndReadAll(sql)).getRowObjects();
const result = Object.fromEntries(
  Object.entries(row ?? {}).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
);
connection.closeSync();
instance.closeSync();
const cpu = process.cpuUsage();
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code: 0, result, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: peakRssKb() })}\n`,
);
