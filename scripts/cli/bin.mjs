#!/usr/bin/env node
// The `yanzhen` command (package.json "bin"): `npx yanzhen verify …` from a checkout.
// The CLI is TypeScript run from source, so this small JavaScript launcher registers tsx's
// loader (a devDependency, present after `npm ci`) before importing it. Nothing is printed
// here: standard output carries only the report.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write(
    'yanzhen: 缺少 tsx，无法运行。请先在项目文件夹里运行 npm ci。\n' +
      'yanzhen: tsx is missing; run `npm ci` in the project folder first.\n',
  );
  process.exit(2);
}
register();
await import('./yanzhen.ts');
