// Everything the VS Code layer needs from the NATS side, loaded on first use (src/vscode/natsRuntime.ts), never at activation.
export * from './connection/connect';
export * from './connection/manager';
export * from './connection/connectOptions';
export * from './errors/sentences';
export * from './connection/contexts';
export * from './explorer';
export * from './streams/initStreams';
export * from './read/reader';
export * from './streams/ops';
export * from './tail/tail';
export * from './tail/workerTail';
export * from './read/export';
export * from './read/import';
export * from './streams/configDocument';
export * from './publish/playbookRunner';
export * from './smoke/smokeTest';
