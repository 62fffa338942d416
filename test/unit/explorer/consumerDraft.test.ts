// Create Consumer…'s checks before sending, and the config preview: a filter reaching beyond its stream is told what
// it can ever see (the meet), only one that meets nothing "could never match"; durations read in human units.
import assert from 'node:assert/strict';
import { consumerPreview } from '../../../src/core/explorer/consumerPreview';
import { meetWithin } from '../../../src/core/pattern/lattice';
import { consumerConfig, consumerDraftProblems, type ConsumerDraft } from '../../../src/nats/streams/ops';

const draft = (filter: string): ConsumerDraft => ({ durable: 'orders', filter, deliver: 'all', ack: 'explicit' });

describe('consumer drafts', () => {
  it("tells the guide's filter what it can ever see on the stream, and offers that meet as the filter", () => {
    const subjects = ['dev.domain.sales.>'];
    assert.deepEqual(consumerDraftProblems(draft('*.domain.sales.order.>'), subjects), [
      'The filter "*.domain.sales.order.>" reaches beyond the stream\'s subjects (dev.domain.sales.>): on this stream it can only ever see dev.domain.sales.order.>. ' +
        'Use that as the filter (nats-server 2.9 refuses "*.domain.sales.order.>"; 2.15 accepts it, and it still sees no more).',
    ]);
    // the fix the prompt's Enter takes, and it passes
    assert.deepEqual(meetWithin('*.domain.sales.order.>', subjects), ['dev.domain.sales.order.>']);
    assert.deepEqual(consumerDraftProblems(draft('dev.domain.sales.order.>'), subjects), []);
  });

  it('says "could never match" only of a filter that meets none of the stream\'s subjects', () => {
    assert.deepEqual(consumerDraftProblems(draft('prod.domain.sales.>'), ['dev.domain.sales.>']), [
      'The filter "prod.domain.sales.>" is not within the stream\'s subjects (dev.domain.sales.>): it could never match.',
    ]);
  });

  it('names every part a filter can see on a stream of several subjects, and leaves out the server note where 2.9 accepts it', () => {
    assert.deepEqual(consumerDraftProblems(draft('*.domain.sales.>'), ['dev.domain.sales.>', 'test.domain.sales.>', 'dev.domain.billing.>']), [
      'The filter "*.domain.sales.>" reaches beyond the stream\'s subjects (dev.domain.sales.>, test.domain.sales.>, dev.domain.billing.>): ' +
        'on this stream it can only ever see dev.domain.sales.> or test.domain.sales.>. Use one of them as the filter.',
    ]);
  });

  it('previews durations in human units, the rest as sent', () => {
    const config = consumerConfig({ ...draft('dev.domain.sales.order.>'), maxDeliver: 3, ackWaitSeconds: 30 });
    assert.equal(config.ack_wait, 30e9);
    assert.deepEqual(consumerPreview(config), {
      durable_name: 'orders',
      filter_subject: 'dev.domain.sales.order.>',
      deliver_policy: 'all',
      ack_policy: 'explicit',
      max_deliver: 3,
      ack_wait: '30s',
    });
    assert.deepEqual(consumerPreview({ ack_wait: 1_500_000_000, backoff: [1e9, 60e9], inactive_threshold: 3_600e9 }), { ack_wait: '1.5s', backoff: ['1s', '1m'], inactive_threshold: '1h' });
  });
});
