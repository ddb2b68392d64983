/** Project-file worker entry (STYLE.md 4): exposes workers/projectFileApi.ts, which adapts src/formats' parseProjectFile. */
import * as Comlink from 'comlink';
import { createProjectFileApi } from './projectFileApi.ts';

Comlink.expose(createProjectFileApi());
