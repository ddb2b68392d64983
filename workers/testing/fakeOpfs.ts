/**
 * An in-memory origin private file system with the rules the key spill depends on (for vitest; no
 * browser): one open sync access handle per file (a second one, `getFile` or `removeEntry` while it
 * is open fail with NoModificationAllowedError, as in Chromium), writes at any position growing the
 * file, `removeEntry` of a non-empty folder only with `recursive`. `failWritesAfter` makes writes
 * fail with QuotaExceededError once that many bytes are stored (a full disk mid-run).
 */
import type { SpillDirectory, SpillFileHandle, SpillLocks, SpillSyncHandle } from '../opfsKeySpill.ts';

/** A DOMException-like error with its `name`. */
function domError(name: string): Error {
  return Object.assign(new Error(name), { name });
}

interface FakeFile {
  kind: 'file';
  bytes: Uint8Array;
  size: number;
  locked: boolean;
}

interface FakeFolder {
  kind: 'folder';
  entries: Map<string, FakeFile | FakeFolder>;
}

/** The fake file system and what it saw. */
export interface FakeOpfs {
  root: SpillDirectory;
  /** bytes stored in all files now */
  storedBytes(): number;
  /** paths of every entry now (folders end with "/") */
  paths(): string[];
  /** files ever made (`getFileHandle` with `create` of a name not there) */
  filesMade: number;
  /** sync access handles ever opened */
  handlesOpened: number;
  /** sync access handles open now */
  handlesOpen: number;
  /** from then on every write fails with QuotaExceededError */
  failWritesAfter?: number;
  /** writes asked of sync handles (a partial write and its continuation count once) */
  writeRequests: number;
  /** bytes written through sync handles, in all */
  writtenBytes: number;
  /** `Blob` slices of files read with `getFile` (the page's reads) */
  fileReads: number;
  /** reads asked of sync handles (the workers' reads) */
  readRequests: number;
}

/** Creates an empty fake OPFS. */
export function createFakeOpfs(): FakeOpfs {
  const top: FakeFolder = { kind: 'folder', entries: new Map() };
  const files = (folder: FakeFolder): FakeFile[] =>
    [...folder.entries.values()].flatMap((e) => (e.kind === 'file' ? [e] : files(e)));
  const anyLocked = (entry: FakeFile | FakeFolder): boolean =>
    entry.kind === 'file' ? entry.locked : [...entry.entries.values()].some(anyLocked);
  const fake: FakeOpfs = {
    root: undefined as unknown as SpillDirectory,
    storedBytes: () => files(top).reduce((n, f) => n + f.size, 0),
    paths() {
      const out: string[] = [];
      const walk = (folder: FakeFolder, prefix: string) => {
        for (const [name, entry] of folder.entries) {
          if (entry.kind === 'file') out.push(prefix + name);
          else {
            out.push(`${prefix + name}/`);
            walk(entry, `${prefix + name}/`);
          }
        }
      };
      walk(top, '');
      return out;
    },
    filesMade: 0,
    handlesOpened: 0,
    handlesOpen: 0,
    writeRequests: 0,
    writtenBytes: 0,
    fileReads: 0,
    readRequests: 0,
  };
  const fileHandle = (file: FakeFile): SpillFileHandle => ({
    async createSyncAccessHandle(): Promise<SpillSyncHandle> {
      if (file.locked) throw domError('NoModificationAllowedError');
      file.locked = true;
      fake.handlesOpened++;
      fake.handlesOpen++;
      let open = true;
      /** where the last write ended, and whether it wrote only part of its buffer */
      let lastEnd = -1;
      let lastPartial = false;
      const check = () => {
        if (!open) throw domError('InvalidStateError');
      };
      return {
        read(buffer, { at }) {
          check();
          fake.readRequests++;
          const n = Math.max(0, Math.min(buffer.byteLength, file.size - at));
          buffer.set(file.bytes.subarray(at, at + n));
          return n;
        },
        write(buffer, { at }) {
          check();
          const end = at + buffer.byteLength;
          if (
            fake.failWritesAfter !== undefined &&
            fake.storedBytes() + buffer.byteLength > fake.failWritesAfter
          )
            throw domError('QuotaExceededError');
          if (end > file.bytes.byteLength) {
            const grown = new Uint8Array(Math.max(end, file.bytes.byteLength * 2));
            grown.set(file.bytes.subarray(0, file.size));
            file.bytes = grown;
          }
          // a sync handle may write part of a buffer: at most 4 KiB per call here
          const n = Math.min(buffer.byteLength, 4096);
          // the rest of a partial write, written from where it stopped, is the same request
          if (!(lastPartial && at === lastEnd)) fake.writeRequests++;
          lastPartial = n < buffer.byteLength;
          lastEnd = at + n;
          file.bytes.set(buffer.subarray(0, n), at);
          fake.writtenBytes += n;
          file.size = Math.max(file.size, at + n);
          return n;
        },
        close() {
          if (!open) return;
          open = false;
          file.locked = false;
          fake.handlesOpen--;
        },
      };
    },
    async getFile() {
      if (file.locked) throw domError('NoModificationAllowedError');
      const blob = new Blob([file.bytes.slice(0, file.size)]);
      const slice = blob.slice.bind(blob);
      blob.slice = (...args: Parameters<Blob['slice']>) => {
        fake.fileReads++;
        return slice(...args);
      };
      return blob;
    },
  });
  const directory = (folder: FakeFolder): SpillDirectory => ({
    async getDirectoryHandle(name, options) {
      let entry = folder.entries.get(name);
      if (!entry) {
        if (!options?.create) throw domError('NotFoundError');
        entry = { kind: 'folder', entries: new Map() };
        folder.entries.set(name, entry);
      }
      if (entry.kind !== 'folder') throw domError('TypeMismatchError');
      return directory(entry);
    },
    async getFileHandle(name, options) {
      let entry = folder.entries.get(name);
      if (!entry) {
        if (!options?.create) throw domError('NotFoundError');
        entry = { kind: 'file', bytes: new Uint8Array(0), size: 0, locked: false };
        folder.entries.set(name, entry);
        fake.filesMade++;
      }
      if (entry.kind !== 'file') throw domError('TypeMismatchError');
      return fileHandle(entry);
    },
    async removeEntry(name, options) {
      const entry = folder.entries.get(name);
      if (!entry) throw domError('NotFoundError');
      if (entry.kind === 'folder' && entry.entries.size > 0 && !options?.recursive)
        throw domError('InvalidModificationError');
      if (anyLocked(entry)) throw domError('NoModificationAllowedError');
      folder.entries.delete(name);
    },
    async *keys() {
      for (const name of [...folder.entries.keys()]) yield name;
    },
  });
  fake.root = directory(top);
  return fake;
}

/** A fake `navigator.locks`: exclusive locks by name, held until their callback's promise settles. */
export function createFakeLocks(): SpillLocks & { heldNames(): string[] } {
  const held = new Set<string>();
  return {
    async request(name, callback) {
      if (held.has(name)) throw new Error('the fake locks do not queue');
      held.add(name);
      try {
        await callback();
      } finally {
        held.delete(name);
      }
    },
    async query() {
      return { held: [...held].map((name) => ({ name })) };
    },
    heldNames: () => [...held],
  };
}
