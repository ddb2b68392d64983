// Entry of a `preflight validate --workers N` range worker: registers tsx (as preflight.mjs does)
// so the TypeScript adapter runs as-is.
import { register } from 'tsx/esm/api';

register();
await import('./validateWorkerMain.ts');
