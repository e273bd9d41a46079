/**
 * Turns the command line's files and folders into the list of files to check (cli.md,
 * Inputs: "a folder means every such file in it, recursively").
 */
import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { LocalizedMessage } from '../../utils/check/document-check.ts';
import { SNIFF_BYTES, sniffInput } from './read-input.ts';

/** One file to check: where it is, and how the report names it. */
export interface InputFile {
  /** Absolute path. */
  path: string;
  /** As the user wrote it, joined with the path inside a folder (`letters/2026/a.pdf`). */
  display: string;
  /**
   * Why this entry cannot be checked, known while walking: a folder that could not be opened
   * is reported as a document with this error, so the files in it are not lost silently.
   */
  problem?: LocalizedMessage;
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
 * sorted order, skipping hidden folders and `node_modules`, and keeping only images, PDFs
 * and text files, hidden ones too (on Windows a file named ".授权书.pdf" is not hidden at
 * all, and one left out unsaid let a batch read "all valid" past it); the rest, macOS "._"
 * metadata files among them, are returned as `skipped` so the report can
 * count them. Symbolic links to folders are not followed (a link cycle would never end).
 * Nothing under a folder disappears without a word: a link to nothing and a device or pipe
 * named like an attachment are checked (their `error` says what they are; a pipe is never
 * opened), and a folder that cannot be opened becomes an entry with its `problem`.
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
        const file: InputFile = { path: join(path, inside.rel), display: join(input, inside.rel) };
        if (inside.kind === 'unreadable-folder') add(files, { ...file, problem: folderProblem(inside.error) });
        // A "._" name is read only when its bytes say image or PDF (a forgery may be named so).
        else if (inside.kind === 'metadata') add((await isDocumentByContent(file.path)) ? files : skipped, file);
        else if (inside.kind === 'special')
          add(CHECKED_EXTENSIONS.has(extname(file.path).toLowerCase()) ? files : skipped, file);
        else add((await isCheckable(file.path)) ? files : skipped, file);
      }
    } else {
      add(files, { path, display: input });
    }
  }
  return { files, skipped };
}

/** What a folder walk found, relative to its root. */
interface FolderEntry {
  rel: string;
  /**
   * `file`: a regular file, a link to one, or a link to nothing (its check says "not found");
   * `special`: a pipe, socket or device, never opened while walking (a pipe would block);
   * `unreadable-folder`: a folder whose listing failed.
   */
  kind: 'file' | 'special' | 'unreadable-folder' | 'metadata';
  error?: unknown;
}

/** Every file under `root`, as paths relative to it, sorted. */
async function listFolder(root: string): Promise<FolderEntry[]> {
  const found: FolderEntry[] = [];
  const visit = async (dir: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch (error) {
      // Gone since it was listed: nothing was in it to lose. Anything else is said.
      if ((error as { code?: unknown } | null)?.code !== 'ENOENT')
        found.push({ rel: dir, kind: 'unreadable-folder', error });
      return;
    }
    for (const entry of entries) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await visit(rel);
      } else if (entry.name.startsWith('._')) {
        // macOS metadata beside a copied file ("._scan.pdf"): not an attachment, whatever its extension.
        found.push({ rel, kind: 'metadata' });
      } else if (entry.isFile()) {
        found.push({ rel, kind: 'file' });
      } else if (entry.isSymbolicLink()) {
        const target = await stat(join(root, rel)).catch(() => null);
        if (target === null || target.isFile()) found.push({ rel, kind: 'file' });
        else if (!target.isDirectory()) found.push({ rel, kind: 'special' });
      } else {
        found.push({ rel, kind: 'special' });
      }
    }
  };
  await visit('');
  // Code-unit order, not the locale's: the same folder gives the same report everywhere.
  return found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

function folderProblem(error: unknown): LocalizedMessage {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { key: 'cli.input.folderNoPermission' };
  return {
    key: 'cli.input.folderUnreadable',
    params: { detail: typeof code === 'string' ? code : error instanceof Error ? error.message : String(error) },
  };
}

async function isCheckable(path: string): Promise<boolean> {
  if (CHECKED_EXTENSIONS.has(extname(path).toLowerCase())) return true;
  return isDocumentByContent(path);
}

/** Whether the first bytes say image or PDF (or the file cannot be read: check it, so the report says why). */
async function isDocumentByContent(path: string): Promise<boolean> {
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
