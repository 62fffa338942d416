// Object stores without vscode: stores, objects, streamed downloads and uploads.
export * from './objErrors';
export * from './objects';
export * from './stores';
export * from './transfer';
