/**
 * The pure part of the live camera scan (a stranger at the clinic door holding a paper
 * letter): which decoded QR texts matter, and how often to look at a frame.
 */
import { isAl1Text } from '../verify/al1-text.ts';

/** Frames decoded per second: enough to catch a letter held still, light on an old laptop. */
export const CAMERA_SCAN_FPS = 4;

/** The longest side a frame is scaled to before decoding (a QR 40 mm wide still spans 150+ px). */
export const CAMERA_FRAME_MAX_SIDE = 1280;

/** What one frame showed: an authorization code, only other QR codes, or nothing readable. */
export type FrameFinding = { kind: 'al1'; text: string } | { kind: 'other' } | { kind: 'nothing' };

/**
 * Classifies the QR texts found in one frame; an `AL1:` code wins over any other QR code
 * (a payment QR printed beside it must not hide it).
 *
 * @example classifyFrame(['https://pay.example', 'AL1:a.b.c']) // { kind: 'al1', text: 'AL1:a.b.c' }
 */
export function classifyFrame(texts: readonly string[]): FrameFinding {
  const al1 = texts.map((text) => text.trim()).find(isAl1Text);
  if (al1) return { kind: 'al1', text: al1 };
  return texts.length > 0 ? { kind: 'other' } : { kind: 'nothing' };
}

/**
 * The size to draw a video frame at, keeping its aspect ratio within {@link CAMERA_FRAME_MAX_SIDE}.
 *
 * @example frameSize(1920, 1080) // { width: 1280, height: 720 }
 */
export function frameSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, CAMERA_FRAME_MAX_SIDE / Math.max(width, height, 1));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
