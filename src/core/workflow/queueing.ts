/**
 * Queueing arithmetic for one lane (a role with `c` interchangeable staff): the M/M/c model and
 * its Erlang C waiting probability. Units are the caller's: pass arrival rates and service times
 * in one time unit (the workflow analysis uses minutes) and waits come back in that unit.
 *
 * Why M/M/c: a lane's work arrives from many independent cases (close to Poisson at peak), and the
 * exponential service time is the conservative, closed-form choice — real clinic service times are
 * usually less variable, so Erlang C errs towards warning early. The simulation (simulate.ts)
 * checks the same lanes with other service-time distributions.
 *
 * Numerical constraint: Erlang C is computed from the Erlang B recurrence
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which stays in [0, 1] for every k, so large staff
 * counts (hundreds of servers, a call centre) never overflow the way aᶜ/c! does.
 */

/** The steady-state behaviour of one M/M/c queue. */
interface QueueResult {
  /** servers (staff) */
  servers: number;
  /** offered load a = λ·S in Erlangs (busy servers needed on average) */
  offeredLoad: number;
  /** utilisation ρ = a / c; ≥ 1 means the queue grows without bound */
  utilisation: number;
  /** false when ρ ≥ 1: there is no steady state, the wait is infinite */
  stable: boolean;
  /** probability that an arriving case waits at all (Erlang C); 1 when unstable */
  pWait: number;
  /** mean wait in the queue before service, in the caller's time unit; Infinity when unstable */
  meanWait: number;
}

/** Throws when `servers` is not a whole number of staff ≥ 1: queueing needs whole servers. */
function assertServers(servers: number): void {
  if (!Number.isInteger(servers) || servers < 1) {
    throw new RangeError('Queueing needs a whole number of servers (staff) of at least 1.');
  }
}

/**
 * Erlang B (blocking probability) for offered load `a` Erlangs and `servers` servers, by the
 * stable recurrence of the header.
 */
export function erlangB(offeredLoad: number, servers: number): number {
  assertServers(servers);
  if (!(offeredLoad > 0)) return 0;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/**
 * Erlang C: the probability that an arriving case has to wait, for offered load `a` Erlangs and
 * `servers` servers. 1 when a ≥ c (no steady state: eventually everyone waits).
 * C = c·B / (c − a·(1 − B)), with B the Erlang B value.
 */
export function erlangC(offeredLoad: number, servers: number): number {
  assertServers(servers);
  if (!(offeredLoad > 0)) return 0;
  if (offeredLoad >= servers) return 1;
  const b = erlangB(offeredLoad, servers);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/**
 * A load within this relative distance of the servers counts as saturated. Sums of visits taken in
 * another order round differently, and right at ρ = 1 that rounding must not decide between a
 * finite and an infinite wait (a property test renaming ids found a lane at 1 − 1e-16); a lane this
 * close to capacity waits without bound in practice anyway (Wq grows like 1 / (1 − ρ)).
 */
export const SATURATION_TOLERANCE = 1e-9;

/**
 * M/M/c: arrivals at `arrivalRate` per time unit, mean service time `meanService` time units,
 * `servers` servers. Mean queueing wait Wq = C·S / (c − a). Never returns NaN: an idle lane
 * (no arrivals or no work) waits 0, an overloaded one (ρ ≥ 1, within
 * {@link SATURATION_TOLERANCE}) waits Infinity.
 */
export function mmc(arrivalRate: number, meanService: number, servers: number): QueueResult {
  assertServers(servers);
  const offeredLoad = arrivalRate > 0 && meanService > 0 ? arrivalRate * meanService : 0;
  const utilisation = offeredLoad / servers;
  if (offeredLoad === 0) {
    return { servers, offeredLoad, utilisation: 0, stable: true, pWait: 0, meanWait: 0 };
  }
  if (offeredLoad >= servers * (1 - SATURATION_TOLERANCE)) {
    return { servers, offeredLoad, utilisation, stable: false, pWait: 1, meanWait: Infinity };
  }
  const pWait = erlangC(offeredLoad, servers);
  return {
    servers,
    offeredLoad,
    utilisation,
    stable: true,
    pWait,
    meanWait: (pWait * meanService) / (servers - offeredLoad),
  };
}

/**
 * The waiting time that a fraction `fraction` of arrivals do not exceed (e.g. 0.9 → the 90th
 * percentile), in the caller's time unit. In M/M/c, P(Wq > t) = C·e^(−(c/S − λ)·t), so the
 * percentile is 0 when C ≤ 1 − fraction and ln(C / (1 − fraction)) / (c/S − λ) otherwise;
 * Infinity when unstable. Throws a RangeError for a fraction outside [0, 1).
 */
export function waitPercentile(
  arrivalRate: number,
  meanService: number,
  servers: number,
  fraction: number,
): number {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError('A wait percentile needs a fraction in [0, 1).');
  const queue = mmc(arrivalRate, meanService, servers);
  if (!queue.stable) return Infinity;
  if (queue.pWait <= 1 - fraction) return 0;
  return Math.log(queue.pWait / (1 - fraction)) / (servers / meanService - arrivalRate);
}

/** Upper bound on the staff search: a target this hard to meet is a modelling error, not a plan. */
const MAX_STAFF_SEARCHED = 100_000;

/**
 * The smallest number of servers whose Erlang C waiting probability is at most `maxPWait`
 * (e.g. 0.1: nine cases in ten are served at once). Starts just above the offered load (fewer
 * servers are unstable) and counts up. Throws a RangeError for a target outside (0, 1].
 */
export function smallestStaffForPWait(offeredLoad: number, maxPWait: number): number {
  if (!(maxPWait > 0 && maxPWait <= 1)) {
    throw new RangeError('The waiting-probability target must lie in (0, 1].');
  }
  if (!(offeredLoad > 0)) return 1;
  for (let c = Math.max(1, Math.floor(offeredLoad) + 1); c <= MAX_STAFF_SEARCHED; c++) {
    if (erlangC(offeredLoad, c) <= maxPWait) return c;
  }
  throw new RangeError('No staff count up to the search limit meets the waiting-probability target.');
}
