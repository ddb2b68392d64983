// The validate benchmark's child process: runs `preflight <args…>` exactly as the CLI does (tsx
// registered as in src/cli/preflight.mjs), then writes one last stderr line with what the whole
// process used — CPU time and peak RSS, worker threads included (they are threads of this process).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli/main.ts');
const io = { stdout: () => {}, stderr: (text) => process.stderr.write(`${text}\n`), cwd: process.cwd() };
const code = await main(process.argv.slice(2), io);
const cpu = process.cpuUsage();
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
