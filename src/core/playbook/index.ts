// The `.nats` playbook language: parse, resolve variables, fold. Pure: no vscode, no NATS.
export * from './types';
export { parsePlaybook } from './parser';
export { evaluateScope, resolveVariables, resolveBlock, subjectForValidation } from './resolve';
export type { Resolved, ResolvedBlock, SubjectForValidation } from './resolve';
export { foldingRanges } from './folding';
export type { FoldingRange } from './folding';
export { parseDuration } from './verbLine';
export * from './results';
export { blockErrors, eventIdOf, isMsgIdHeader, MAX_REPEAT, needsConfirmation, prepareBlock, repeatOf } from './rules';
export { describeResult, notKeptReason } from './describeResult';
export type { DescribeOptions, ResultWords } from './describeResult';
export { blockRefOf, findBlock } from './blockRef';
export type { BlockRef } from './blockRef';
