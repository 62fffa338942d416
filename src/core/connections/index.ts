// Named connections: their settings shape, the NATS_URL environment, natscli contexts.
export * from './schema';
export * from './environment';
export * from './natsContext';
