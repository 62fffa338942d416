// Sample message bodies and headers per category, for publishing from the editor.
export * from './types';
export * from './identity';
export { sampleData, sampleValue, type SampleContext } from './sampleValues';
export * from './sampleEnvelope';
export * from './headers';
