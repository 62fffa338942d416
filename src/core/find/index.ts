// Find Messages' pure half: the CEL filter over a message and the since/until range. No NATS client.
export * from './celFilter';
export * from './timeRange';
