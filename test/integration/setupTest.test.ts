// The guide's own set-up test, as a person runs it: `cim-nats init-streams --env dev sales` then `cim-nats smoke --env
// dev sales` passes (the commands stream is an interest stream: the test holds interest while it checks, and leaves
// no consumer behind); a user who may not create consumers gets a warning naming the permission, not a failure.
import assert from 'node:assert/strict';
import { CIM_DEV_USERS, cimDevServerConfig } from '../../dev/devServerConfig';
import { useNatsServers } from '../support/natsFixture';
import { runCli } from '../support/cli';


const cli = (args: string[], env: Record<string, string>) => runCli(args, { env });

/** One account, two users: an admin, and one that may use JetStream but not create consumers. */
const LIMITED_CONFIG = `
accounts {
  APP {
    jetstream: enabled
    users: [
      { user: "admin", password: "admin_pass" },
      { user: "limited", password: "limited_pass", permissions: {
        publish: { allow: ["dev.>", "$JS.API.>", "$JS.ACK.>"], deny: ["$JS.API.CONSUMER.CREATE.>", "$JS.API.CONSUMER.DURABLE.CREATE.>"] }
        subscribe: ["_INBOX.>", "dev.>"]
      } }
    ]
  }
}
`;

describe('the set-up test after init-streams (CLI)', function () {
  this.timeout(60_000);
  const nats = useNatsServers();

  it('init-streams then smoke passes on the seed\'s accounts and JetStream domain, and leaves no consumer behind', async () => {
    const server = await nats.start({ config: cimDevServerConfig(), domain: 'cim' });
    const { user, pass } = CIM_DEV_USERS.domain;
    const env = { NATS_URL: server.url, NATS_USER: user, NATS_PASS: pass, NATS_JS_DOMAIN: 'cim' };
    const init = await cli(['init-streams', '--env', 'dev', 'sales'], env);
    assert.equal(init.code, 0, init.out + init.err);

    const smoke = await cli(['smoke', '--env', 'dev', 'sales'], env);
    assert.equal(smoke.code, 0, smoke.out + smoke.err);
    assert.match(smoke.out, /^ok {3}command dev\.command\.sales\.order\.create → DOMAIN_SALES_COMMANDS seq \d+$/m);
    assert.doesNotMatch(smoke.out, /^(FAIL|WARN)/m);
    assert.match(smoke.out, /Every sample landed in the stream CIM-Start names, and the re-publish was a duplicate \(7 checks\)\.\n$/);

    const session = await nats.connect({ user, pass, jetStreamDomain: 'cim' });
    const jsm = await session.jetstreamManager();
    const consumers = await jsm.consumers.list('DOMAIN_SALES_COMMANDS').next();
    assert.deepEqual(consumers.map(c => c.name), [], 'the consumer that held interest is gone');
  });

  for (const domain of [undefined, 'cim']) {
    it(`warns, naming the permission, when the user may not create consumers${domain ? ' (JetStream domain)' : ''}; the other checks pass`, async () => {
      const server = await nats.start({ config: LIMITED_CONFIG, ...(domain ? { domain } : {}) });
      const as = (u: string, p: string) => ({ NATS_URL: server.url, NATS_USER: u, NATS_PASS: p, ...(domain ? { NATS_JS_DOMAIN: domain } : {}) });
      const init = await cli(['init-streams', '--env', 'dev', 'sales'], as('admin', 'admin_pass'));
      assert.equal(init.code, 0, init.out + init.err);

      const smoke = await cli(['smoke', '--env', 'dev', 'sales'], as('limited', 'limited_pass'));
      assert.equal(smoke.code, 0, smoke.out + smoke.err);
      const warn = smoke.out.split('\n').filter(l => l.startsWith('WARN'));
      assert.equal(warn.length, 1, smoke.out);
      assert.match(warn[0]!, /^WARN command dev\.command\.sales\.order\.create → DOMAIN_SALES_COMMANDS: Not checked: DOMAIN_SALES_COMMANDS keeps a message only while a consumer is interested, and user limited may not create one: it lacks publish permission for "\$JS\.(cim\.)?API\.CONSUMER\.(DURABLE\.)?CREATE\.DOMAIN_SALES_COMMANDS(\.>)?"; grant it/);
      assert.doesNotMatch(smoke.out, /^FAIL/m);
      assert.match(smoke.out, /1 of 7 checks could not be made \(see WARN\)\.\n$/);

      const session = await nats.connect({ user: 'admin', pass: 'admin_pass', ...(domain ? { jetStreamDomain: domain } : {}) });
      const jsm = await session.jetstreamManager();
      assert.deepEqual((await jsm.consumers.list('DOMAIN_SALES_COMMANDS').next()).map(c => c.name), []);
      assert.equal((await jsm.streams.info('DOMAIN_SALES_COMMANDS')).state.messages, 0, 'nothing was published to the stream it could not check');
    });
  }
});
