// The connection manager hands a second connection (a tail's worker) the options its open session connected with,
// so a secret is asked for once; once the session is closed, the options are resolved (asked) again.
import assert from 'node:assert/strict';
import { ConnectionSchema } from '../../src/core/connections/schema';
import { ConnectionManager } from '../../src/nats/connection/manager';
import { useNatsServer } from '../support/natsFixture';

describe('connection manager: options for a connection of its own', function () {
  this.timeout(60_000);
  const nats = useNatsServer();
  let manager: ConnectionManager | undefined;
  let resolved = 0;

  before(() => {
    manager = new ConnectionManager({
      resolve: async () => {
        resolved++;
        return { servers: nats.url };
      },
    });
    nats.defer(() => manager?.dispose());
    manager.setEntries([{ id: 'settings:local', config: ConnectionSchema.parse({ name: 'local', servers: [nats.url] }), origin: 'settings' }]);
  });

  it('reuses what the open session resolved, and resolves again once it is closed', async () => {
    await manager!.session('settings:local');
    assert.equal(resolved, 1);
    const options = await manager!.connectOptions('settings:local', 'tail of x.>');
    assert.equal(resolved, 1, 'nothing asked again while the session is open');
    assert.equal(options.servers, nats.url);
    assert.equal(options.name, 'cim-nats vscode tail of x.> (local)');
    assert.deepEqual(options.reconnect, { timeWaitMs: 1000 });
    await manager!.disconnect('settings:local');
    await manager!.connectOptions('settings:local', 'tail of x.>');
    assert.equal(resolved, 2, 'asked again: nothing is kept after the session closed');
    await assert.rejects(manager!.connectOptions('settings:gone', 'tail'), /There is no connection "gone" any more/);
  });
});
