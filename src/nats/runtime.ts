// Everything the VS Code layer needs from the NATS side, loaded on first use (src/vscode/natsRuntime.ts), never at activation.
export * from './connection';
export * from './connectionManager';
export * from './connectOptions';
export * from './errors';
export * from './natsContexts';
export * from './explorer';
export * from './initStreams';
export * from './reader';
export * from './streamOps';
export * from './tail';
export * from './workerTail';
export * from './exportImport';
export * from './playbookRunner';
export * from './smoke';
