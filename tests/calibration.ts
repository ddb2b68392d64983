/**
 * The calibration figure printed above the per-file CPU table: the CPU seconds this machine takes
 * for one fixed, deterministic piece of JavaScript work, so CPU figures from two machines (or one
 * machine on two days) can be compared, and the budget (tests/budget.ts) can scale what it
 * measures to the machine its figures were taken on.
 *
 * The work is the kind the suites do in Node: integer arithmetic (SHA-256 written in JavaScript,
 * not node:crypto's native code), building and sorting objects, strings and JSON, with the
 * garbage collection that comes with them. Always the same inputs, so always the same work.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** SHA-256 compression of one 16-word block into `h`, in plain JavaScript. */
function compress(h: Uint32Array, block: Uint32Array, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) w[i] = block[i] as number;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15] as number;
    const b = w[i - 2] as number;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let [a, b, c, d, e, f, g, hh] = h as unknown as number[];
  for (let i = 0; i < 64; i++) {
    const e1 =
      (((e as number) >>> 6) | ((e as number) << 26)) ^ (((e as number) >>> 11) | ((e as number) << 21));
    const s1 = e1 ^ (((e as number) >>> 25) | ((e as number) << 7));
    const ch = ((e as number) & (f as number)) ^ (~(e as number) & (g as number));
    const t1 = ((hh as number) + s1 + ch + (K[i] as number) + (w[i] as number)) | 0;
    const a1 =
      (((a as number) >>> 2) | ((a as number) << 30)) ^ (((a as number) >>> 13) | ((a as number) << 19));
    const s0 = a1 ^ (((a as number) >>> 22) | ((a as number) << 10));
    const maj =
      ((a as number) & (b as number)) ^ ((a as number) & (c as number)) ^ ((b as number) & (c as number));
    const t2 = (s0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = ((d as number) + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  const out = [a, b, c, d, e, f, g, hh] as number[];
  for (let i = 0; i < 8; i++) h[i] = ((h[i] as number) + (out[i] as number)) | 0;
}

/** Hashes `blocks` blocks of a fixed message, each chained on the last: integer work. */
function hashWork(blocks: number): number {
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const block = new Uint32Array(16);
  const w = new Uint32Array(64);
  for (let n = 0; n < blocks; n++) {
    block[n % 16] = (h[n % 8] as number) ^ n;
    compress(h, block, w);
  }
  return h[0] as number;
}

/** Builds, serialises, parses, sorts and groups fixed records: object, string and GC work. */
function objectWork(rounds: number): number {
  let check = 0;
  for (let r = 0; r < rounds; r++) {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      id: `row-${(i * 7919 + r) % 2_000}`,
      name: `Patient ${i % 97} ${String.fromCharCode(65 + (i % 26))}`,
      value: (i * 31 + r) % 1_000,
      tags: [`t${i % 5}`, `u${i % 3}`],
    }));
    const parsed = JSON.parse(JSON.stringify(rows)) as typeof rows;
    parsed.sort((x, y) => x.id.localeCompare(y.id) || x.value - y.value);
    const groups = new Map<string, number>();
    for (const row of parsed) {
      const key = row.name.split(' ')[1] ?? '';
      groups.set(key, (groups.get(key) ?? 0) + row.value);
    }
    check = (check + groups.size + (parsed[0]?.value ?? 0)) | 0;
  }
  return check;
}

/** One fixed piece of work; the result only stops the engine from skipping it. */
export function calibrationWork(): number {
  return (hashWork(1_500_000) ^ objectWork(120)) >>> 0;
}

/** CPU seconds (user + system, this process) the fixed work takes here. */
export function calibrate(): { seconds: number; check: number } {
  const start = process.cpuUsage();
  const check = calibrationWork();
  const used = process.cpuUsage(start);
  return { seconds: Math.round((used.user + used.system) / 10_000) / 100, check };
}

/** Megabytes of fresh memory {@link freshMemorySecondsPerGb} allocates and writes once. */
const FRESH_MB = 256;

/**
 * CPU seconds a gigabyte of fresh memory costs here: pages allocated and written once, as the
 * suites' heaps, browsers and databases take them. A machine maps and zeroes a page in well under a
 * microsecond (a few tenths of a second a gigabyte, the writing included); a virtual machine whose
 * host backs guest memory only when first touched, or takes freed memory back, pays a trip to the
 * host per page: seconds a gigabyte. There the suites' CPU grows with their memory, not their work,
 * so no per-file figure can be compared with the reference machine's (tests/runAll.ts).
 */
export function freshMemorySecondsPerGb(): number {
  const start = process.cpuUsage();
  const parts = 4;
  let check = 0;
  for (let i = 0; i < parts; i++) {
    const block = Buffer.alloc((FRESH_MB / parts) * 1024 * 1024);
    block.fill(i + 1);
    check += block[block.length - 1] ?? 0;
  }
  const used = process.cpuUsage(start);
  if (check < 0) throw new Error('unreachable');
  return Math.round(((used.user + used.system) / 1e6 / (FRESH_MB / 1024)) * 100) / 100;
}

/**
 * Above this many CPU seconds a gigabyte of fresh memory, a machine's per-file CPU is not
 * comparable with the budget's: ordinary machines measure a few tenths; the slow kind, several.
 */
export const COMPARABLE_FRESH_MEMORY_SECONDS_PER_GB = 1.5;
