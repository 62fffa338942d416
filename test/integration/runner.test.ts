// Playbook blocks run against a real nats-server: what a person sending a PUB, REQ or SUB from a .nats file relies on.
import assert from 'node:assert/strict';
import { preset } from '../../src/core/algebra/compiled';
import { parsePlaybook, type Playbook, type PlaybookBlock } from '../../src/core/playbook';
import type { NatsSession } from '../../src/nats/connection/connect';
import { CIM_DEV_USERS } from '../../dev/devServerConfig';
import { needsConfirmation, type BlockResult, type SendProgress } from '../../src/core/playbook';
import { PlaybookRunner } from '../../src/nats/publish/playbookRunner';
import { useNatsServers } from '../support/natsFixture';

const algebra = preset('cim-start');
const ID = '550e8400-e29b-41d4-a716-446655440000';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function only(text: string): { playbook: Playbook; block: PlaybookBlock } {
  const playbook = parsePlaybook(text);
  assert.equal(playbook.blocks.length, 1, 'one block');
  return { playbook, block: playbook.blocks[0]! };
}

function expectKind<K extends BlockResult['kind']>(r: BlockResult, kind: K): Extract<BlockResult, { kind: K }> {
  assert.equal(r.kind, kind, JSON.stringify(r, (k, v: unknown) => (k === 'error' ? undefined : v)));
  return r as Extract<BlockResult, { kind: K }>;
}

const EVENT = `
@event_id = ${ID}
### Order created
PUB {{env}}.domain.sales.order.created.{{event_id}}
X-Correlation-ID: {{event_id}}

{ "event_id": "{{event_id}}", "timestamp": "{{now}}", "data": {} }
`;

