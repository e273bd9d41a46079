import { describe, expect, it } from 'vitest';
import { generateIssuerKey, issueLetter } from '../../../scripts/issuer/lib/index.ts';
import { claimsOfAl1Text, printLetter, QR_WIDTH_MM, shippedRegionName } from '../../../scripts/issuer/print-letter.ts';
import { readDocument } from '../../../utils/document/read-document.ts';
import { nodeReaderPlatform } from '../../../utils/node/reader-platform.ts';
import { UNTIMED } from './untimed.ts';

const input = {
  iss: 'cn-hsa-411381',
  sub: '91411381MA45XXXXXX',
  sub_name: '邓州市陶营镇卫生院',
  scope: ['ehi.voucher.assist'],
  region: ['411381121'],
  iat: 1767225600,
  nbf: 1767225600,
  exp: 1774915200,
  jti: 'DZ-2026-0017',
  agents: [{ name: '张三', id_last4: '1234' }],
};

describe('printLetter', async () => {
  const key = await generateIssuerKey('ES256');
  const { text } = await issueLetter(input, key.privateJwk);
  const claims = claimsOfAl1Text(text);
  const bytes = await printLetter({
    text,
    issuerName: '邓州市医疗保障局',
    claims,
    scopeLabels: ['指导群众激活医保电子凭证'],
    regionName: shippedRegionName(),
  });

  it('decodes the claims it prints from the AL1 text itself', () => {
    expect(claims).toMatchObject({ sub_name: '邓州市陶营镇卫生院', jti: 'DZ-2026-0017', region: ['411381121'] });
  });

  it('writes one A4 page whose Chinese text can be extracted', async () => {
    const pdfjs = await nodeReaderPlatform().loadPdfJs();
    const doc = await pdfjs.getDocument({ data: bytes.slice(), ...nodeReaderPlatform().pdfData, verbosity: 0 }).promise;
    expect(doc.numPages).toBe(1);
    const page = await doc.getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    expect([Math.round((width * 25.4) / 72), Math.round((height * 25.4) / 72)]).toEqual([210, 297]);
    const content = await page.getTextContent();
    const all = content.items.map((item) => ('str' in item ? item.str : '')).join('');
    for (const expected of [
      '授 权 书',
      '编号：DZ-2026-0017',
      '邓州市陶营镇卫生院',
      '签发机关：邓州市医疗保障局',
      '有效期：2026年1月1日 至 2026年3月31日',
      '河南省南阳市邓州市陶营镇',
      '验真',
      '只拨打',
    ]) {
      expect(all).toContain(expected);
    }
    await doc.destroy();
  });

  it('embeds the font (a subset, far smaller than the 10 MB font)', () => {
    const ascii = new TextDecoder('latin1').decode(bytes);
    expect(ascii).toContain('/FontFile2');
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('prints a QR code at least 40 mm wide that the reader decodes to the exact AL1 text', async () => {
    expect(QR_WIDTH_MM).toBeGreaterThanOrEqual(40);
    const result = await readDocument(bytes, { platform: nodeReaderPlatform(), limits: UNTIMED });
    expect(result).toMatchObject({ ok: true, kind: 'pdf', unreadPages: [] });
    if (!result.ok) return;
    expect(result.codes.map((c) => c.text)).toEqual([text]);
    expect(result.codes[0]?.position?.width).toBeGreaterThanOrEqual((40 * 72) / 25.4);
  });
});
