/**
 * The layers, enforced: reads every source file's imports (TypeScript's own pre-processor,
 * so comments and strings never count) and fails when a lower layer reaches a higher one,
 * when the pure core touches the browser, the DOM, Node, the network or the clock, when the
 * CLI imports extension code, or when any import circle exists. ARCHITECTURE.md explains
 * the layers; change both together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SOURCE_DIRS = ['utils', 'components', 'entrypoints', 'scripts'];

/** Each layer and the project folders it may import from (besides itself). */
const LAYERS: Record<string, { may: string[]; packages: 'any' | readonly string[]; node: boolean }> = {
  'utils/verify': { may: [], packages: ['jose', 'fflate', '@noble/', 'sm-crypto-v2'], node: false },
  'utils/i18n': { may: ['public/locales'], packages: [], node: false },
  'utils/check': { may: ['utils/verify', 'utils/i18n'], packages: [], node: false },
  'utils/document': {
    may: ['utils/verify', 'utils/i18n', 'utils/check'],
    packages: ['zxing-wasm', 'pdfjs-dist', '@jsquash/', 'fast-png', 'jpeg-js', 'omggif', 'utif', 'fflate'],
    node: false,
  },
  'utils/net': { may: ['utils/verify'], packages: [], node: false },
  'utils/explain': { may: ['utils/verify', 'utils/i18n', 'utils/check'], packages: ['fflate'], node: false },
  'utils/node': {
    may: ['utils/verify', 'utils/i18n', 'utils/check', 'utils/document', 'utils/net', 'utils/explain'],
    packages: 'any',
    node: true,
  },
  'utils/extension': {
    may: ['utils/verify', 'utils/i18n', 'utils/check', 'utils/document', 'utils/net', 'utils/explain', 'public'],
    packages: 'any',
    node: false,
  },
  components: {
    may: ['utils/verify', 'utils/i18n', 'utils/check', 'utils/document', 'utils/explain', 'utils/extension', 'public'],
    packages: 'any',
    node: false,
  },
  entrypoints: {
    may: [
      'utils/verify',
      'utils/i18n',
      'utils/check',
      'utils/document',
      'utils/net',
      'utils/explain',
      'utils/extension',
      'components',
      'public',
    ],
    packages: 'any',
    node: false,
  },
  'scripts/cli': {
    may: [
      'utils/verify',
      'utils/i18n',
      'utils/check',
      'utils/document',
      'utils/net',
      'utils/explain',
      'utils/node',
      'scripts/demo',
      'public',
    ],
    packages: 'any',
    node: true,
  },
};

/** Globals the pure core must never touch: every effect comes in through utils/verify/ports.ts. */
const CORE_FORBIDDEN_GLOBALS = new Set([
  'browser',
  'chrome',
  'window',
  'document',
  'navigator',
  'fetch',
  'XMLHttpRequest',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'process',
  'require',
]);

interface SourceFile {
  path: string; // relative to ROOT, with '/'
  imports: string[];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(path));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files: SourceFile[] = SOURCE_DIRS.flatMap(walk).map((path) => {
  const info = ts.preProcessFile(readFileSync(join(ROOT, path), 'utf8'), true, true);
  return { path, imports: info.importedFiles.map((f) => f.fileName) };
});

function layerOf(path: string): string | undefined {
  return Object.keys(LAYERS)
    .filter((layer) => path === layer || path.startsWith(`${layer}/`))
    .sort((a, b) => b.length - a.length)[0];
}

function resolveRelative(from: string, spec: string): string {
  return relative(ROOT, resolve(ROOT, dirname(from), spec))
    .split('\\')
    .join('/');
}

