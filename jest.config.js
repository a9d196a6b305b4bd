/** @type {import('jest').Config} */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,projections,test}/**/*.spec.ts'],
  transform: {
    // NestJS 12 and some of its dependencies ship ES modules, which jest on Node 20 cannot
    // require: they are transpiled to CommonJS (CommonJS files pass through; see the file).
    '/node_modules/(?!@marcbachmann/cel-js/).+\\.m?js$': '<rootDir>/test/support/esm-transform.js',
    // Type errors are caught once by `tsc --noEmit` (npm test runs it first); jest only transpiles.
    '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // @marcbachmann/cel-js ships ES modules only; jest's module system needs them transpiled.
  // Nothing is ignored: the ES-module transform above decides per file.
  transformIgnorePatterns: [],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testTimeout: 30000,
};
