/**
 * A set of 64-bit value fingerprints (two independent 32-bit hashes of a value) in open
 * addressing: the exact distinct count of a column past the values the profile keeps as text.
 *
 * Constraints:
 * - Memory is two `Uint32Array`s of a power-of-two capacity, at most half full: 8 bytes × 2 per
 *   value, grown by doubling; {@link DistinctSet.add} refuses to grow past `limit` values (the
 *   caller then drops the set and keeps its estimate).
 * - The second hash is forced odd, so 0 marks an empty slot: a fingerprint has 63 bits. Two of
 *   100,000 values share one with a chance of about 100,000² / 2^64 ≈ 5 × 10⁻¹⁰.
 */

/** An exact (by fingerprint) count of distinct values. */
export class DistinctSet {
  private high: Uint32Array;
  private low: Uint32Array;
  private mask: number;
  /** distinct fingerprints added */
  size = 0;

  constructor(
    /** most values held: past it {@link add} returns false */
    private readonly limit: number,
    initialCapacity = 4096,
  ) {
    this.high = new Uint32Array(initialCapacity);
    this.low = new Uint32Array(initialCapacity);
    this.mask = initialCapacity - 1;
  }

  /**
   * Adds the fingerprint (`a`, `b`); false when it is new and the set already holds `limit`
   * values (the count is then no longer exact).
   */
  add(a: number, b: number): boolean {
    const odd = (b | 1) >>> 0;
    let at = (a ^ Math.imul(odd, 0x9e3779b1)) & this.mask;
    for (;;) {
      const held = this.low[at] as number;
      if (held === 0) break;
      if (held === odd && this.high[at] === a >>> 0) return true;
      at = (at + 1) & this.mask;
    }
    if (this.size >= this.limit) return false;
    this.high[at] = a >>> 0;
    this.low[at] = odd;
    this.size++;
    if (this.size * 2 > this.high.length) this.grow();
    return true;
  }

  private grow(): void {
    const { high, low } = this;
    this.high = new Uint32Array(high.length * 2);
    this.low = new Uint32Array(low.length * 2);
    this.mask = this.high.length - 1;
    for (let i = 0; i < high.length; i++) {
      const odd = low[i] as number;
      if (odd === 0) continue;
      const a = high[i] as number;
      let at = (a ^ Math.imul(odd, 0x9e3779b1)) & this.mask;
      while (this.low[at] !== 0) at = (at + 1) & this.mask;
      this.high[at] = a;
      this.low[at] = odd;
    }
  }
}
