/** Hash worker entry (STYLE.md 4): exposes workers/hashApi.ts, which adapts src/core/hash. */
import * as Comlink from 'comlink';
import { createHashApi } from './hashApi.ts';

Comlink.expose(createHashApi());
