/**
 * Jest transform for dependencies that ship ES modules (NestJS 12 and some of its dependencies:
 * "type": "module"). Node 20 can require() them, but jest's module system on Node 20 cannot, so
 * they are transpiled to CommonJS here; CommonJS files pass through untouched. Two ESM-only
 * constructs survive a plain transpile and are shimmed first: `import.meta.url` (a syntax error in
 * CommonJS) and a top-level `const require = createRequire(...)` (clashes with CommonJS's own
 * `require`, which does the same job).
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

// Plain JavaScript, file by file: TypeScript's transpiler alone, no type information.
const COMPILER_OPTIONS = { allowJs: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true };
const VERSION = `esm-shim-6:${ts.version}`;

// A static import/export statement at the start of a line (not `import(...)`, not `exports.x`).
const ESM_SYNTAX = /^\s*(import\s*[{*'"]|import\s+[\w$]+\s*(,|from\b)|export\s*[{*]|export\s+(default|const|let|var|function|class|async)\b)/m;

const shim = (source) =>
  source
    .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
    .replace(/import\.meta\.url/g, 'require("node:url").pathToFileURL(__filename).href');

// A CommonJS dependency that loads an ES module with `await import('x')` (mercurius: quick-lru)
// fails under jest without vm modules: the import becomes a require of the transpiled module.
const DYNAMIC_IMPORT = /\bawait import\((['"][^'"]+['"])\)/g;

module.exports = {
  process(source, path) {
    if (!ESM_SYNTAX.test(source)) return { code: source.replace(DYNAMIC_IMPORT, 'await Promise.resolve(require($1))') };
    return { code: ts.transpileModule(shim(source), { compilerOptions: COMPILER_OPTIONS, fileName: path }).outputText };
  },
  getCacheKey: (source, path) => createHash('sha256').update(VERSION).update(path).update(source).digest('hex'),
};
