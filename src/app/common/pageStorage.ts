/** The page's localStorage, or undefined where the browser blocks site data (reading it throws). */
export function pageLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
