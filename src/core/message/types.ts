// A message as views, tails and exports show it: plain data, whatever read it (consumer, direct get, subscription).

export interface ViewedMessage {
  /** The stream sequence; absent for a core (non-JetStream) message. */
  seq?: number;
  /** When the stream stored it (or when a tail received it). */
  time?: Date;
  subject: string;
  /** In the order they were sent; a name may repeat. */
  headers: [string, string][];
  data: Uint8Array;
  /** The payload's full size in bytes; more than `data.length` when the reader kept only the start. */
  size: number;
  stream?: string;
}
