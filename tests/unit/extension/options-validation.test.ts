import { describe, expect, it } from 'vitest';
import { validateOptions } from '../../../utils/extension/options-validation.ts';

const EC = {
  kty: 'EC',
  crv: 'P-256',
  kid: 'root-1',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};
const ED = { kty: 'OKP', crv: 'Ed25519', kid: 'root-2', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const jwks = (...keys: unknown[]) => JSON.stringify({ keys });
const OK = { registryUrl: 'https://hsa.henan.gov.cn/al1/registry.jws', rootKeys: jwks(EC, ED), region: '411381' };

describe('validateOptions', () => {
  it.each([
    ['a complete https setup', OK],
    ['a loopback http registry for local tests', { ...OK, registryUrl: 'http://127.0.0.1:8787/registry.jws' }],
    ['a township region code', { ...OK, region: '411381121' }],
    ['no region', { ...OK, region: '' }],
    ['nothing configured yet', { registryUrl: '', rootKeys: '', region: '' }],
  ])('accepts %s', (_label, input) => {
    expect(validateOptions(input, 'zh-CN')).toEqual({});
  });

  it.each([
    ['registryUrl', { ...OK, registryUrl: '' }, '请填写签发机关名单地址。'],
    ['registryUrl', { ...OK, registryUrl: 'hsa.henan.gov.cn' }, '这不是有效的网址。'],
    ['registryUrl', { ...OK, registryUrl: 'http://hsa.henan.gov.cn/r.jws' }, '地址必须以 https:// 开头'],
    ['registryUrl', { ...OK, registryUrl: 'https://user:pw@hsa.henan.gov.cn/r.jws' }, '地址必须以 https:// 开头'],
    ['rootKeys', { ...OK, rootKeys: '' }, '请填写根公钥。'],
    ['rootKeys', { ...OK, rootKeys: '{"keys": [' }, '根公钥不是有效的 JSON'],
    ['rootKeys', { ...OK, rootKeys: '{"keys": []}' }, '至少有一个公钥'],
    ['rootKeys', { ...OK, rootKeys: JSON.stringify(EC) }, '至少有一个公钥'],
    ['rootKeys', { ...OK, rootKeys: jwks(EC, { ...ED, d: 'secret' }) }, '第 2 个公钥有误：这是私钥'],
    [
      'rootKeys',
      { ...OK, rootKeys: jwks({ kty: 'RSA', kid: 'r', n: 'a', e: 'AQAB' }) },
      '只支持 EC P-256、EC SM2 或 Ed25519',
    ],
    ['rootKeys', { ...OK, rootKeys: jwks({ ...EC, kid: undefined }) }, '缺少 kid'],
    ['rootKeys', { ...OK, rootKeys: jwks({ ...EC, y: undefined }) }, '缺少公钥坐标'],
    ['region', { ...OK, region: '41138' }, '6 位或 9 位数字'],
    ['region', { ...OK, region: '邓州' }, '6 位或 9 位数字'],
  ] as const)('refuses a bad %s with a specific message (%j)', (field, input, words) => {
    const errors = validateOptions(input, 'zh-CN');
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toContain(words);
  });

  it('leaves fields locked by policy alone', () => {
    const errors = validateOptions({ ...OK, registryUrl: 'http://x.example/' }, 'zh-CN', { registryUrl: true });
    expect(errors).toEqual({});
  });

  it('speaks English when asked', () => {
    expect(validateOptions({ ...OK, region: '1' }, 'en').region).toBe('The region code must be 6 or 9 digits.');
  });
});
