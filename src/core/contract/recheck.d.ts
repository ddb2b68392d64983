/** recheck's browser build (pure JavaScript, no Node built-ins): what regexSafety.ts imports. */
declare module 'recheck/lib/browser.js' {
  export function checkSync(
    source: string,
    flags: string,
    params?: Record<string, unknown>,
  ): {
    status: 'safe' | 'vulnerable' | 'unknown';
    complexity?: { type: string; degree?: number };
    hotspot?: { start: number; end: number }[];
  };
}
