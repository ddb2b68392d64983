/**
 * A real full disk under a browser profile: a small tmpfs mounted as the profile's folder, because
 * the DevTools quota override does not change what Chromium's storage sees. Mounting needs root:
 * `mountSmallDisk` says why it cannot, and the journeys using it are skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** A mounted small disk, or why there is none. */
export interface SmallDisk {
  /** the mount point (a fresh temporary folder) */
  mountPoint: string;
  /** why the disk could not be mounted, or null when it is mounted */
  skipReason: string | null;
  /** a browser profile folder on the disk */
  profile: string;
  /**
   * Writes to a filler file until the disk has no byte left (ENOSPC), and keeps it full until
   * `free`: space the browser frees meanwhile (a compaction deleting an old file) is taken again
   * at once, as other programs on a full disk take it, so the app's next write still fails.
   */
  fill(): void;
  /** stops keeping the disk full and removes the filler file: the space it took is free again */
  free(): void;
  /** unmounts the disk and removes the mount point */
  dispose(): void;
}

/** Mounts a tmpfs of `size` (e.g. `48m`) on a fresh temporary folder. Never throws. */
export function mountSmallDisk(size: string): SmallDisk {
  const mountPoint = mkdtempSync(join(tmpdir(), 'preflight-fulldisk-'));
  const skipReason = ((): string | null => {
    if (process.getuid?.() !== 0) return 'mounting a small tmpfs profile needs root';
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
      return null;
    } catch (error) {
      return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`;
    }
  })();
  const filler = join(mountPoint, 'filler');
  let keeper: ReturnType<typeof setInterval> | undefined;
  const stopKeeping = () => {
    if (keeper) clearInterval(keeper);
    keeper = undefined;
  };
  return {
    mountPoint,
    skipReason,
    profile: join(mountPoint, 'profile'),
    fill() {
      fillFile(filler);
      stopKeeping();
      keeper = setInterval(() => {
        if (statfsSync(mountPoint).bavail > 0) fillFile(filler);
      }, 5);
      keeper.unref();
    },
    free() {
      stopKeeping();
      rmSync(filler, { force: true });
    },
    dispose() {
      stopKeeping();
      if (!skipReason) execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    },
  };
}

/** Writes `path` until the disk has no byte left (ENOSPC). */
function fillFile(path: string): void {
  const fd = openSync(path, 'a');
  const chunk = Buffer.alloc(1 << 20, 0x61);
  try {
    for (;;) {
      let size = chunk.length;
      for (;;) {
        try {
          writeSync(fd, chunk, 0, size);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          if (size === 1) return;
          size = Math.max(1, size >> 4);
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the messages for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

/** Keeps a screenshot of the page at 1440 and 390 px when PREFLIGHT_SCREENSHOTS is set. */
export async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
  }
}

/** The name of the project the header shows as open ('' when none). */
export const projectShown = (page: Page): Promise<string> =>
  page
    .getByLabel('Project', { exact: true })
    .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
