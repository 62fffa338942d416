// Backups that keep everything: the JetStream snapshot and restore APIs, in natscli's directory layout.
export * from './format';
export * from './snapshot';
export * from './restore';
