// Types of .ci/prerequisites.mjs (plain JavaScript: .ci/run runs it before node_modules exist).
export interface Probe {
  exists(path: string): boolean;
  list(dir: string): string[];
  env: Record<string, string | undefined>;
}
export interface Need {
  what: string;
  packages: string[];
  installed(probe: Probe): boolean;
}
export type Plan =
  | { action: 'none' }
  | { action: 'install'; packages: string[] }
  | { action: 'stop'; message: string };
export const NEEDS: Need[];
export function missingNeeds(probe: Probe): Need[];
export function packagesOf(needs: Need[]): string[];
export function planFor(missing: Need[], machine: { root: boolean; aptGet: boolean }): Plan;
export const machineProbe: Probe;
export function ensurePrerequisites(probe?: Probe): number;
