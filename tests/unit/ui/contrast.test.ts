/**
 * WCAG 2.1 AA contrast of the colours the pages really use (read from components/ui.css
 * and the marker's style.css, so a colour changed there is checked here): 4.5:1 for text,
 * 3:1 for the focus ring and state borders against white (WCAG 1.4.11).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const UI_CSS = readFileSync(join(ROOT, 'components/ui.css'), 'utf8');
const MARKER_CSS = readFileSync(join(ROOT, 'entrypoints/marker/style.css'), 'utf8');

/** `--yz-text` → its value in ui.css; a literal colour passes through. */
function color(name: string): string {
  if (!name.startsWith('--')) return name;
  const found = new RegExp(`${name}:\\s*(#[0-9a-fA-F]{6})`).exec(UI_CSS);
  if (!found?.[1]) throw new Error(`no ${name} in ui.css`);
  return found[1];
}

/** A property of a marker rule (`.valid .symbol` → `background`). */
function markerColor(selector: string, property: string): string {
  const block = new RegExp(`(?:^|\\n|,\\s*)${selector.replace(/\./g, '\\.')}\\s*\\{([^}]*)\\}`).exec(MARKER_CSS)?.[1];
  const value = block && new RegExp(`(?:^|;|\\s)${property}:\\s*(#[0-9a-fA-F]{6})`).exec(block)?.[1];
  if (!value) throw new Error(`no ${property} in ${selector}`);
  return value;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('contrast', () => {
  it('computes the WCAG ratio', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each([
    ['body text', '--yz-text', '--yz-bg'],
    ['small grey text', '--yz-muted', '--yz-bg'],
    ['small grey text in a valid card head', '--yz-muted', '--yz-valid-bg'],
    ['small grey text in a warning card head', '--yz-muted', '--yz-warning-bg'],
    ['small grey text in an invalid card head', '--yz-muted', '--yz-invalid-bg'],
    ['small grey text in the phone box', '--yz-muted', '#f4f6f8'],
    ['valid badge', '#ffffff', '--yz-valid'],
    ['warning badge', '#2b1a00', '--yz-warning-strong'],
    ['invalid badge', '#ffffff', '--yz-invalid'],
    ['no-code badge', '#ffffff', '--yz-none'],
    ['unreadable badge', '#ffffff', '--yz-error'],
    ['checking badge', '#ffffff', '--yz-checking'],
    ['warning note', '--yz-warning', '--yz-warning-bg'],
    ['invalid note', '--yz-invalid', '--yz-invalid-bg'],
    ['the phone number link', '#0b4aa8', '#f4f6f8'],
    ['the details link', '#0b4aa8', '--yz-bg'],
    ['primary button', '#ffffff', '#0b57d0'],
    ['report button', '#ffffff', '--yz-invalid'],
  ])('gives %s at least 4.5:1', (_label, fg, bg) => {
    expect(contrast(color(fg), color(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it.each([
    ['focus ring', '--yz-focus'],
    ['valid card border', '--yz-valid'],
    ['warning card border', '--yz-warning-line'],
    ['invalid card border', '--yz-invalid'],
    ['no-code card border', '--yz-none'],
  ])('gives the %s at least 3:1 against white', (_label, c) => {
    expect(contrast(color(c), '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  // `.error` shares its grey with `.none` (one rule for both).
  it.each(['valid', 'warning', 'invalid', 'error'])('gives the %s marker readable words and symbol', (state) => {
    const text = markerColor('.marker', 'color');
    expect(contrast(text, markerColor(`.${state}`, 'background'))).toBeGreaterThanOrEqual(4.5);
    expect(contrast('#ffffff', markerColor(`.${state} .symbol`, 'background'))).toBeGreaterThanOrEqual(4.5);
  });
});
