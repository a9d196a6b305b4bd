/**
 * Trellis workflows (WORKFLOWS.md): the definition language, its CEL expressions, the
 * orchestration decider, the in-memory simulator and Mermaid diagrams. Pure: no I/O, no clocks.
 */
export * from './expressions';
export * from './definition';
export * from './execution';
export * from './simulation';
export * from './diagram/mermaid';
export { resolveSecrets, hasSecrets, isSecretMarker, SECRET_KEY, type SecretMarker } from './secrets/marker';
