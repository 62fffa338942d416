// The NATS client and everything built on it load here, when a user first needs them: activation stays cheap.
// The build makes '../nats/runtime' a bundle of its own (dist/nats.js, scripts/build.mjs), required on this first call.
type Runtime = typeof import('../../nats/runtime');

let runtime: Runtime | undefined;

export async function natsRuntime(): Promise<Runtime> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runtime ??= require('../../nats/runtime') as Runtime;
  return runtime;
}
