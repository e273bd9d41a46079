/**
 * A letter page of the independent corpus, described in ImageMagick's MVG and drawn by
 * ImageMagick (FreeType text, its own anti-aliasing), with the QR matrix from the `qrcode`
 * package at the error-correction level and mask a real issuer might pick: nothing here
 * shares code with the project's printer or with scripts/bench/corpus/.
 *
 * The code is drawn on its own at `CODE_OVERSAMPLE` times the page's resolution and
 * averaged down (a scanner's sensor integrates area), then multiplied onto the page at
 * whole-pixel offset; its fractional offset is kept inside the code's own drawing.
 */
import QRCode from 'qrcode';
import type { CorpusLetter } from './letters.ts';

export type EcLevel = 'L' | 'M' | 'Q' | 'H';
export type Mask = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type CodePlace = 'bottom-right' | 'bottom-left' | 'top-right' | 'bottom-centre';

export interface PageSpec {
  dpi: number;
  ec: EcLevel;
  /** Unset: the encoder picks the mask by the standard's penalty rules, as most issuers' software does. */
  mask?: Mask | undefined;
  codeMm: number;
  marginMm: number;
  place: CodePlace;
  /** Paper size in mm: A4 portrait unless said (two-letter sheets put A5 letters on A4). */
  widthMm?: number;
  heightMm?: number;
  /** A red seal across the code covering this share of it (0: the seal sits on the signature, off the code). */
  sealOverCode: number;
  /** Where the seal's centre sits on the code, as shares of its side. */
  sealAt?: { x: number; y: number };
  /** Ink darkness of the seal, 0..1 (old stamp pads print pale). */
  sealInk?: number;
  /** A page with the code left off (the letter's text only). */
  noCode?: boolean;
}

export interface DrawnPage {
  width: number;
  height: number;
  /** ImageMagick arguments that leave the drawn page as the current image. */
  args: string[];
  /** The code's square in page pixels (quiet zone excluded), or null without a code. */
  code: { x: number; y: number; side: number; modules: number; version: number; mask: number } | null;
  /** Files the arguments read (MVG), to be written first. */
  files: { name: string; text: string }[];
}

export const CODE_OVERSAMPLE = 4;
/** An MVG canvas starts transparent: white paper under it, and no alpha channel to carry through the capture. */
const OPAQUE = ['-background', 'white', '-alpha', 'remove', '-alpha', 'off'];
export const FONT = new URL(
  '../../../node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  import.meta.url,
).pathname;

/** The matrix the `qrcode` package makes for this text at this level and mask. */
export function qrMatrix(
  text: string,
  ec: EcLevel,
  mask?: Mask,
): { size: number; dark: (r: number, c: number) => boolean; version: number; mask: number } {
  const code = QRCode.create(text, { errorCorrectionLevel: ec, ...(mask === undefined ? {} : { maskPattern: mask }) });
  return {
    size: code.modules.size,
    dark: (r, c) => Boolean(code.modules.get(r, c)),
    version: code.version,
    mask: code.maskPattern ?? -1,
  };
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const f2 = (n: number) => n.toFixed(2);

/** Lines of at most `perLine` characters (CJK text wraps anywhere). */
function wrap(text: string, perLine: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += perLine) out.push(chars.slice(i, i + perLine).join(''));
  return out;
}

/** The red seal: a ring, a star, the issuer's name and the seal's purpose, centred in a square of side 2r. */
function sealMvg(r: number, issuerName: string): string {
  const c = r;
  const star: string[] = [];
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 === 0 ? r * 0.26 : r * 0.1;
    star.push(`${f2(c + rr * Math.cos(a))},${f2(c - r * 0.05 + rr * Math.sin(a))}`);
  }
  return [
    `viewbox 0 0 ${Math.ceil(2 * r)} ${Math.ceil(2 * r)}`,
    'stroke rgb(214,38,46)',
    `stroke-width ${f2(r * 0.07)}`,
    'fill none',
    `circle ${f2(c)},${f2(c)} ${f2(c)},${f2(c * 0.08)}`,
    'stroke none',
    'fill rgb(214,38,46)',
    `polygon ${star.join(' ')}`,
    `font ${quote(FONT)}`,
    `font-size ${f2(r * 0.22)}`,
    'text-anchor middle',
    `text ${f2(c)},${f2(c - r * 0.42)} ${quote(issuerName)}`,
    `font-size ${f2(r * 0.17)}`,
    `text ${f2(c)},${f2(c + r * 0.58)} ${quote('业务专用章')}`,
  ].join('\n');
}

