// Domain definitions (domains/<name>/domain-definition.yaml): names for completion, fields for sample payloads.
export * from './model';
export { isPascalCase, nameWords, sameName, toNameToken, toPascalCase, type NameCase } from '../text/names';
export * from './parseDefinition';
export * from './lookup';
export * from './completionNames';
