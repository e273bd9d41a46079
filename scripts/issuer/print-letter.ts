/**
 * `npm run issuer -- letter print`: a printable A4 PDF of an issued letter, in Chinese.
 *
 * The QR code is drawn as vector squares (crisp at any printer resolution), 45 mm wide
 * (letter-format.md section 1 asks for at least 40 mm, level M), with the four-module quiet
 * zone the QR standard requires (ISO/IEC 18004, 5.3.8). The Chinese text uses a subset of
 * Noto Sans SC (SIL OFL 1.1, TrueType outlines from the @expo-google-fonts/noto-sans-sc
 * package) embedded in the file, so it renders on any machine and can be copied or searched.
 * The subset is cut by HarfBuzz (hb-subset, through `subset-font`) and embedded whole:
 * pdf-lib's own fontkit subsetting drops glyphs of this font (characters vanish in every
 * viewer), so it is not used.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import subsetFont from 'subset-font';
import { inflateRegionTable, lookupRegion } from '../../utils/explain/region-names.ts';
import { formatDate, t } from '../../utils/i18n/i18n.ts';
import { AL1_PREFIX, tokenFromAl1Text } from '../../utils/verify/al1-text.ts';
import { splitCompactJws } from '../../utils/verify/compact-jws.ts';
import { inflateRawLimited, LETTER_INFLATE_LIMIT } from '../../utils/verify/limited-inflate.ts';
import type { IssuerCommand } from './commands/command.ts';

const require = createRequire(import.meta.url);
const MM = 72 / 25.4;
const A4: [number, number] = [210 * MM, 297 * MM];
/** Width of the code itself, without its quiet zone. */
export const QR_WIDTH_MM = 45;

/** What the printed letter shows; all of it comes from the signed payload, except the issuer's name. */
export interface PrintableLetter {
  /** The `AL1:` text that goes into the QR code. */
  text: string;
  /** The issuer's name as the registry lists it (e.g. 邓州市医疗保障局). */
  issuerName: string;
  claims: {
    sub: string;
    sub_name: string;
    scope: string;
    region: string[];
    nbf: number;
    exp: number;
    iat?: number;
    jti: string;
    agents?: { name: string; id_last4: string }[];
    purpose?: string;
  };
  /** Human labels for the scope ids (from the registry's scope catalog); the ids are printed when absent. */
  scopeLabels?: string[];
  /** Region code to display name; codes are printed alone when absent. */
  regionName?: (code: string) => string | null;
}

function packageFile(name: string, ...rest: string[]): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const root = join(dir, name);
    try {
      readFileSync(join(root, 'package.json'));
      return join(root, ...rest);
    } catch {}
  }
  throw new Error(`package ${name} is not installed`);
}

/** The CJK font: Noto Sans SC Regular (TrueType outlines, SIL Open Font License 1.1). */
export function letterFontBytes(): Uint8Array {
  return readFileSync(packageFile('@expo-google-fonts/noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf'));
}

/** Breaks `text` into lines no wider than `width` at `size` (CJK text breaks between any two characters). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const char of text) {
    if (line && font.widthOfTextAtSize(line + char, size) > width) {
      lines.push(line);
      line = char.trim() ? char : '';
    } else line += char;
  }
  if (line) lines.push(line);
  return lines;
}

function drawQr(page: PDFPage, text: string, x: number, top: number, width: number): number {
  const qr = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const module = width / size;
  const quiet = 4 * module;
  const y0 = top - quiet;
  page.drawRectangle({
    x: x - quiet,
    y: y0 - width - quiet,
    width: width + 2 * quiet,
    height: width + 2 * quiet,
    color: rgb(1, 1, 1),
  });
  for (let r = 0; r < size; r++) {
    // Runs of dark modules in a row as one rectangle: fewer operators, no hairline seams.
    let c = 0;
    while (c < size) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && qr.modules.get(r, c)) c++;
      page.drawRectangle({
        x: x + start * module,
        y: y0 - (r + 1) * module,
        width: (c - start) * module,
        height: module,
        color: rgb(0, 0, 0),
      });
    }
  }
  return y0 - width - quiet;
}

/**
 * Lays out one A4 page: title, letter number, the authorization in a sentence, the
 * persons covered, validity, the issuer, then the QR code and how to check it.
 *
 * @example writeFileSync('letter.pdf', await printLetter({ text, issuerName: '邓州市医疗保障局', claims }))
 */