describe('playbook runner', () => {
  // Every test starts its own server; its sessions close and its runner is disposed (through defer) before it stops.
  const nats = useNatsServers();
  let session: NatsSession | undefined;
  let runner: PlaybookRunner | undefined;

  const runnerOn = (s: NatsSession) => {
    const r = new PlaybookRunner(s, { algebra, environment: 'dev' });
    nats.defer(() => r.dispose());
    return r;
  };

  const start = async (config?: string) => {
    await nats.start(config ? { config } : {});
    session = await nats.connect({ timeoutMs: 2000 });
    runner = runnerOn(session);
    const jsm = await session.jetstreamManager();
    await jsm.streams.add({ name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'], duplicate_window: 120_000_000_000 });
  };

  afterEach(() => {
    runner = undefined;
    session = undefined;
  });

  describe('on a server with a domain events stream', () => {
    beforeEach(() => start());

    it('stores a PUB with the subject\'s event id as Nats-Msg-Id, the same id in subject, header and body; the second run is a duplicate', async () => {
      const { playbook, block } = only(EVENT);
      const first = expectKind(await runner!.runBlock(playbook, block), 'stored');
      assert.equal(first.stream, 'DOMAIN_SALES_EVENTS');
      assert.equal(first.duplicate, false);
      assert.equal(first.msgID, ID);
      const again = expectKind(await runner!.runBlock(playbook, block), 'stored');
      assert.deepEqual([again.duplicate, again.seq], [true, first.seq]);

      const jsm = await session!.jetstreamManager();
      const m = await jsm.streams.getMessage('DOMAIN_SALES_EVENTS', { seq: first.seq });
      assert.equal(m!.subject, `dev.domain.sales.order.created.${ID}`);
      assert.equal(m!.header.get('Nats-Msg-Id'), ID);
      assert.equal(m!.header.get('X-Correlation-ID'), ID);
      assert.equal(m!.json<{ event_id: string }>().event_id, ID);
      assert.equal((await jsm.streams.info('DOMAIN_SALES_EVENTS')).state.messages, 1);
    });

    it('resolves {{uuid}} once per send: subject, header and body carry one id, and the block\'s Nats-Msg-Id wins', async () => {
      const { playbook, block } = only(`
@event_id = {{uuid}}
PUB dev.domain.sales.order.shipped.{{event_id}}
Nats-Msg-Id: msg-{{event_id}}

{"event_id": "{{event_id}}"}
`);
      const r = expectKind(await runner!.runBlock(playbook, block), 'stored');
      const id = r.subject.split('.').at(-1)!;
      assert.match(id, UUID_RE);
      assert.equal(r.msgID, `msg-${id}`);
      const m = await (await session!.jetstreamManager()).streams.getMessage('DOMAIN_SALES_EVENTS', { seq: r.seq });
      assert.equal(m!.json<{ event_id: string }>().event_id, id);
      assert.equal(m!.header.get('Nats-Msg-Id'), `msg-${id}`);
    });

    it('publishes on core NATS when no stream captures the subject, saying nothing stores it, and says which stream would', async () => {
      const subject = 'dev.saga.order-fulfillment.payment-processed';
      const listener = await nats.connect();
      const sub = listener.nc.subscribe(subject, { max: 1 });
      await listener.nc.flush();
      assert.deepEqual(await runner!.capturingStream(subject), { known: true });
      assert.equal((await runner!.capturingStream(`dev.domain.sales.order.created.${ID}`) as { stream?: { name: string } }).stream?.name, 'DOMAIN_SALES_EVENTS');

      const { playbook, block } = only(`PUB ${subject}\n\n{"saga_id": "{{uuid}}"}`);
      const r = expectKind(await runner!.runBlock(playbook, block), 'sent-core');
      assert.match(r.warning, /^Nothing stores it: no stream captures "dev\.saga\.order-fulfillment\.payment-processed"/);
      for await (const m of sub) assert.match(m.json<{ saga_id: string }>().saga_id, UUID_RE);
    });

    it('sees a stream created after the index was read once it is invalidated', async () => {
      const subject = 'dev.projection.order-summary.update';
      const { playbook, block } = only(`PUB ${subject}\n\n{}`);
      expectKind(await runner!.runBlock(playbook, block), 'sent-core');
      await (await session!.jetstreamManager()).streams.add({ name: 'PROJECTIONS', subjects: ['dev.projection.>'] });
      runner!.invalidateStreams();
      assert.equal(expectKind(await runner!.runBlock(playbook, block), 'stored').stream, 'PROJECTIONS');
    });

    it('returns a REQ\'s reply with its headers and time, and says when nothing answers or no reply comes', async () => {
      const responder = await nats.connect();
      responder.nc.subscribe('dev.command.sales.order.create', {
        callback: (_e, m) => {
          m.respond(JSON.stringify({ accepted: m.json<{ command_id: string }>().command_id }));
        },
      });
      responder.nc.subscribe('dev.command.sales.order.cancel', { callback: () => undefined });
      await responder.nc.flush();

      const text = `
### Ask
REQ dev.command.sales.order.create timeout=2s
{"command_id": "{{uuid}}"}

### Nobody
REQ dev.command.sales.order.ship timeout=2s

### Silent
REQ dev.command.sales.order.cancel timeout=300ms
`;
      const run = await runner!.runPlaybook(text);
      const [ask, nobody, silent] = run.entries.map(e => e.result);
      const reply = expectKind(ask!, 'reply');
      assert.match(JSON.parse(reply.data).accepted as string, UUID_RE);
      assert.equal(typeof reply.ms, 'number');
      assert.match(expectKind(nobody!, 'failed').reason, /^Nothing on nats:\/\/127\.0\.0\.1:\d+ answers on "dev\.command\.sales\.order\.ship"/);
      assert.match(expectKind(silent!, 'failed').reason, /^No reply on "dev\.command\.sales\.order\.cancel" from .* within 300 ms/);
      assert.equal(run.ok, false);
    });

    it('repeats a PUB with fresh built-ins each time, reporting progress and a summary', async () => {
      const { playbook, block } = only(`
@event_id = {{uuid}}
PUB dev.domain.sales.order.created.{{event_id}} repeat=5 interval=20ms

{"event_id": "{{event_id}}"}
`);
      const progress: SendProgress[] = [];
      const r = expectKind(await runner!.runBlock(playbook, block, { onProgress: p => progress.push(p) }), 'repeated');
      assert.deepEqual(r.summary, { stored: 5, duplicates: 0, notKept: 0, failed: 0, sentCore: 0, unacknowledged: 0, replies: 0 });
      assert.equal(r.sent, 5);
      assert.equal(r.reason, undefined);
      assert.deepEqual(progress.map(p => [p.done, p.total]), [[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
      const ids = progress.map(p => (p.result as { msgID?: string }).msgID);
      assert.equal(new Set(ids).size, 5);
      for (const [i, p] of progress.entries()) assert.equal(p.result.subject, `dev.domain.sales.order.created.${ids[i]}`);
    });

    it('stops a repeat when cancelled and says how many were sent', async () => {
      const { playbook, block } = only('PUB dev.domain.sales.order.created.{{uuid}} repeat=50 interval=20ms\n\n{}');
      const controller = new AbortController();
      const r = expectKind(await runner!.runBlock(playbook, block, { signal: controller.signal, onProgress: p => p.done === 3 && controller.abort() }), 'repeated');
      assert.equal(r.summary.stored, 3);
      assert.equal(r.reason, 'Cancelled after 3 of 50 sends: the rest were not sent.');
    });

    it('refuses a block with invalid JSON, an undefined variable or an invalid subject, with its reason, and sends nothing', async () => {
      const text = `
### Broken JSON
PUB dev.domain.sales.order.created.{{uuid}}

{ "event_id": "x", }

### Undefined
PUB dev.domain.sales.order.created.{{order_id}}

{}

### Typo
PUB dev.domian.sales.order.created.${ID}

### Bad value
@n = 1, "x"
PUB dev.domain.sales.order.created.${ID}

{"n": {{n}} }
`;
      const run = await runner!.runPlaybook(text);
      const reasons = run.entries.map(e => expectKind(e.result, 'invalid').reason);
      assert.match(reasons[0]!, /^The JSON body is invalid here: a trailing comma/);
      assert.match(reasons[1]!, /^\{\{order_id\}\} is not defined/);
      assert.match(reasons[2]!, /^"dev\.domian\.sales\.order\.created\.[^"]+" is not a valid subject: Unknown category "domian": did you mean "domain"\?/);
      assert.match(reasons[3]!, /^The JSON body is invalid once its variables are filled in/);
      assert.equal((await (await session!.jetstreamManager()).streams.info('DOMAIN_SALES_EVENTS')).state.messages, 0);
      assert.equal(run.ok, false);
    });

    it('collects a SUB for a while, subscribed before the PUB below it runs', async () => {
      const text = `
### Tail
SUB dev.domain.sales.>

### Send
PUB dev.domain.sales.order.created.{{uuid}}

{"n": 1}
`;
      const run = await runner!.runPlaybook(text, { forMs: 500 });
      const tail = expectKind(run.entries[0]!.result, 'messages');
      assert.equal(tail.messages.length, 1);
      assert.match(tail.messages[0]!.subject, /^dev\.domain\.sales\.order\.created\./);
      assert.equal(tail.messages[0]!.data, '{"n": 1}');
      expectKind(run.entries[1]!.result, 'stored');
      assert.equal(run.ok, true);
      const skipped = await runner!.runPlaybook(text, { select: b => b.verb === 'SUB' });
      assert.deepEqual(skipped.entries.map(e => e.result), [{ kind: 'skipped-sub', pattern: 'dev.domain.sales.>' }]);
    });

    it('stops a repeat when the server goes away and counts only what was acknowledged', async function () {
      this.timeout(30_000);
      const { playbook, block } = only('PUB dev.domain.sales.order.created.{{uuid}} repeat=40 interval=100ms\n\n{}');
      let restarting: Promise<void> | undefined;
      const r = expectKind(await runner!.runBlock(playbook, block, { onProgress: p => { if (p.done === 5) restarting = nats.server.restart(); } }), 'repeated');
      await restarting;
      assert.match(r.reason ?? '', /^nats:\/\/127\.0\.0\.1:\d+ went away after (\d+) of 40 sends: the rest were not sent\.$/);
      const reported = Number(/after (\d+) of/.exec(r.reason!)![1]);
      assert.equal(reported, r.summary.stored);
      assert.ok(r.summary.stored >= 5 && r.summary.stored < 40, `stored ${r.summary.stored}`);
      // Back on the same store: the stream holds what was acknowledged, at most one more whose ack was lost.
      const after = await nats.connect({ timeoutMs: 5000 });
      const held = (await (await after.jetstreamManager()).streams.info('DOMAIN_SALES_EVENTS')).state.messages;
      assert.ok(held >= r.summary.stored && held <= r.summary.stored + 1, `held ${held}, reported ${r.summary.stored}`);
    });

    it('waits for a connection that is down, then fails without counting the publish as sent', async () => {
      const quick = new PlaybookRunner(session!, { algebra, environment: 'dev', waitForConnectionMs: 300 });
      try {
        await nats.server.stop();
        const { playbook, block } = only(EVENT);
        const r = expectKind(await quick.runBlock(playbook, block), 'failed');
        assert.match(r.reason, /^Not connected to nats:\/\/127\.0\.0\.1:\d+ \(still reconnecting after 300 ms\): nothing was sent/);
      } finally {
        quick.dispose();
      }
    });

    it('asks before a production subject, and reports a declined send', async () => {
      const { playbook, block } = only(`PUB prod.domain.sales.order.created.${ID}\n\n{}`);
      const asked: string[] = [];
      const r = expectKind(await runner!.runBlock(playbook, block, { confirm: s => (asked.push(s), false) }), 'declined');
      assert.deepEqual(asked, [`"prod.domain.sales.order.created.${ID}" is a production subject (prod) on ${nats.server.url}: publish?`]);
      assert.match(r.reason, /^Not sent: .* production subject .*publishing was declined\.$/);
      assert.equal(needsConfirmation(`dev.domain.sales.order.created.${ID}`, algebra, false), undefined);
      assert.equal(needsConfirmation('dev.saga.x.started', algebra, true, 'nats://n1:4222'), 'nats://n1:4222 is a protected connection: publish to "dev.saga.x.started"?');
    });
  });

  it('refuses a message over the server\'s max payload before sending it', async () => {
    await start('max_payload: 2048');
    const { playbook, block } = only(`PUB dev.domain.sales.order.created.${ID}\n\n"${'x'.repeat(3000)}"`);
    const r = expectKind(await runner!.runBlock(playbook, block), 'failed');
    assert.match(r.reason, /^3,\d{3} bytes is over the server's max payload of 2,048 bytes \(nats:\/\/127\.0\.0\.1:\d+\): nothing was sent/);
    assert.equal((await (await session!.jetstreamManager()).streams.info('DOMAIN_SALES_EVENTS')).state.messages, 0);
    assert.equal(session!.nc.isClosed(), false);
  });

  describe('with the seed\'s permissions (no _INBOX.>)', () => {
    const { user, pass } = CIM_DEV_USERS.domain;
    // The seed's DOMAIN user as written, next to an admin of the same account who can see the streams.
    const config = `accounts {
  DOMAIN {
    jetstream: enabled
    users: [
      { user: "${user}", password: "${pass}", permissions: { publish: ["dev.domain.>", "dev.command.>"], subscribe: ["dev.>"] } }
      { user: "admin", password: "admin_pass" }
    ]
  }
}`;
    let admin: NatsSession | undefined;
    beforeEach(async () => {
      await nats.start({ config });
      admin = await nats.connect({ user: 'admin', pass: 'admin_pass' });
      await (await admin.jetstreamManager()).streams.add({ name: 'DOMAIN_SALES_EVENTS', subjects: ['dev.domain.sales.>'] });
      session = await nats.connect({ user, pass, timeoutMs: 2000 });
      runner = runnerOn(session);
    });

    it('says a publish whose acknowledgement cannot come back was sent, and the stream has it', async () => {
      const { playbook, block } = only(EVENT);
      const r = expectKind(await runner!.runBlock(playbook, block), 'sent-unacknowledged');
      assert.match(r.reason, /^Sent, but the server's acknowledgement could not reach you: .*subscribe permission for _INBOX\.>/);
      const m = await (await admin!.jetstreamManager()).streams.getMessage('DOMAIN_SALES_EVENTS', { last_by_subj: `dev.domain.sales.order.created.${ID}` });
      assert.equal(m!.header.get('Nats-Msg-Id'), ID);
    });

    it('names the subject and the missing permission when the publish itself is refused', async () => {
      const { playbook, block } = only(`PUB dev.saga.order-fulfillment.started\n\n{}`);
      const r = expectKind(await runner!.runBlock(playbook, block), 'failed');
      assert.match(r.reason, /may not publish to "dev\.saga\.order-fulfillment\.started"/);
    });
  });
});
