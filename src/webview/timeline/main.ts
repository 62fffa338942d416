// The timeline page: draws the model the host sends, keeps the selection, lane mode and scroll across hide and show
// (vscode.setState), moves with the keyboard, and asks the host to open or copy a message.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import './timeline.css';
import type { LaneMode, TimelineModel } from '../../core/trace/timelineModel';
import { move, moveForKey } from '../../core/webview/timelineNavigation';
import { parseToWebview, timelineStateSchema, type TimelineFromWebview, type TimelineState } from '../../core/webview/timelineProtocol';
import { choice } from '../shared/choice';
import { hostChannel, onHostMessage } from '../shared/vscodeApi';
import { drawDetails, drawTimeline, el, type Drawn } from './render';

const host = hostChannel<TimelineFromWebview, TimelineState>();
const restored = host.restore((raw) => {
  const r = timelineStateSchema.safeParse(raw);
  return r.success ? r.data : undefined;
});
let state: TimelineState = restored ?? { selected: null, scroll: { x: 0, y: 0 }, laneMode: 'category' };
let model: TimelineModel | undefined;
let drawn: Drawn | undefined;

const root = document.getElementById('root')!;
const title = el('h1', 'title', 'Timeline');
const summary = el('ul', 'summary');
const toolbar = el('div', 'toolbar');
const modes = choice<LaneMode>('Lanes', [{ value: 'category', label: 'Lanes by category' }, { value: 'stream', label: 'Lanes by stream' }], state.laneMode, setMode);
toolbar.append(modes.element);
const timeline = el('section', 'timeline');
const canvas = el('div', 'canvas');
timeline.append(canvas);
const details = el('section', 'details');
details.setAttribute('aria-label', 'Selected message');
const openButton = document.createElement('vscode-button');
openButton.textContent = 'Open message';
const copyButton = document.createElement('vscode-button');
copyButton.secondary = true;
copyButton.textContent = 'Copy as .nats';
const actions = el('div', 'actions');
actions.append(openButton, copyButton);
details.append(el('h2', 'details-title'), el('dl', 'fields'), el('ul', 'flags'), actions);
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const body = el('div', 'body');
body.append(timeline, details);
root.append(title, summary, toolbar, body, status);

openButton.addEventListener('click', () => act('open'));
copyButton.addEventListener('click', () => act('copy'));

function act(type: 'open' | 'copy'): void {
  if (state.selected) host.post({ type, nodeId: state.selected });
  else say('Select a message first.', 'info');
}

function say(text: string, severity: 'error' | 'warning' | 'info'): void {
  status.textContent = text;
  status.className = `status sev-${severity}`;
}

function keep(tell: boolean): void {
  host.keep(state);
  if (tell) host.post({ type: 'state', state });
}

function setMode(mode: LaneMode): void {
  state = { ...state, laneMode: mode };
  modes.set(mode);
  draw();
  keep(true);
}

function draw(): void {
  if (!model) return;
  title.textContent = model.title;
  summary.replaceChildren(...model.summary.map((s) => el('li', '', s)));
  drawn = drawTimeline(canvas, model, state.laneMode);
  if (state.selected && !drawn.nodes.has(state.selected)) state = { ...state, selected: null };
  select(state.selected, false, false);
  host.post({ type: 'rendered', nodes: canvas.querySelectorAll('.node').length, lanes: canvas.querySelectorAll('.lane').length });
}

/** Marks `id` selected (the one node Tab reaches), lights its edges, shows its details. */
function select(id: string | null, focus: boolean, tell: boolean): void {
  if (!model || !drawn) return;
  for (const [nodeId, box] of drawn.nodes) {
    const on = nodeId === id;
    box.classList.toggle('selected', on);
    box.setAttribute('aria-selected', String(on));
    box.tabIndex = on || (id === null && nodeId === model.nodes[0]?.id) ? 0 : -1;
  }
  for (const e of drawn.edges) {
    const related = id !== null && (e.from === id || e.to === id);
    e.path.classList.toggle('related', related);
    e.path.setAttribute('marker-end', related ? 'url(#arrow-related)' : 'url(#arrow)');
  }
  const node = model.nodes.find((n) => n.id === id);
  drawDetails(details, model, node);
  actions.hidden = !node;
  const box = id === null ? undefined : drawn.nodes.get(id);
  if (box && focus) {
    box.focus();
    box.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
  if (state.selected !== id || tell) {
    state = { ...state, selected: id };
    keep(true);
  }
}

// A click opens the message beside the timeline (the timeline keeps the focus, so the keys go on working).
canvas.addEventListener('click', (e) => {
  const box = (e.target as HTMLElement).closest<HTMLElement>('.node');
  if (box?.dataset.id) {
    select(box.dataset.id, true, false);
    act('open');
  }
});
canvas.addEventListener('focusin', (e) => {
  const box = (e.target as HTMLElement).closest<HTMLElement>('.node');
  if (box?.dataset.id && box.dataset.id !== state.selected) select(box.dataset.id, false, false);
});
canvas.addEventListener('keydown', (e) => {
  if (!model) return;
  if (e.key === 'Enter') {
    e.preventDefault();
    act('open');
    return;
  }
  if ((e.key === 'c' || e.key === 'C') && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    act('copy');
    return;
  }
  const how = moveForKey(e.key, e.shiftKey);
  if (!how) return;
  e.preventDefault();
  const r = move(model, state.selected, how);
  if ('nodeId' in r) select(r.nodeId, true, false);
  else if (r.none) say(r.none, 'info');
});

let scrollQueued = false;
timeline.addEventListener('scroll', () => {
  if (scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    state = { ...state, scroll: { x: timeline.scrollLeft, y: timeline.scrollTop } };
    keep(false);
  });
});

onHostMessage(parseToWebview, (m) => {
  switch (m.type) {
    case 'show': {
      const first = model === undefined;
      model = m.model;
      draw();
      if (first) timeline.scrollTo(state.scroll.x, state.scroll.y);
      break;
    }
    case 'select':
      select(m.nodeId, false, true);
      drawn?.nodes.get(m.nodeId)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      break;
    case 'notice':
      say(m.text, m.severity);
      break;
  }
});

host.post(restored ? { type: 'ready', state: restored } : { type: 'ready' });
