// A consumer's config as the editor shows it before creating it: durations in human units (`"ack_wait": "30s"`, not
// nanoseconds), everything else as it is sent.
import { formatNanos } from '../text/format';

/** The fields JetStream takes in nanoseconds (backoff: a list of them). */
const DURATIONS: ReadonlySet<string> = new Set(['ack_wait', 'inactive_threshold', 'idle_heartbeat', 'max_expires', 'backoff']);

export function consumerPreview(config: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, DURATIONS.has(key) ? duration(value) : value]));
}

function duration(value: unknown): unknown {
  if (typeof value === 'number') return formatNanos(value);
  return Array.isArray(value) ? value.map(duration) : value;
}
