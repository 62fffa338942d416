// The timeline webview's messages, one zod schema per direction, checked on receipt on both sides. zod/mini keeps
// the webview's bundle small; the host uses the same schemas.
import * as z from 'zod/mini';
import type { TimelineModel } from '../trace/timelineModel';
import { parseMessage, type Parsed } from './protocol';

const severity = z.enum(['error', 'warning', 'info']);
const laneMode = z.enum(['category', 'stream']);
const lane = z.object({ id: z.string(), label: z.string() });

const node = z.object({
  id: z.string(),
  lane: z.string(),
  streamLane: z.string(),
  time: z.nullable(z.string()),
  label: z.string(),
  subject: z.string(),
  stream: z.nullable(z.string()),
  seq: z.nullable(z.number()),
  messageId: z.nullable(z.string()),
  causationId: z.nullable(z.string()),
  latencyMs: z.nullable(z.number()),
  depth: z.number(),
  version: z.nullable(z.number()),
  flags: z.array(z.object({ kind: z.string(), severity, message: z.string() })),
  ref: z.nullable(z.object({ stream: z.string(), seq: z.number() })),
});

export const timelineModelSchema = z.object({
  kind: z.enum(['trace', 'history']),
  title: z.string(),
  summary: z.array(z.string()),
  lanes: z.object({ category: z.array(lane), stream: z.array(lane) }),
  nodes: z.array(node),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.enum(['causes', 'follows']) })),
  window: z.nullable(z.object({ since: z.nullable(z.string()), until: z.nullable(z.string()) })),
});

/** What the webview keeps across hide and show (vscode.setState) and tells the host. */
export const timelineStateSchema = z.object({
  selected: z.nullable(z.string()),
  scroll: z.object({ x: z.number(), y: z.number() }),
  laneMode,
});

/** Host → webview. */
export const timelineToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), model: timelineModelSchema }),
  z.object({ type: z.literal('select'), nodeId: z.string() }),
  /** The result of an open or copy, said in the status line. */
  z.object({ type: z.literal('notice'), severity, text: z.string() }),
]);

/** Webview → host. */
export const timelineFromWebview = z.discriminatedUnion('type', [
  /** The script runs (under the CSP); `state` is what it restored after being hidden. */
  z.object({ type: z.literal('ready'), state: z.optional(timelineStateSchema) }),
  /** The model is drawn: how many nodes and lanes a person sees. */
  z.object({ type: z.literal('rendered'), nodes: z.number(), lanes: z.number() }),
  z.object({ type: z.literal('open'), nodeId: z.string() }),
  z.object({ type: z.literal('copy'), nodeId: z.string() }),
  z.object({ type: z.literal('state'), state: timelineStateSchema }),
]);

export type TimelineState = z.infer<typeof timelineStateSchema>;
export type TimelineToWebview = z.infer<typeof timelineToWebview>;
export type TimelineFromWebview = z.infer<typeof timelineFromWebview>;

export type { Parsed };

export function parseToWebview(raw: unknown): Parsed<TimelineToWebview> {
  return parseMessage(timelineToWebview, raw, 'to the timeline');
}

export function parseFromWebview(raw: unknown): Parsed<TimelineFromWebview> {
  return parseMessage(timelineFromWebview, raw, 'from the timeline');
}

// The model's interface and its schema describe the same JSON: a change to one that the other lacks fails the build.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const modelMatchesSchema: Same<z.infer<typeof timelineModelSchema>, TimelineModel> = true;
void modelMatchesSchema;
