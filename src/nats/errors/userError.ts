// The error whose message is already the user's sentence. No NATS client import: the activation bundle may use it.

/** An error whose message is the translated sentence; `cause` keeps the client's error for the log. */
export class NatsUserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsUserError';
  }
}
