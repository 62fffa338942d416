// The NATS/JetStream side: connections, errors in the user's terms, the algebra's streams, sample messages.
export * from './errors/sentences';
export * from './connection/connect';
export * from './streams/cimStreams';
export * from './publish/samples';
