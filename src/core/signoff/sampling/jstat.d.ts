/**
 * The part of jstat (a devDependency) the statistics tests use as an independent oracle. jstat
 * ships no types; only *.test.ts files may import it.
 */
declare module 'jstat' {
  interface JStat {
    ibeta(x: number, a: number, b: number): number;
    ibetainv(p: number, a: number, b: number): number;
    gammaln(x: number): number;
  }
  const jstat: { jStat: JStat };
  export default jstat;
}
