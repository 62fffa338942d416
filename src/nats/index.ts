// The NATS/JetStream side: connections, errors in the user's terms, the algebra's streams, sample messages.
export * from './errors';
export * from './connection';
export * from './streams';
export * from './samples';
export * from './devServerConfig';
