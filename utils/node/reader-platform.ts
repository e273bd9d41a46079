/**
 * The reader's platform in Node (the CLI, the tests, the benchmark). Node-only: it reads
 * files with `node:fs`, so the extension never imports this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PdfJsLib, ReaderPlatform } from '../document/reader-platform.ts';

const require = createRequire(import.meta.url);

/**
 * A file inside an installed package. Looked up through Node's node_modules search paths
 * rather than `require.resolve`, because packages' `exports` maps hide their wasm files.
 */
function packageFile(spec: string): string {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  for (const dir of require.resolve.paths(name) ?? []) {
    const root = join(dir, name);
    if (existsSync(join(root, 'package.json'))) return join(root, ...parts.slice(nameLength));
  }
  throw new Error(`package ${name} is not installed`);
}

function readArrayBuffer(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

let shared: ReaderPlatform | undefined;

/**
 * The Node platform: wasm bytes read from `node_modules` (never downloaded), pdf.js's
 * legacy build with its worker running in this process. Created once and shared, so
 * zxing-wasm keeps one instantiated module (it caches by the overrides object).
 *
 * @example const result = await readDocument(bytes, { platform: nodeReaderPlatform() });
 */
export function nodeReaderPlatform(): ReaderPlatform {
  if (shared) return shared;
  let pdfjs: Promise<PdfJsLib> | undefined;
  const pdfRoot = packageFile('pdfjs-dist');
  shared = {
    zxing: { wasmBinary: readArrayBuffer(packageFile('zxing-wasm/dist/reader/zxing_reader.wasm')) },
    webp: { wasmBinary: readArrayBuffer(packageFile('@jsquash/webp/codec/dec/webp_dec.wasm')) },
    jpeg: { wasmBinary: readArrayBuffer(packageFile('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')) },
    png: { wasmBinary: readArrayBuffer(packageFile('@jsquash/png/codec/pkg/squoosh_png_bg.wasm')) },
    loadPdfJs: () => {
      pdfjs ??= (async () => {
        // With the worker module on globalThis, pdf.js runs it in-process instead of
        // spawning a worker thread from a file URL.
        // @ts-expect-error pdfjs-dist ships no type declarations for its worker module.
        const worker: unknown = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
        (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
        return (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfJsLib;
      })();
      return pdfjs;
    },
    pdfData: {
      wasmUrl: `${join(pdfRoot, 'wasm')}/`,
      standardFontDataUrl: `${join(pdfRoot, 'standard_fonts')}/`,
      cMapUrl: `${join(pdfRoot, 'cmaps')}/`,
    },
  };
  return shared;
}