function violations(file: SourceFile): string[] {
  const layer = layerOf(file.path);
  if (!layer) return [];
  const rule = LAYERS[layer];
  if (!rule) return [];
  const out: string[] = [];
  for (const spec of file.imports) {
    if (spec.startsWith('.')) {
      const target = resolveRelative(file.path, spec);
      const allowed = [layer, ...rule.may].some((folder) => target === folder || target.startsWith(`${folder}/`));
      if (!allowed) out.push(`${file.path} imports ${target}`);
    } else if (spec.startsWith('node:')) {
      if (!rule.node) out.push(`${file.path} imports ${spec} (Node only)`);
    } else if (rule.packages !== 'any') {
      if (!rule.packages.some((name) => spec === name || spec.startsWith(name.endsWith('/') ? name : `${name}/`)))
        out.push(`${file.path} imports the package ${spec}`);
    }
  }
  return out;
}

/** Identifiers used as values (not property names, not declarations) that name a forbidden global, and Date.now / new Date(). */
function coreGlobalUses(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
  const declared = new Set<string>();
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node)) && ts.isIdentifier(node.name))
      declared.add(node.name.text);
    if (ts.isPropertyAccessExpression(node) && node.expression.getText() === 'Date' && node.name.text === 'now')
      out.push(`${path}: Date.now()`);
    if (ts.isNewExpression(node) && node.expression.getText() === 'Date' && (node.arguments?.length ?? 0) === 0)
      out.push(`${path}: new Date()`);
    if (ts.isIdentifier(node) && CORE_FORBIDDEN_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isBindingElement(parent) ||
        ts.isImportSpecifier(parent) ||
        ts.isShorthandPropertyAssignment(parent) ||
        ts.isPropertyDeclaration(parent);
      if (!isName && !declared.has(node.text)) out.push(`${path}: uses the global ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function cycles(): string[][] {
  const graph = new Map<string, string[]>();
  const known = new Set(files.map((f) => f.path));
  for (const file of files) {
    graph.set(
      file.path,
      file.imports
        .filter((s) => s.startsWith('.'))
        .map((s) => resolveRelative(file.path, s))
        .filter((t) => known.has(t)),
    );
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the layers', () => {
  it('reads a plausible number of source files and imports (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.find((f) => f.path === 'utils/verify/verify-letter.ts')?.imports).toContain('./compact-jws.ts');
  });

  it('has a rule for every folder under utils/', () => {
    const folders = readdirSync(join(ROOT, 'utils'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `utils/${e.name}`);
    expect(folders.filter((folder) => !LAYERS[folder])).toEqual([]);
    expect(readdirSync(join(ROOT, 'utils')).filter((name) => /\.(ts|tsx)$/.test(name))).toEqual([]);
  });

  it.each(Object.keys(LAYERS))('%s imports only from the layers below it', (layer) => {
    const inLayer = files.filter((f) => layerOf(f.path) === layer);
    expect(inLayer.length).toBeGreaterThan(0);
    expect(inLayer.flatMap(violations)).toEqual([]);
  });

  it('keeps the pure core off the browser, the DOM, Node, the network and the clock', () => {
    const core = files.filter((f) => layerOf(f.path) === 'utils/verify').map((f) => f.path);
    expect(core.flatMap(coreGlobalUses)).toEqual([]);
  });

  it('catches a core file that reaches for the clock or a browser global (the checker itself can fail)', () => {
    const probe = 'tests/unit/architecture/fixtures/impure-core.ts.txt';
    expect(coreGlobalUses(probe)).toEqual([
      `${probe}: Date.now()`,
      `${probe}: uses the global fetch`,
      `${probe}: uses the global browser`,
    ]);
  });

  it('has no import circles', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps entrypoints/ to wiring: no unit test imports from it', () => {
    const tests = walk('tests/unit').map((path) => ({
      path,
      imports: ts
        .preProcessFile(readFileSync(join(ROOT, path), 'utf8'), true, true)
        .importedFiles.map((f) => f.fileName),
    }));
    const reaching = tests.flatMap((t) =>
      t.imports
        .filter((s) => s.startsWith('.') && resolveRelative(t.path, s).startsWith('entrypoints/'))
        .map((s) => `${t.path} -> ${resolveRelative(t.path, s)}`),
    );
    expect(reaching).toEqual([]);
  });
});
