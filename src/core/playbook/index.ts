// The `.nats` playbook language: parse, resolve variables, fold. Pure: no vscode, no NATS.
export * from './types';
export { parsePlaybook } from './parser';
export { evaluateScope, resolveVariables, resolveBlock, subjectForValidation } from './resolve';
export type { Resolved, ResolvedBlock, SubjectForValidation } from './resolve';
export { foldingRanges } from './folding';
export type { FoldingRange } from './folding';
export { parseDuration } from './verbLine';
