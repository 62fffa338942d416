// A named connection plus its secret → what connectNats takes. The one place that maps auth kinds.
import type { ConnectionConfig } from '../../core/connections/schema';
import type { NatsConnectOptions } from './connect';

export function connectOptionsFor(config: ConnectionConfig, secret: string | undefined): NatsConnectOptions {
  const options: NatsConnectOptions = { servers: config.servers };
  if (config.jetStreamDomain) options.jetStreamDomain = config.jetStreamDomain;
  if (config.tls && Object.values(config.tls).some(Boolean)) options.tls = { ...config.tls };
  switch (config.auth) {
    case 'user':
      options.user = config.user;
      options.pass = secret ?? '';
      break;
    case 'token':
      options.token = secret ?? '';
      break;
    case 'nkey':
      if (config.nkeyFile) options.nkeySeedFile = config.nkeyFile;
      else options.nkeySeed = secret ?? '';
      break;
    case 'creds':
      options.credsFile = config.credsFile;
      break;
    case 'none':
      break;
  }
  return options;
}
