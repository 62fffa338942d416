// The JetStream explorer's data, without vscode: server overview, streams, consumers, event types.
export * from './serverOverview';
export * from './streamList';
export * from './consumerList';
export * from './eventTypes';
export * from './freshInfo';
export { noLeaderSentence, versionAtLeast } from './jsApi';