export async function printLetter(letter: PrintableLetter): Promise<Uint8Array> {
  const { claims } = letter;
  const scopes = letter.scopeLabels?.length ? letter.scopeLabels : claims.scope.split(' ').filter(Boolean);
  const regions = claims.region.map((code) => {
    const name = letter.regionName?.(code);
    return name ? `${name}（${code}）` : code;
  });
  const title = '授 权 书';
  const number = `编号：${claims.jti}`;
  const body = [
    `兹授权 ${claims.sub_name}（统一社会信用代码：${claims.sub}）在以下地区办理下列事项：`,
    `授权事项：${scopes.join('；')}`,
    `适用地区：${regions.join('、')}`,
    ...(claims.agents?.length
      ? [
          `经办人员：${claims.agents.map((a) => `${a.name}（身份证号后四位 ${a.id_last4}）`).join('、')}。只有上述人员可凭本授权书办理。`,
        ]
      : []),
    `有效期：${formatDate('zh-CN', claims.nbf)} 至 ${formatDate('zh-CN', claims.exp)}`,
    ...(claims.purpose ? [`备注：${claims.purpose}`] : []),
    `签发机关：${letter.issuerName}`,
    ...(claims.iat !== undefined ? [`签发日期：${formatDate('zh-CN', claims.iat)}`] : []),
  ];
  const footer = [
    '核验方法：请用“验真”（Yanzhen）扫描或上传本页，核验上方二维码。本授权书以二维码核验结果为准，手写或涂改无效。',
    '如需电话核实，请只拨打“验真”显示的登记机关电话，不要拨打本页或持证人提供的任何号码。',
  ];

  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const used = [title, number, ...body, ...footer].join('');
  const subset = await subsetFont(letterFontBytes(), used, { targetFormat: 'truetype' });
  const font = await pdf.embedFont(subset, { subset: false });
  pdf.setTitle(`授权书 ${claims.jti}`);
  pdf.setCreator('Yanzhen issuer tool');
  pdf.setProducer('Yanzhen issuer tool');
  const page = pdf.addPage(A4);
  const left = 25 * MM;
  const width = A4[0] - 50 * MM;
  let y = A4[1] - 30 * MM;
  const ink = rgb(0.1, 0.1, 0.1);
  const paragraph = (text: string, size = 12, gap = 6) => {
    for (const line of wrap(text, font, size, width)) {
      page.drawText(line, { x: left, y, size, font, color: ink });
      y -= size * 1.6;
    }
    y -= gap;
  };

  page.drawText(title, { x: (A4[0] - font.widthOfTextAtSize(title, 24)) / 2, y, size: 24, font, color: ink });
  y -= 14 * MM;
  page.drawText(number, { x: A4[0] - 25 * MM - font.widthOfTextAtSize(number, 11), y: y + 8 * MM, size: 11, font });
  for (const text of body) paragraph(text);

  const qrWidth = QR_WIDTH_MM * MM;
  const qrTop = y - 8 * MM;
  const bottom = drawQr(page, letter.text, (A4[0] - qrWidth) / 2, qrTop, qrWidth);
  y = bottom - 8 * MM;
  for (const text of footer) paragraph(text, 11, 3);
  // Plain objects (no object streams): older PDF readers at county offices open them.
  return pdf.save({ useObjectStreams: false });
}

/** Reads the claims a printed letter shows from its AL1 text, without verifying it (the issuer prints its own letter). */
export function claimsOfAl1Text(text: string): PrintableLetter['claims'] {
  const token = tokenFromAl1Text(text.trim());
  if (!token) throw new Error(`not an ${AL1_PREFIX} text`);
  const split = splitCompactJws(token);
  if (!split.ok) throw new Error(split.error);
  let bytes = split.jws.payloadBytes;
  if (split.jws.header.zip === 'DEF') {
    const inflated = inflateRawLimited(bytes, LETTER_INFLATE_LIMIT);
    if (!inflated.ok) throw new Error(`payload: ${inflated.error}`);
    bytes = inflated.bytes;
  }
  return JSON.parse(new TextDecoder().decode(bytes)) as PrintableLetter['claims'];
}

/** Region names from the table the extension ships (public/regions/regions.deflate). */
export function shippedRegionName(): (code: string) => string | null {
  const path = resolve(dirname(new URL(import.meta.url).pathname), '../../public/regions/regions.deflate');
  const table = inflateRegionTable(new Uint8Array(readFileSync(path)));
  return (code) => lookupRegion(table, code)?.label ?? null;
}

const USAGE = `usage: npm run issuer -- letter print --letter <file with the AL1: text> --issuer-name <name> --out <file.pdf> [--scope-label <label>]...`;

/**
 * The command: `letter print --letter letter.txt --issuer-name 邓州市医疗保障局 --out letter.pdf`.
 * Returns the exit status (0 done, 2 bad options or unreadable letter).
 */
export async function letterPrintCommand(args: string[], log: (line: string) => void = console.error): Promise<number> {
  const options: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined) {
      log(USAGE);
      return 2;
    }
    const key = name.slice(2);
    options[key] = [...(options[key] ?? []), value];
    i++;
  }
  const letterPath = options.letter?.[0];
  const issuerName = options['issuer-name']?.[0];
  const out = options.out?.[0];
  if (!letterPath || !issuerName || !out) {
    log(USAGE);
    return 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  try {
    const text = readFileSync(resolve(cwd, letterPath), 'utf8').trim();
    const claims = claimsOfAl1Text(text);
    const bytes = await printLetter({
      text,
      issuerName,
      claims,
      scopeLabels: options['scope-label'] ?? [],
      regionName: shippedRegionName(),
    });
    writeFileSync(resolve(cwd, out), bytes);
    log(`wrote ${out} (${bytes.length} bytes)`);
    return 0;
  } catch (error) {
    log(`cannot print the letter: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

/** The `letter print` entry of the issuer tool's dispatch table (scripts/issuer/main.ts). */
export const letterPrint: IssuerCommand = {
  summary: (locale) => t(locale, 'reader.letterPrint.summary'),
  run: (args, io) => letterPrintCommand(args, io.err),
};
