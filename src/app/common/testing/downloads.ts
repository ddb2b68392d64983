/**
 * Downloads in jsdom, which makes no blob: URLs and follows no download link: each file the page
 * saves (a link clicked with `download` set) is recorded instead, by file name, in the order saved.
 * Test-only; the caller restores the click with `vi.restoreAllMocks()` after each test.
 */
import { vi } from 'vitest';

/** Records the page's downloads from now on: the map fills as files are saved. */
export function captureDownloads(): Map<string, Blob> {
  const saved = new Map<string, Blob>();
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => {};
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (this.download && blob) saved.set(this.download, blob);
  });
  return saved;
}
