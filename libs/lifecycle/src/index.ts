export * from './lifecycle';
export * from './problems';
export * from './roles';
export type { CompiledSchema, Violation } from './schema';
export { compileLifecycle, type CompileOptions, type CompileResult } from './compile/compile';
export { renderMermaid } from './diagram/mermaid';
