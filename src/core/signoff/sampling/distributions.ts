/**
 * The two acceptance probabilities a sample plan rests on:
 * - binomial, P(X ≤ c | n, p): records drawn from a population so large that drawing one does not
 *   change the rate of the rest;
 * - hypergeometric, P(X ≤ c | N, D, n): n records drawn without replacement from a stratum of N
 *   records of which D are defective — exact for a finite stratum.
 *
 * Constraints:
 * - The sums run over the acceptance region only (k = 0…c), where plans live: the tail a plan
 *   compares with 1 − C is small, and summing its own terms keeps it accurate to a few ulps instead
 *   of losing it in 1 − (something close to 1).
 * - Terms are built from ratios in log space (log1p, no factorials), so n in the millions neither
 *   overflows nor underflows, and no log-gamma cancellation enters the hypergeometric terms.
 * - Arguments are checked by the callers (statistics.ts); these assume integers in range.
 */

/** ln(e^x + e^y) without overflow; either may be −∞. */
function logAddExp(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY) return y;
  if (y === Number.NEGATIVE_INFINITY) return x;
  const larger = Math.max(x, y);
  return larger + Math.log1p(Math.exp(-Math.abs(x - y)));
}

/**
 * P(X ≤ c) for X ~ Binomial(n, p): the probability that a sample of n records from a population
 * with defect rate p shows at most c defects — the plan's acceptance probability.
 */
export function binomialCdf(c: number, n: number, p: number): number {
  if (c < 0) return 0;
  if (c >= n || p === 0) return 1;
  if (p === 1) return 0; // every record is defective, and c < n
  // ln P(X = 0) = n·ln(1 − p); P(X = k + 1)/P(X = k) = (n − k)/(k + 1) · p/(1 − p)
  const lnOdds = Math.log(p) - Math.log1p(-p);
  let lnTerm = n * Math.log1p(-p);
  let lnSum = lnTerm;
  for (let k = 0; k < c; k++) {
    lnTerm += Math.log((n - k) / (k + 1)) + lnOdds;
    lnSum = logAddExp(lnSum, lnTerm);
  }
  return Math.min(1, Math.exp(lnSum));
}

/**
 * P(X ≤ c) for X ~ Hypergeometric(N, D, n): the probability that n records drawn without
 * replacement from N records, D of them defective, show at most c defects.
 */
export function hypergeometricCdf(c: number, population: number, defectives: number, n: number): number {
  const good = population - defectives;
  const kMin = Math.max(0, n - good); // the sample must contain this many defectives
  const kMax = Math.min(n, defectives);
  if (c < kMin) return 0;
  if (c >= kMax) return 1;
  // ln P(X = kMin), as a product of ratios:
  // - kMin = 0: no defective is drawn: ∏_{i<D} (N − n − i)/(N − i), or ∏_{i<n} (N − D − i)/(N − i)
  // - kMin > 0: every good record is drawn: ∏_{i<G} (n − i)/(N − i)
  let lnTerm = 0;
  if (kMin === 0) {
    if (defectives <= n) {
      for (let i = 0; i < defectives; i++) lnTerm += Math.log1p(-n / (population - i));
    } else {
      for (let i = 0; i < n; i++) lnTerm += Math.log1p(-defectives / (population - i));
    }
  } else {
    for (let i = 0; i < good; i++) lnTerm += Math.log1p(-(population - n) / (population - i));
  }
  let lnSum = lnTerm;
  // P(X = k + 1)/P(X = k) = (D − k)(n − k) / ((k + 1)(N − D − n + k + 1))
  for (let k = kMin; k < c; k++) {
    lnTerm += Math.log(((defectives - k) * (n - k)) / ((k + 1) * (good - n + k + 1)));
    lnSum = logAddExp(lnSum, lnTerm);
  }
  return Math.min(1, Math.exp(lnSum));
}
