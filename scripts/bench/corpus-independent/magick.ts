/**
 * ImageMagick, the independent corpus's image tool (resampling, distortion, blur, noise,
 * dithering and the JPEG/TIFF encoders are all its own, none of the project's). Optional:
 * `findMagick()` says why when it is missing, and the bench then skips with that message.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface Magick {
  /** The command (`magick` for ImageMagick 7, `convert` for 6). */
  command: string;
  version: string;
}

let found: Magick | null | undefined;

/**
 * The first real ImageMagick on PATH. A `-version` that does not start "Version: ImageMagick"
 * (GraphicsMagick's convert, a stand-in script) does not count: its output would differ.
 */
export function findMagick(): Magick | null {
  if (found !== undefined) return found;
  found = null;
  for (const command of ['magick', 'convert']) {
    const run = spawnSync(command, ['-version'], { encoding: 'utf8' });
    const first = run.stdout?.split('\n')[0] ?? '';
    if (run.status === 0 && first.startsWith('Version: ImageMagick')) {
      found = { command, version: first.replace('Version: ', '') };
      break;
    }
  }
  return found;
}

/**
 * One ImageMagick run with these arguments; `input` goes to stdin (name it `-` or `png:-`),
 * stdout comes back. One thread, so that results do not hang on scheduling and the run
 * takes one core of the shared machine.
 */
export function magick(args: string[], input?: Uint8Array): Buffer {
  const tool = findMagick();
  if (!tool) throw new Error('ImageMagick is not installed (apt-get install imagemagick)');
  const run = spawnSync(tool.command, args, {
    input,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, MAGICK_THREAD_LIMIT: '1', OMP_NUM_THREADS: '1' },
  });
  if (run.status !== 0) {
    throw new Error(`${tool.command} ${args.slice(0, 6).join(' ')}… failed: ${run.stderr?.toString().slice(0, 400)}`);
  }
  return run.stdout;
}

/** `magick` without blocking, so two pages can be drawn at once on the two cores. */
export function magickAsync(args: string[], input?: Uint8Array): Promise<Buffer> {
  const tool = findMagick();
  if (!tool) return Promise.reject(new Error('ImageMagick is not installed (apt-get install imagemagick)'));
  return new Promise((resolve, reject) => {
    const child = spawn(tool.command, args, {
      env: { ...process.env, MAGICK_THREAD_LIMIT: '1', OMP_NUM_THREADS: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(
            `${tool.command} ${args.slice(0, 6).join(' ')}… failed: ${Buffer.concat(err).toString().slice(0, 400)}`,
          ),
        );
    });
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}
