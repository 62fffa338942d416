// Poll samples for the metrics tests: a stream, a consumer and a poll, each with what a test does not set defaulted.
import type { ConsumerSample, PollSample, StreamSample } from '../../../src/core/metrics';

export const stream = (over: Partial<StreamSample> = {}): StreamSample => ({
  name: 'ORDERS', created: 'c1', messages: 0, bytes: 0, firstSeq: 0, lastSeq: 0, consumerCount: 1,
  maxMsgs: -1, maxBytes: -1, maxAgeNs: 0, discard: 'old', ...over,
});

export const consumer = (over: Partial<ConsumerSample> = {}): ConsumerSample => ({
  stream: 'ORDERS', name: 'billing', created: 'k1', pending: 0, ackPending: 0, redelivered: 0, deliveredCount: 0, ackedCount: 0, ackFloor: 0, ...over,
});

export const sample = (t: number, streams: StreamSample[], consumers: ConsumerSample[] = []): PollSample => ({ t, streams, consumers, requests: 1 });
