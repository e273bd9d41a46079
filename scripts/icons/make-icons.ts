// Draws the toolbar icons (public/icons/): one per verdict, so the icon alone tells the
// worst verdict on the tab, and each carries its own symbol too (never colour alone, for
// colour-blind staff): valid ✓ green, warning ! amber, invalid ✗ red, none ? grey, idle a
// plain blue-grey seal. `npx tsx scripts/icons/make-icons.ts` rewrites them; they are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Segment = [number, number, number, number];
interface IconSpec {
  fill: [number, number, number];
  /** Symbol strokes in a 0..1 square. */
  strokes: Segment[];
  dots: [number, number][];
}

const SPECS: Record<string, IconSpec> = {
  valid: {
    fill: [22, 128, 61],
    strokes: [
      [0.27, 0.52, 0.44, 0.69],
      [0.44, 0.69, 0.74, 0.33],
    ],
    dots: [],
  },
  warning: { fill: [180, 110, 0], strokes: [[0.5, 0.24, 0.5, 0.58]], dots: [[0.5, 0.75]] },
  invalid: {
    fill: [200, 30, 30],
    strokes: [
      [0.3, 0.3, 0.7, 0.7],
      [0.7, 0.3, 0.3, 0.7],
    ],
    dots: [],
  },
  none: {
    fill: [110, 110, 110],
    strokes: [
      [0.36, 0.36, 0.42, 0.27],
      [0.42, 0.27, 0.58, 0.27],
      [0.58, 0.27, 0.64, 0.37],
      [0.64, 0.37, 0.5, 0.5],
      [0.5, 0.5, 0.5, 0.6],
    ],
    dots: [[0.5, 0.76]],
  },
  idle: {
    fill: [60, 90, 130],
    strokes: [
      [0.3, 0.5, 0.7, 0.5],
      [0.5, 0.3, 0.5, 0.7],
    ],
    dots: [],
  },
};

function distToSegment(px: number, py: number, [ax, ay, bx, by]: Segment): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage of one sub-sample: 0 outside, 1 inside the disc; the symbol is cut out in white. */
function sample(spec: IconSpec, x: number, y: number): [number, number, number, number] {
  const r = Math.hypot(x - 0.5, y - 0.5);
  if (r > 0.48) return [0, 0, 0, 0];
  const stroke = 0.075;
  const onSymbol =
    spec.strokes.some((s) => distToSegment(x, y, s) < stroke) ||
    spec.dots.some(([dx, dy]) => Math.hypot(x - dx, y - dy) < stroke * 1.2);
  return onSymbol ? [255, 255, 255, 255] : [...spec.fill, 255];
}

function draw(spec: IconSpec, size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const c = sample(spec, (px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          for (let i = 0; i < 3; i++) acc[i] = (acc[i] ?? 0) + (c[i] ?? 0) * (c[3] / 255);
          acc[3] = (acc[3] ?? 0) + c[3];
        }
      const alpha = (acc[3] ?? 0) / (ss * ss);
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) png.data[o + i] = alpha === 0 ? 0 : Math.round((acc[i] ?? 0) / ((acc[3] ?? 1) / 255));
      png.data[o + 3] = Math.round(alpha);
    }
  }
  return PNG.sync.write(png);
}

const dir = fileURLToPath(new URL('../../public/icons/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, spec] of Object.entries(SPECS)) {
  for (const size of [16, 32, 48, 128]) {
    const png = draw(spec, size);
    writeFileSync(`${dir}${name}-${size}.png`, png);
    // WXT picks `icons/<size>.png` as the manifest icon: the idle seal.
    if (name === 'idle') writeFileSync(`${dir}${size}.png`, png);
  }
}
console.log(`icons written to ${dir}`);
