import { describe, expect, it } from 'vitest';
import {
  corruptError,
  STORAGE_ERROR_MESSAGES,
  StorageError,
  type StorageErrorKind,
  storageErrorKindOf,
  toStorageError,
} from './errors.ts';

const SECRET = 'MRN 0042 Jane Q. Patient';

describe('toStorageError', () => {
  it.each<{ name: string; kind: StorageErrorKind }>([
    { name: 'QuotaExceededError', kind: 'quota' },
    { name: 'NS_ERROR_DOM_QUOTA_REACHED', kind: 'quota' },
    { name: 'InvalidStateError', kind: 'unavailable' },
    { name: 'VersionError', kind: 'unavailable' },
    { name: 'SecurityError', kind: 'unavailable' },
    { name: 'NotFoundError', kind: 'unavailable' },
    { name: 'DataCloneError', kind: 'invalid' },
    { name: 'UnknownError', kind: 'unknown' },
    { name: 'AbortError', kind: 'unknown' },
  ])('maps a DOMException named $name to kind $kind, without copying its text', ({ name, kind }) => {
    const cause = new DOMException(`failed on ${SECRET}`, name);
    const error = toStorageError(cause);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.kind).toBe(kind);
    expect(storageErrorKindOf(cause)).toBe(kind);
    expect(error.message).not.toContain(SECRET);
    expect(error.cause).toBe(cause);
  });

  it('says what happened and what to do for a full quota', () => {
    const error = toStorageError(new DOMException('', 'QuotaExceededError'));
    expect(error.message).toBe(STORAGE_ERROR_MESSAGES.quota);
    expect(error.message).toMatch(/full/);
    expect(error.message).toMatch(/export the project/);
    expect(error.message).toMatch(/Nothing already saved was lost/);
  });

  it('recognises the legacy quota code and passes StorageErrors through', () => {
    expect(toStorageError({ name: 'Error', code: 22 }).kind).toBe('quota');
    const original = new StorageError('blocked');
    expect(toStorageError(original)).toBe(original);
    expect(toStorageError('weird').kind).toBe('unknown');
    expect(toStorageError(new Error(SECRET)).message).not.toContain(SECRET);
  });

  it('has a default message for every kind', () => {
    for (const [kind, message] of Object.entries(STORAGE_ERROR_MESSAGES)) {
      expect(new StorageError(kind as StorageErrorKind).message).toBe(message);
      expect(message.length).toBeGreaterThan(40);
    }
  });
});

describe('corruptError', () => {
  it('names the document and path of the first problem and counts the rest', () => {
    const error = corruptError([
      {
        projectId: 'p',
        documentKind: 'mapping',
        documentId: 'm1',
        path: '/fields/2/target',
        message: 'expected a string',
      },
      {
        projectId: 'p',
        documentKind: 'workflow',
        documentId: 'w1',
        path: '/lanes',
        message: 'expected an array',
      },
    ]);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain(
      'mapping "m1" at /fields/2/target is damaged — expected a string (and 1 more problem)',
    );
    expect(error.location).toMatchObject({ documentKind: 'mapping', documentId: 'm1' });
    expect(error.problems).toHaveLength(2);
  });
});
