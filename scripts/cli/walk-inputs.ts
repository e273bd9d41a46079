/**
 * Turns the command line's files and folders into the list of files to check (cli.md,
 * Inputs: "a folder means every such file in it, recursively").
 */
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { SNIFF_BYTES, sniffInput } from './read-input.ts';

/** One file to check: where it is, and how the report names it. */
export interface InputFile {
  /** Absolute path. */
  path: string;
  /** As the user wrote it, joined with the path inside a folder (`letters/2026/a.pdf`). */
  display: string;
}

export interface WalkResult {
  files: InputFile[];
  /** Files inside folders that are neither images, PDFs nor text files. */
  skipped: InputFile[];
}

/** Extensions of files worth reading inside folders; anything else is read only if its bytes say image or PDF. */
const CHECKED_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.jpe',
  '.webp',
  '.gif',
  '.bmp',
  '.tif',
  '.tiff',
  '.pdf',
  '.txt',
  '.text',
]);

/** Dependency trees and version-control folders are never attachments, and can be huge. */
const isSkippedFolder = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * Expands `inputs` (relative to `cwd`) into files. A file named on the command line is
 * always checked, whatever its kind (a wrong kind becomes that document's `error`), and
 * so is a name that does not exist (its `error` says so). Inside folders: recursively, in
 * sorted order, skipping hidden files and folders and `node_modules`, and keeping only
 * images, PDFs and text files; the rest are returned as `skipped` so the report can
 * count them. Symbolic links to folders are not followed (a link cycle would never end).
 * A file reached twice is checked once.
 *
 * @example await walkInputs(['letters/', 'extra.txt'], process.cwd())
 */
export async function walkInputs(inputs: readonly string[], cwd: string): Promise<WalkResult> {
  const files: InputFile[] = [];
  const skipped: InputFile[] = [];
  const seen = new Set<string>();
  const add = (list: InputFile[], file: InputFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    list.push(file);
  };

  for (const input of inputs) {
    const path = resolve(cwd, input);
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) {
      for (const inside of await listFolder(path)) {
        const file = { path: join(path, inside), display: join(input, inside) };
        add((await isCheckable(file.path)) ? files : skipped, file);
      }
    } else {
      add(files, { path, display: input });
    }
  }
  return { files, skipped };
}

/** Every regular file under `root`, as paths relative to it, sorted. */
async function listFolder(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string) => {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await visit(rel);
      } else if (entry.isFile()) {
        found.push(rel);
      } else if (entry.isSymbolicLink()) {
        const target = await stat(join(root, rel)).catch(() => null);
        if (target?.isFile()) found.push(rel);
      }
    }
  };
  await visit('');
  // Code-unit order, not the locale's: the same folder gives the same report everywhere.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function isCheckable(path: string): Promise<boolean> {
  if (CHECKED_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  const head = await readHead(path);
  if (head === null) return true; // unreadable: check it, so the report says why
  const kind = sniffInput(head);
  return kind !== 'text' && kind !== 'binary';
}

async function readHead(path: string): Promise<Uint8Array | null> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
