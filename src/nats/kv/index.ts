// Key-value buckets without vscode: buckets, keys (listed without values), values with compare-and-set, history, watch.
export * from './kvErrors';
export * from './buckets';
export * from './entries';
export * from './keys';
export * from './watch';
