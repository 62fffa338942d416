// The dashboards' messages, one zod schema per direction, checked on receipt on both sides. The host sends whole
// frames (what one poll gives over the chosen time range); the page draws them and keeps its range, pause, sort and
// filter across hide and show.
import * as z from 'zod/mini';
import { parseMessage, type Parsed } from './protocol';

const level = z.enum(['ok', 'warning', 'error']);
export const dashboardRange = z.enum(['5m', '1h']);
export const dashboardKind = z.enum(['stream', 'consumer', 'overview', 'server']);

const series = z.object({
  name: z.string(),
  /** [time ms, value or null for a gap] */
  points: z.array(z.tuple([z.number(), z.nullable(z.number())])),
});

const chart = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.enum(['count', 'perSecond', 'bytes', 'ms', 'percent']),
  stacked: z.boolean(),
  series: z.array(series),
});

const table = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(z.object({ label: z.string(), numeric: z.boolean() })),
  rows: z.array(z.object({
    id: z.string(),
    /** Shown as given; numbers sort as numbers. */
    cells: z.array(z.union([z.string(), z.number(), z.null()])),
    /** What a cell shows of a number, when not the number itself (`1.2 MiB`). */
    labels: z.array(z.nullable(z.string())),
    sparks: z.array(z.object({ name: z.string(), values: z.array(z.nullable(z.number())) })),
    level,
    /** A stream whose dashboard a click opens. */
    open: z.nullable(z.string()),
  })),
});

export const dashboardFrameSchema = z.object({
  kind: dashboardKind,
  title: z.string(),
  /** Where the figures come from and how often they are sampled, said on the page. */
  source: z.string(),
  t: z.number(),
  range: dashboardRange,
  figures: z.array(z.object({ label: z.string(), value: z.string(), level })),
  notes: z.array(z.object({ level, text: z.string() })),
  charts: z.array(chart),
  tables: z.array(table),
});

export const dashboardStateSchema = z.object({
  range: dashboardRange,
  paused: z.boolean(),
  sort: z.nullable(z.object({ table: z.string(), column: z.number(), descending: z.boolean() })),
  filter: z.string(),
});

/** Host → webview. */
export const dashboardToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('frame'), frame: dashboardFrameSchema }),
  z.object({ type: z.literal('notice'), severity: z.enum(['error', 'warning', 'info']), text: z.string() }),
]);

/** Webview → host. */
export const dashboardFromWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), state: z.optional(dashboardStateSchema) }),
  /** A frame is drawn: how many charts, points and rows a person sees. */
  z.object({ type: z.literal('rendered'), charts: z.number(), points: z.number(), rows: z.number() }),
  z.object({ type: z.literal('state'), state: dashboardStateSchema }),
  z.object({ type: z.literal('exportCsv') }),
  z.object({ type: z.literal('open'), stream: z.string() }),
]);

export type DashboardFrame = z.infer<typeof dashboardFrameSchema>;
export type DashboardChart = z.infer<typeof chart>;
export type DashboardTable = z.infer<typeof table>;
export type DashboardState = z.infer<typeof dashboardStateSchema>;
export type DashboardRange = z.infer<typeof dashboardRange>;
export type DashboardToWebview = z.infer<typeof dashboardToWebview>;
export type DashboardFromWebview = z.infer<typeof dashboardFromWebview>;
export type { Parsed };

export const RANGE_MS: Record<DashboardRange, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export function parseDashboardToWebview(raw: unknown): Parsed<DashboardToWebview> {
  return parseMessage(dashboardToWebview, raw, 'to the dashboard');
}

export function parseDashboardFromWebview(raw: unknown): Parsed<DashboardFromWebview> {
  return parseMessage(dashboardFromWebview, raw, 'from the dashboard');
}
