// The engine's public face: the editor, the explorer and the CLI all ask these.
export * from './problem';
export * from './algebra/schema';
export * from './algebra/presets';
export * from './algebra/compiled';
export * from './algebra/load';
export * from './subject/tokens';
export * from './subject/parse';
export * from './algebra/describe';
export * from './algebra/jsonSchema';
export * from './settings';
