/**
 * The origins `npm start` serves the app from (vite preview on localhost:4173, where WebAuthn
 * works; 127.0.0.1 for a browser that opens the loopback address), allowed by CORS by default.
 */
export const DEFAULT_PREVIEW_ORIGINS = ['http://localhost:4173', 'http://127.0.0.1:4173'];
