// A stream's messages per event type, as the explorer counts them (src/nats/explorer/eventTypes.ts) and coverage shows them.

export interface EventTypeCount {
  aggregate: string;
  event: string;
  messages: number;
  /** Named in `options.declared` (a domain definition). */
  declared: boolean;
  /** The count is an estimate from samples (see `EventTypeCounts.note`). */
  estimated?: boolean;
}

export interface EventTypeCounts {
  /** Sorted by aggregate, then event. */
  types: EventTypeCount[];
  /** Messages of the prefix in no type found: `total - Σ types`, so the user sees what was not found. */
  other: number;
  /** Messages under the prefix. */
  total: number;
  /** JetStream API requests made. */
  requests: number;
  /** True when the counts are estimates (a work-queue stream whose consumer leaves no room for a counting one). */
  estimated?: boolean;
  /** One or two sentences on what limited the result, when something did. */
  note?: string;
}
