// Messages as views, tails and exports show them: one shape, one formatter, "since when" parsing. Pure: no NATS client.
export * from './types';
export * from './format';
export * from './since';
export { classifyPayload, payloadText, reformatJson, type Payload } from './payload';
