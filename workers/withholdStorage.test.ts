import { describe, expect, it } from 'vitest';
import { withholdStorage } from './withholdStorage.ts';

/** A worker-like scope: own configurable globals, a navigator whose `storage` is a prototype getter. */
function fakeScope() {
  class FakeNavigator {
    get storage() {
      return { getDirectory: () => 'root' };
    }
  }
  const proto = {};
  Object.defineProperty(proto, 'caches', { configurable: true, get: () => 'proto caches' });
  const scope = Object.create(proto) as Record<string, unknown>;
  Object.defineProperty(scope, 'indexedDB', { configurable: true, enumerable: true, get: () => 'idb' });
  Object.defineProperty(scope, 'caches', { configurable: true, get: () => 'own caches' });
  scope.navigator = new FakeNavigator();
  return { scope, FakeNavigator };
}

describe('storage withheld from a worker', () => {
  it('leaves no IndexedDB, Cache Storage or navigator.storage, and no getter to reach them', () => {
    const { scope, FakeNavigator } = fakeScope();
    withholdStorage(scope);
    expect(scope.indexedDB).toBeUndefined();
    expect(scope.caches).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).storage).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(FakeNavigator.prototype, 'storage')).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(scope), 'caches')).toBeUndefined();
  });

  it('refuses to go on when a global cannot be taken away', () => {
    const { scope } = fakeScope();
    Object.defineProperty(scope, 'indexedDB', { configurable: false, get: () => 'idb' });
    expect(() => withholdStorage(scope)).toThrow(/could not be withheld from this worker: indexedDB/);
  });
});
