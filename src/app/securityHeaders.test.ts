import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  contentSecurityPolicyFor,
  validatorWorkerContentSecurityPolicy,
} from './securityHeaders.ts';

describe('per-path Content-Security-Policy', () => {
  it.each([
    ['/assets/validate.worker-DSkfRC4_.js', validatorWorkerContentSecurityPolicy],
    ['/assets/validate.worker-abc123.js?v=1', validatorWorkerContentSecurityPolicy],
    ['/assets/hash.worker-D9AgR8Th.js', contentSecurityPolicy],
    ['/assets/index-B_Tx0L48.js', contentSecurityPolicy],
    ['/', contentSecurityPolicy],
    ['/assets/validate.worker-x.js/../index.html', contentSecurityPolicy],
    ['/x/assets/validate.worker-abc.js', contentSecurityPolicy],
  ])('%s', (path, policy) => {
    expect(contentSecurityPolicyFor(path)).toBe(policy);
  });

  it('widens only script-src for the validator worker, and takes its network away', () => {
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    expect(validatorWorkerContentSecurityPolicy).toContain("script-src 'self' 'unsafe-eval'");
    expect(validatorWorkerContentSecurityPolicy).toContain("connect-src 'none'");
    expect(validatorWorkerContentSecurityPolicy).not.toContain('unsafe-inline');
  });
});
