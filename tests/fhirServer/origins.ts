/** The origin `npm start` serves the app from (vite preview on 127.0.0.1:4173), allowed by CORS by default. */
export const DEFAULT_PREVIEW_ORIGIN = 'http://127.0.0.1:4173';
