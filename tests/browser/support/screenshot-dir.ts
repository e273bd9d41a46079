/**
 * Where browser tests write screenshots: the README's docs/screenshots when a CJK font is
 * installed (the pictures show Chinese text as users see it), else test-results/ so a machine
 * without the font never overwrites them with boxes.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './build-demo.ts';

function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

export const SHOT_DIR = hasCjkFont() ? join(ROOT, 'docs/screenshots') : join(ROOT, 'test-results/screenshots');
