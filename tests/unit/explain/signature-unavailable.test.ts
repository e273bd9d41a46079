import { describe, expect, it } from 'vitest';
import { explainReason, verdictHeadline } from '../../../utils/explain/explain-verdict.ts';
import { verdict } from '../ui/fixtures.ts';

describe('a signature this browser cannot check is never worded as a forgery or a network fault', () => {
  const unavailable = verdict(['KEYS_UNAVAILABLE'], { facts: { signatureUnavailable: { alg: 'EdDSA' } } });
  const offline = verdict(['KEYS_UNAVAILABLE']);

  it.each([
    ['zh-CN', '这个浏览器不能核对 EdDSA 签名', '这不说明授权书是伪造的'],
    ['en', 'cannot check EdDSA signatures', 'does not mean the letter is forged'],
  ] as const)('says in %s that the browser lacks the algorithm', (locale, cause, reassurance) => {
    const text = explainReason('KEYS_UNAVAILABLE', unavailable, locale);
    expect(text).toContain(cause);
    expect(text).toContain(reassurance);
    expect(verdictHeadline(unavailable, locale)).not.toBe(verdictHeadline(offline, locale));
  });

  it('keeps the unreachable-keys wording when the keys, not the algorithm, were missing', () => {
    expect(explainReason('KEYS_UNAVAILABLE', offline, 'zh-CN')).toContain('暂时取不到');
  });
});
