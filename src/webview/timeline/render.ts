// Draws a timeline model into the page: lanes as bands, one column per message in time order, nodes as options of
// one listbox (one of them focusable at a time), arrows from cause to effect in an SVG layer behind them.
import type { LaneMode, TimelineFlag, TimelineModel, TimelineNode } from '../../core/trace/timelineModel';
import { describe, duration, timelineLayout } from '../../core/webview/timelineNavigation';

const G = { label: 150, axis: 44, column: 172, lane: 84, nodeW: 156, nodeH: 62 };
const SVG = 'http://www.w3.org/2000/svg';

export const ICON: Record<TimelineFlag['severity'], string> = { error: '✖', warning: '⚠', info: 'ℹ' };

const SHORT: Record<string, string> = {
  'broken-link': 'cause not found',
  orphan: 'no cause',
  'unanswered-command': 'no event followed',
  'duplicate-id': 'duplicate id',
  cycle: 'causes in a circle',
  gap: 'version gap',
  repeat: 'repeated version',
  back: 'version went back',
  'no-version': 'no version',
  'snapshot-ahead': 'snapshot ahead',
};

export interface Drawn {
  nodes: Map<string, HTMLElement>;
  edges: { from: string; to: string; path: SVGPathElement }[];
  lanes: number;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function px(e: HTMLElement | SVGElement, box: { left?: number; top?: number; width?: number; height?: number }): void {
  // CSSOM writes, which the CSP allows (a style attribute in markup it would refuse)
  for (const [k, v] of Object.entries(box)) if (v !== undefined) e.style.setProperty(k, `${v}px`);
}

export function drawTimeline(canvas: HTMLElement, model: TimelineModel, mode: LaneMode): Drawn {
  canvas.replaceChildren();
  const layout = timelineLayout(model, mode);
  const width = G.label + Math.max(1, layout.columns.length) * G.column + 24;
  const height = G.axis + Math.max(1, layout.lanes.length) * G.lane;
  px(canvas, { width, height });

  const axis = el('div', 'axis');
  axis.setAttribute('aria-hidden', 'true');
  layout.columns.forEach((c, i) => {
    const tick = el('div', 'tick', c.clock);
    px(tick, { left: G.label + i * G.column, width: G.nodeW });
    axis.append(tick);
    if (c.gap) {
      const gap = el('div', 'gap', c.gap);
      px(gap, { left: G.label + i * G.column - (G.column - G.nodeW) / 2 - 40, width: 80 });
      axis.append(gap);
    }
  });
  canvas.append(axis);

  layout.lanes.forEach((lane, i) => {
    const band = el('div', `lane ${i % 2 ? 'odd' : 'even'}`);
    px(band, { top: G.axis + i * G.lane, height: G.lane, width });
    const label = el('div', 'lane-label', lane.label);
    label.title = lane.label;
    band.append(label);
    canvas.append(band);
  });

  const svg = document.createElementNS(SVG, 'svg');
  svg.classList.add('edges');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('aria-hidden', 'true');
  const defs = document.createElementNS(SVG, 'defs');
  for (const id of ['arrow', 'arrow-related']) {
    const marker = document.createElementNS(SVG, 'marker');
    for (const [k, v] of Object.entries({ id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' })) marker.setAttribute(k, v);
    const head = document.createElementNS(SVG, 'path');
    head.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
    head.classList.add('arrowhead');
    marker.append(head);
    defs.append(marker);
  }
  svg.append(defs);
  const centre = (id: string) => {
    const [col, row] = layout.cells.get(id)!;
    return { x: G.label + col * G.column, y: G.axis + row * G.lane + G.lane / 2 };
  };
  const edges = model.edges.filter((e) => layout.cells.has(e.from) && layout.cells.has(e.to)).map((e) => {
    const a = centre(e.from);
    const b = centre(e.to);
    const x1 = a.x + G.nodeW;
    const x2 = b.x;
    const dx = Math.max(24, Math.abs(x2 - x1) / 2);
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', `M ${x1} ${a.y} C ${x1 + dx} ${a.y}, ${x2 - dx} ${b.y}, ${x2} ${b.y}`);
    path.classList.add('edge', e.kind);
    path.setAttribute('marker-end', 'url(#arrow)');
    svg.append(path);
    return { from: e.from, to: e.to, path };
  });
  canvas.append(svg);

  const list = el('div', 'nodes');
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', `${model.title}: left and right arrows move along time, up to the cause, down to the first effect, Shift with up or down between effects of one cause, Enter opens the message, C copies it as a .nats block`);
  const nodes = new Map<string, HTMLElement>();
  for (const n of model.nodes) {
    const { x, y } = centre(n.id);
    const box = nodeElement(n, model.kind === 'trace' ? n.lane : 'event');
    px(box, { left: x, top: y - G.nodeH / 2, width: G.nodeW, height: G.nodeH });
    list.append(box);
    nodes.set(n.id, box);
  }
  canvas.append(list);
  return { nodes, edges, lanes: layout.lanes.length };
}

function nodeElement(n: TimelineNode, category: string): HTMLElement {
  const worst = (['error', 'warning', 'info'] as const).find((s) => n.flags.some((f) => f.severity === s));
  const box = el('div', `node cat-${category}${worst ? ` sev-${worst}` : ''}`);
  box.id = `node-${n.id}`;
  box.dataset.id = n.id;
  box.tabIndex = -1;
  box.setAttribute('role', 'option');
  box.setAttribute('aria-selected', 'false');
  box.setAttribute('aria-label', [describe(n), ...n.flags.map((f) => `${f.severity}: ${f.message}`)].join('. '));
  box.title = [`${n.label}`, n.subject, ...n.flags.map((f) => `${ICON[f.severity]} ${f.message}`)].join('\n');
  box.append(el('span', 'node-label', n.label));
  const where = n.ref ? `${n.ref.stream} #${n.ref.seq}` : n.subject;
  box.append(el('span', 'node-meta', n.latencyMs === null ? where : `+${duration(n.latencyMs)} · ${where}`));
  const first = n.flags[0];
  if (first) {
    const flag = el('span', `node-flag sev-${first.severity}`);
    flag.append(el('span', 'icon', ICON[first.severity]), el('span', '', ` ${SHORT[first.kind] ?? first.kind.replace(/-/g, ' ')}${n.flags.length > 1 ? ` +${n.flags.length - 1}` : ''}`));
    box.append(flag);
  }
  return box;
}

/** The selected message's fields and every flag as a sentence; the buttons are the page's. */
export function drawDetails(pane: HTMLElement, model: TimelineModel, node: TimelineNode | undefined): void {
  const fields = pane.querySelector<HTMLElement>('.fields')!;
  const flags = pane.querySelector<HTMLElement>('.flags')!;
  const title = pane.querySelector<HTMLElement>('.details-title')!;
  fields.replaceChildren();
  flags.replaceChildren();
  if (!node) {
    title.textContent = model.nodes.length ? 'Select a message (arrow keys or click) to see its details.' : 'No messages.';
    return;
  }
  title.textContent = node.label;
  const rows: [string, string | null][] = [
    ['Time', node.time],
    ['Subject', node.subject],
    ['Stream', node.ref ? `${node.ref.stream} #${node.ref.seq}` : node.stream],
    [model.kind === 'trace' ? 'Message id' : 'Event id', node.messageId],
    ['Causation id', node.causationId],
    [model.kind === 'trace' ? 'After its cause' : 'After the message before', node.latencyMs === null ? null : duration(node.latencyMs)],
    ['Version', node.version === null ? null : String(node.version)],
    ['Depth', model.kind === 'trace' ? String(node.depth) : null],
  ];
  for (const [k, v] of rows) {
    if (v === null) continue;
    fields.append(el('dt', '', k), el('dd', '', v));
  }
  for (const f of node.flags) {
    const li = el('li', `sev-${f.severity}`);
    li.append(el('span', 'icon', ICON[f.severity]), el('span', '', ` ${f.message}`));
    flags.append(li);
  }
}
