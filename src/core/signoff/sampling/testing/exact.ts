/**
 * Exact rational arithmetic (BigInt) for the statistics tests: an oracle that shares no code and no
 * floating point with statistics.ts. Rates and risks are fractions num/den. Only tests import this.
 */

/** A fraction num/den with 0 < num < den. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/** n choose k, exactly. */
export function choose(n: bigint, k: bigint): bigint {
  if (k < 0n || k > n) return 0n;
  const m = k < n - k ? k : n - k;
  let result = 1n;
  for (let i = 1n; i <= m; i++) result = (result * (n - m + i)) / i;
  return result;
}

/** Whether P(X ≤ c | n, p) ≤ risk for X ~ Binomial(n, p), exactly. */
function binomialAccepts(c: number, n: number, p: Fraction, risk: Fraction): boolean {
  const N = BigInt(n);
  let sum = 0n;
  for (let k = 0n; k <= BigInt(c) && k <= N; k++) {
    sum += choose(N, k) * p.num ** k * (p.den - p.num) ** (N - k);
  }
  return sum * risk.den <= risk.num * p.den ** N;
}

/** The smallest n with P(X ≤ c | n, p) ≤ risk, by scanning n = 0, 1, 2, … */
export function binomialN(c: number, p: Fraction, risk: Fraction): number {
  for (let n = 0; ; n++) if (binomialAccepts(c, n, p, risk)) return n;
}

/** Whether P(X ≤ c | N, D, n) ≤ risk for X ~ Hypergeometric(N, D, n), exactly. */
function hypergeometricAccepts(c: number, population: number, defectives: number, n: number, risk: Fraction) {
  const [N, D, m] = [BigInt(population), BigInt(defectives), BigInt(n)];
  let sum = 0n;
  for (let k = 0n; k <= BigInt(c); k++) sum += choose(D, k) * choose(N - D, m - k);
  return sum * risk.den <= risk.num * choose(N, m);
}

/** ⌈p·N⌉, exactly. */
export function ceilDefectives(p: Fraction, population: number): number {
  const product = p.num * BigInt(population);
  return Number((product + p.den - 1n) / p.den);
}

/** The smallest n ≤ N with P(X ≤ c | N, ⌈pN⌉, n) ≤ risk, or N when none is (a census). */
export function hypergeometricN(c: number, population: number, p: Fraction, risk: Fraction): number {
  const defectives = ceilDefectives(p, population);
  for (let n = 0; n <= population; n++)
    if (hypergeometricAccepts(c, population, defectives, n, risk)) return n;
  return population;
}

/** The largest D with P(X ≤ x | N, D, n) > risk: the exact upper bound on defective records. */
export function hypergeometricUpperDefectives(
  x: number,
  n: number,
  population: number,
  risk: Fraction,
): number {
  let upper = x;
  for (let d = x; d <= x + population - n; d++)
    if (!hypergeometricAccepts(x, population, d, n, risk)) upper = d;
  return upper;
}