/** The page: text, signature block, the code (unless `noCode`) and the seal, as ImageMagick arguments. */
export function drawLetterPage(letter: CorpusLetter, spec: PageSpec, prefix: string): DrawnPage {
  const k = spec.dpi / 25.4;
  const width = Math.round((spec.widthMm ?? 210) * k);
  const height = Math.round((spec.heightMm ?? 297) * k);
  const small = (spec.heightMm ?? 297) < 250;
  // An A5 letter keeps narrow margins, else its text, code and seal do not fit apart.
  const margin = (small ? Math.min(spec.marginMm, 10) : spec.marginMm) * k;
  const body = (small ? 3.4 : 4.2) * k; // 12 pt text, less on an A5 sheet
  const lines: string[] = [
    `viewbox 0 0 ${width} ${height}`,
    'fill black',
    `font ${quote(FONT)}`,
    `font-size ${f2(body * 1.6)}`,
    'text-anchor middle',
    `text ${f2(width / 2)},${f2(margin + body * 1.6)} ${quote('授 权 委 托 书')}`,
    'text-anchor start',
    `font-size ${f2(body)}`,
  ];
  const perLine = Math.max(10, Math.floor((width - 2 * margin) / (body * 1.05)));
  const paragraphs = [
    `编号：${letter.jti}`,
    `兹授权${letter.subName}${letter.agents.length ? `工作人员${letter.agents.join('、')}` : ''}，${letter.purpose}。`,
    '授权事项：指导群众激活医保电子凭证。被授权人不得收取任何费用，不得索取群众的验证码、密码或银行卡信息。',
    '本授权书以二维码中的电子签名为准。如对本授权书真伪有疑问，请扫描下方二维码核验，或致电当地医疗保障部门。',
  ];
  const side = spec.codeMm * k;
  const matrix = spec.noCode ? null : qrMatrix(letter.text, spec.ec, spec.mask);
  const quiet = matrix ? (4 * side) / matrix.size : 0;
  const topCode = matrix !== null && spec.place === 'top-right';
  // Nothing is drawn over the code or its quiet zone: with the code at the top, the text starts below it.
  let y = topCode ? margin + side + quiet + body * 3.5 : margin + body * 4;
  for (const paragraph of paragraphs) {
    for (const line of wrap(paragraph, perLine)) {
      lines.push(
        `text ${f2(margin + (line === paragraph.slice(0, line.length) ? body * 2 : 0))},${f2(y)} ${quote(line)}`,
      );
      y += body * 1.7;
    }
    y += body * 0.6;
  }
  // Signature block at the bottom, on the side away from a code at the bottom (its seal stays off the code).
  const signY = height - margin - body * 3;
  const signLeft = matrix !== null && spec.place === 'bottom-right';
  const sealR = (small ? 15 : 21) * k;
  lines.push(signLeft ? 'text-anchor start' : 'text-anchor end');
  const signX = signLeft ? margin : width - margin;
  lines.push(`text ${f2(signX)},${f2(signY)} ${quote(`${letter.issuerName}（盖章）`)}`);
  lines.push(`text ${f2(signX)},${f2(signY + body * 1.8)} ${quote(letter.issued)}`);
  lines.push('text-anchor start');

  const files = [{ name: `${prefix}-page.mvg`, text: '' }];
  const args = [`mvg:${prefix}-page.mvg`, ...OPAQUE];
  let code: DrawnPage['code'] = null;
  if (matrix) {
    const n = matrix.size;
    let cx: number;
    let cy: number;
    if (topCode) {
      cx = width - margin - side - quiet;
      cy = margin;
    } else {
      // Below the text, and above the bottom margin with room for its caption.
      cy = Math.min(height - margin - side - quiet - body * 1.5, Math.max(y + quiet, height * 0.5));
      cx =
        spec.place === 'bottom-left'
          ? margin + quiet
          : spec.place === 'bottom-centre'
            ? (width - side) / 2
            : width - margin - side - quiet;
      if (cy < y)
        throw new Error(`the code would cover the letter's text (${spec.codeMm} mm on ${spec.heightMm ?? 297} mm)`);
    }
    code = { x: cx, y: cy, side, modules: n, version: matrix.version, mask: matrix.mask };
    lines.push(`font-size ${f2(body * 0.8)}`);
    lines.push('text-anchor middle');
    lines.push(`text ${f2(cx + side / 2)},${f2(cy + side + quiet + body)} ${quote('扫码核验授权书真伪')}`);
    // The code alone, oversampled: its square at a fractional offset inside a whole-pixel box.
    const ox = Math.floor(cx) - 1;
    const oy = Math.floor(cy) - 1;
    const box = Math.ceil(side) + 3;
    const s = CODE_OVERSAMPLE;
    const m = (side / n) * s;
    const fx = (cx - ox) * s;
    const fy = (cy - oy) * s;
    const path: string[] = [];
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!matrix.dark(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && matrix.dark(r, c)) c++;
        // ImageMagick fills half a pixel beyond a path's edge: one pixel less each way keeps the module's area.
        const x0 = fx + start * m;
        const x1 = fx + c * m - 1;
        const y0 = fy + r * m;
        const y1 = fy + (r + 1) * m - 1;
        path.push(`M${f2(x0)},${f2(y0)} H${f2(x1)} V${f2(y1)} H${f2(x0)} Z`);
      }
    }
    files.push({
      name: `${prefix}-code.mvg`,
      text: [`viewbox 0 0 ${box * s} ${box * s}`, 'fill black', `path '${path.join(' ')}'`].join('\n'),
    });
    args.push(
      '(',
      `mvg:${prefix}-code.mvg`,
      ...OPAQUE,
      '-filter',
      'Box',
      '-resize',
      `${box}x${box}!`,
      ')',
      '-geometry',
      `+${ox}+${oy}`,
      '-compose',
      'Multiply',
      '-composite',
    );
  }
  // The seal: over the code (the seal category), else over the signature line.
  const r = spec.sealOverCode > 0 && code ? Math.sqrt((spec.sealOverCode * side * side) / Math.PI) : sealR;
  const at =
    spec.sealOverCode > 0 && code
      ? { x: code.x + side * (spec.sealAt?.x ?? 0.6), y: code.y + side * (spec.sealAt?.y ?? 0.6) }
      : { x: signLeft ? margin + sealR * 1.3 : width - margin - sealR * 1.3, y: signY - body * 0.5 };
  files.push({ name: `${prefix}-seal.mvg`, text: sealMvg(r, letter.issuerName) });
  args.push(
    '(',
    `mvg:${prefix}-seal.mvg`,
    ...OPAQUE,
    // Pale stamp-pad ink: the seal's colour blended toward the paper.
    '-fill',
    'white',
    '-colorize',
    `${Math.round(100 * (1 - Math.max(0.3, Math.min(1, spec.sealInk ?? 0.85))))}%`,
    '-blur',
    `0x${f2(Math.max(0.4, 0.15 * k))}`,
    ')',
    '-geometry',
    `+${Math.round(at.x - r)}+${Math.round(at.y - r)}`,
    '-compose',
    'Multiply',
    '-composite',
  );
  files[0] = { name: `${prefix}-page.mvg`, text: lines.join('\n') };
  return { width, height, args, code, files };
}
