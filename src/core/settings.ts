// Every setting's shape and default, in one place: package.json's contributes.configuration is held against it by a test.
import { z } from 'zod';
import { parseWindow } from './find/timeRange';
import { ConnectionSchema, parseConnections } from './connections/schema';

export const DEFAULT_SUBJECT_LANGUAGES = [
  'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go', 'rust', 'java', 'csharp', 'yaml', 'json', 'jsonc',
];

export const SettingsSchema = z.object({
  'algebra.preset': z.enum(['cim-start', 'cim-subject']).default('cim-start')
    .describe('The built-in subject algebra used when the workspace has no algebra file.'),
  'algebra.file': z.string().default('.cim/algebra.json')
    .describe('Workspace-relative path of a checked-in algebra description; it wins over the preset when present.'),
  'subjects.languages': z.array(z.string()).default(DEFAULT_SUBJECT_LANGUAGES)
    .describe('Languages whose string literals are checked as subjects.'),
  'diagnostics.style': z.boolean().default(true)
    .describe('Report style warnings (past tense for events, imperative for commands, * in the environment position).'),
  'diagnostics.debounceMs': z.number().int().min(0).max(5000).default(250)
    .describe('How long to wait after typing before subjects are checked again.'),
  'domains.glob': z.string().default('domains/*/domain-definition.yaml')
    .describe('Where domain definitions live; their domains, aggregates and events feed completion and hover.'),
  'playbook.defaultEnvironment': z.string().default('dev')
    .describe('The value of {{env}} in .nats playbooks and the environment completion offers first.'),
  'connections': z.array(ConnectionSchema).default([])
    .describe('Named NATS connections for the JetStream explorer. Passwords, tokens and NKey seeds are never kept here: they are asked for once and kept in VS Code\'s SecretStorage.'),
  'explorer.refreshIntervalSeconds': z.number().int().min(0).max(3600).default(5)
    .describe('While the JetStream explorer is visible, list the streams of each connected connection again every this many seconds (one request per connection), keeping counts and "x ago" fresh; 0 turns this off. What an action of the editor changes is shown at once either way; it never connects by itself.'),
  'explorer.pendingWarningThreshold': z.number().int().min(1).default(1000)
    .describe('A consumer with more pending messages than this gets a warning icon in the explorer.'),
  'health.badges': z.boolean().default(true)
    .describe('Mark unhealthy streams and consumers in the JetStream explorer (no leader, near a limit, a consumer stalled or falling behind) and sum them up in the status bar. Their consumers are listed again on the explorer\'s refresh interval, only while the explorer is visible (one request per stream that has consumers).'),
  'health.stallSeconds': z.number().int().min(5).max(86_400).default(60)
    .describe('A consumer with messages waiting whose ack floor has not moved for this many seconds is marked stalled.'),
  'health.growingIntervals': z.number().int().min(2).max(100).default(5)
    .describe('A consumer whose waiting messages grew on this many polls in a row is marked as falling behind.'),
  'health.limitThreshold': z.number().min(0.5).max(1).default(0.9)
    .describe('A stream is near a limit (max_msgs, max_bytes, max_age) from this share of it (0.9 = 90 %).'),
  'health.notify': z.boolean().default(false)
    .describe('Also show a notification when a stream or consumer of the active connection becomes unhealthy.'),
  'dashboard.intervalSeconds': z.number().int().min(1).max(60).default(2)
    .describe('How often an open, visible dashboard polls its connection (the stream list, the consumer lists of streams with consumers, and one message read per consumer whose lag in time it shows).'),
  'messages.defaultCount': z.number().int().min(1).max(10_000).default(50)
    .describe('How many messages View Messages reads by default, and how many "Show Older/Newer Messages" adds.'),
  'publish.warnUncaptured': z.boolean().default(true)
    .describe('Ask before publishing a playbook message to a subject no stream on the connection stores.'),
  'coverage.source': z.enum(['server', 'algebra', 'off']).default('server')
    .describe('Where stream coverage (hover, diagnostics, report, completion names) reads streams from: server uses the active connection\'s streams while it is connected and the algebra\'s stream layout otherwise; algebra always uses the layout; off turns coverage hover, diagnostics and server names off.'),
  'tail.maxLines': z.number().int().min(100).max(1_000_000).default(10_000)
    .describe('The most lines a tail\'s output channel keeps; older ones are let go.'),
  'tail.showHeaders': z.boolean().default(true)
    .describe('Show each tailed message\'s headers.'),
  'tail.maxPayloadBytes': z.number().int().min(64).max(4 * 1024 * 1024).default(16 * 1024)
    .describe('A tailed payload longer than this is cut, with its full size shown.'),
  'tail.envelopeWarnings': z.boolean().default(true)
    .describe('Warn under a tailed message whose payload breaks its category\'s CIM envelope or lacks fields its domain definition declares.'),
  'messages.viewLimit': z.number().int().min(10).max(100_000).default(1000)
    .describe('The most messages one message view holds; paging further lets the other end go, and the view says so.'),
  'find.maxScanned': z.number().int().min(100).max(100_000_000).default(100_000)
    .describe('Find Messages stops after reading this many messages (all streams together), says so and offers to go on.'),
  'find.maxMatches': z.number().int().min(1).max(100_000).default(500)
    .describe('Find Messages stops after this many matches, says so and offers to go on.'),
  'trace.window': z.string().default('15m').refine(v => parseWindow(v).ok, { message: 'a window is a number and a unit, such as 15m, 2h or 1d' })
    .describe('How far before and after its origin Trace Correlation looks for a correlation\'s messages (15m, 2h, 1d); a trace can be widened from its result.'),
  'trace.maxScanned': z.number().int().min(1000).max(100_000_000).default(1_000_000)
    .describe('Trace Correlation and Show Aggregate History stop after reading this many messages and say so.'),
  'trace.extraStreams': z.array(z.string()).default([])
    .describe('Streams Trace Correlation reads besides those the algebra names (commands, domain events, sagas, projections, snapshots).'),
});

export type Settings = z.output<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

/** Reads settings through `get`, falling back per key (with the reason) when a value has the wrong shape. */
export function readSettings(get: (key: SettingKey) => unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SettingsSchema.shape)) {
    const raw = get(key as SettingKey);
    if (key === 'connections') {
      // entry by entry: one broken connection must not hide the others
      const parsed = parseConnections(raw);
      out[key] = parsed.connections;
      problems.push(...parsed.problems);
      continue;
    }
    const r = (schema as z.ZodType).safeParse(raw);
    if (r.success) out[key] = r.data;
    else {
      out[key] = (schema as z.ZodType).parse(undefined);
      problems.push(`Setting cimNats.${key} is invalid (${r.error.issues[0]?.message ?? 'wrong type'}); using the default.`);
    }
  }
  return { settings: out as Settings, problems };
}

/** Settings that may differ per workspace folder; the others follow the window. */
const RESOURCE_SCOPED = new Set<SettingKey>(['algebra.preset', 'algebra.file', 'subjects.languages', 'domains.glob']);

/** package.json's `contributes.configuration.properties`, generated from the schema (`npm run sync:manifest`). */
export function settingsContribution(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, schema] of Object.entries(SettingsSchema.shape) as [SettingKey, z.ZodType][]) {
    const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    out[`cimNats.${key}`] = { ...json, default: schema.parse(undefined), description: schema.description, scope: RESOURCE_SCOPED.has(key) ? 'resource' : 'window' };
  }
  return out;
}
