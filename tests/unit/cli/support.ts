/**
 * A temporary workspace for running the CLI in-process: a cache folder, root keys and
 * registry files, letters written at test time with the issuer library, and a fetch spy
 * that serves the fixture world's status lists and JWKS.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { type CliIo, type ExitCode, runCli } from '../../../scripts/cli/main.ts';
import { at, getWorld, NOW, type World } from '../../support/fixtures.ts';

export interface CliRun {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  world: World;
  /** Records every URL the CLI fetched; answers from `world.served`, else 404. */
  fetch: ReturnType<typeof vi.fn<typeof fetch>>;
  env: Record<string, string | undefined>;
  write(relativePath: string, content: string | Uint8Array): Promise<string>;
  /** Runs with `--registry` and `--root-keys` pointing at the workspace's files unless `bare`. */
  run(
    argv: string[],
    options?: {
      bare?: boolean;
      now?: Date;
      env?: Record<string, string | undefined>;
      tty?: boolean;
      /** Sees every write in order, to check how stdout and stderr interleave. */
      onWrite?: (stream: 'stdout' | 'stderr', text: string) => void;
      limits?: CliIo['limits'];
    },
  ): Promise<CliRun>;
  cleanup(): Promise<void>;
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'yanzhen-cli-'));
  const world = await getWorld();
  const fetchSpy = vi.fn<typeof fetch>(async (input) => {
    const body = world.served.get(String(input));
    return body ? new Response(body.slice()) : new Response('not found', { status: 404 });
  });
  const env = { XDG_CACHE_HOME: join(dir, 'cache'), HOME: join(dir, 'home'), LANG: 'zh_CN.UTF-8' };
  const write = async (relativePath: string, content: string | Uint8Array) => {
    const path = join(dir, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return path;
  };
  await write('trust/root.jwks', JSON.stringify(world.rootJwks));
  await write('trust/registry.jws', world.registryJws);

  return {
    dir,
    world,
    fetch: fetchSpy,
    env,
    write,
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        stdout: (text) => {
          stdout += text;
          options.onWrite?.('stdout', text);
        },
        stderr: (text) => {
          stderr += text;
          options.onWrite?.('stderr', text);
        },
        stderrIsTTY: options.tty ?? false,
        env: { ...env, ...options.env },
        cwd: dir,
        fetch: fetchSpy,
        now: () => options.now ?? at(NOW),
        ...(options.limits ? { limits: options.limits } : {}),
      };
      const trust = options.bare ? [] : ['--registry', 'trust/registry.jws', '--root-keys', 'trust/root.jwks'];
      const code = await runCli([...trust, ...argv], io);
      return { code, stdout, stderr };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
