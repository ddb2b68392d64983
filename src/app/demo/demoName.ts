/**
 * The demo clinic's project name, apart from demoProject.ts (which bundles every sample) so the
 * project session can find the demo without loading the samples.
 */
export const DEMO_PROJECT_NAME = 'Demo clinic';
