// A dashboard page: draws the frames the host sends (figures, notes, charts, tables), with a time range, pause, CSV
// export, a sortable and filterable table whose rows open a stream's dashboard; range, pause, sort and filter survive
// hide and show (vscode.setState).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './dashboard.css';
import { dashboardStateSchema, parseDashboardToWebview, type DashboardFrame, type DashboardFromWebview, type DashboardState, type DashboardTable } from '../../core/webview/dashboardProtocol';
import { choice } from '../shared/choice';
import { hostChannel, onHostMessage } from '../shared/vscodeApi';
import { drawChart, sparkline, themeColour, type DrawnChart } from './charts';

const host = hostChannel<DashboardFromWebview, DashboardState>();
const restored = host.restore(raw => {
  const r = dashboardStateSchema.safeParse(raw);
  return r.success ? r.data : undefined;
});
let state: DashboardState = restored ?? { range: '5m', paused: false, sort: null, filter: '' };
let frame: DashboardFrame | undefined;
const charts = new Map<string, DrawnChart>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

const root = document.getElementById('root')!;
const title = el('h1', 'title', 'Dashboard');
const source = el('p', 'source');
const toolbar = el('div', 'toolbar');
const ranges = choice<DashboardState['range']>('Time range', [{ value: '5m', label: 'Last 5 min' }, { value: '1h', label: 'Last hour' }], state.range, range => setState({ range }));
const pause = document.createElement('vscode-button');
pause.secondary = true;
const exportButton = document.createElement('vscode-button');
exportButton.secondary = true;
exportButton.textContent = 'Export CSV';
exportButton.addEventListener('click', () => host.post({ type: 'exportCsv' }));
pause.addEventListener('click', () => {
  setState({ paused: !state.paused });
  if (!state.paused && frame) draw(frame);
});
toolbar.append(ranges.element, pause, exportButton);
const figures = el('dl', 'figures');
const notes = el('ul', 'notes');
const chartGrid = el('section', 'charts');
const tables = el('section', 'tables');
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
root.append(title, source, toolbar, figures, notes, chartGrid, tables, status);
paintPause();

function setState(change: Partial<DashboardState>): void {
  state = { ...state, ...change };
  host.keep(state);
  host.post({ type: 'state', state });
  paintPause();
}

function paintPause(): void {
  pause.textContent = state.paused ? 'Resume' : 'Pause';
  pause.setAttribute('aria-pressed', String(state.paused));
}

onHostMessage(parseDashboardToWebview, message => {
  if (message.type === 'notice') {
    status.textContent = message.text;
    status.className = `status ${message.severity}`;
    return;
  }
  frame = message.frame;
  if (!state.paused) draw(frame);
});

function chartWidth(): number {
  return Math.max(240, Math.floor((chartGrid.clientWidth || window.innerWidth - 40) / (window.innerWidth > 1100 ? 2 : 1)) - 16);
}

function draw(f: DashboardFrame): void {
  title.textContent = f.title;
  source.textContent = `${f.source} · drawn ${new Date(f.t).toLocaleTimeString()}`;
  figures.replaceChildren(...f.figures.map(x => {
    const box = el('div', `figure ${x.level}`);
    box.append(el('dt', '', x.label), el('dd', x.level, x.value));
    return box;
  }));
  notes.replaceChildren(...f.notes.map(n => el('li', n.level, n.text)));
  const seen = new Set<string>();
  let points = 0;
  for (const c of f.charts) {
    seen.add(c.id);
    let drawn = charts.get(c.id);
    if (drawn) drawn.update(c);
    else {
      const box = el('figure', 'chart');
      box.dataset.chart = c.id;
      box.append(el('figcaption', '', c.title));
      const plot = el('div', 'plot');
      box.append(plot);
      chartGrid.append(box);
      drawn = drawChart(plot, c, chartWidth());
      charts.set(c.id, drawn);
    }
    points += drawn.points();
  }
  for (const [id, drawn] of charts) {
    if (seen.has(id)) continue;
    drawn.destroy();
    chartGrid.querySelector(`[data-chart="${CSS.escape(id)}"]`)?.remove();
    charts.delete(id);
  }
  let rows = 0;
  tables.replaceChildren(...f.tables.map(t => {
    const drawnTable = drawTable(t);
    rows += drawnTable.rows;
    return drawnTable.element;
  }));
  host.post({ type: 'rendered', charts: f.charts.length, points, rows });
}

function drawTable(t: DashboardTable): { element: HTMLElement; rows: number } {
  const section = el('section', 'table');
  section.append(el('h2', '', t.title));
  const filter = document.createElement('vscode-textfield');
  filter.placeholder = 'Filter rows';
  filter.value = state.filter;
  filter.setAttribute('aria-label', `Filter ${t.title}`);
  filter.addEventListener('input', () => {
    setState({ filter: filter.value });
    if (frame) draw(frame);
    const again = tables.querySelector('vscode-textfield');
    again?.focus();
  });
  if (t.rows.length > 8) section.append(filter);
  const table = el('table');
  const head = el('tr');
  const sort = state.sort?.table === t.id ? state.sort : null;
  t.columns.forEach((c, i) => {
    const th = el('th', c.numeric ? 'num' : '', c.label);
    th.tabIndex = 0;
    th.setAttribute('aria-sort', sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none');
    const toggle = () => {
      setState({ sort: { table: t.id, column: i, descending: sort?.column === i ? !sort.descending : c.numeric } });
      if (frame) draw(frame);
    };
    th.addEventListener('click', toggle);
    th.addEventListener('keydown', e => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      toggle();
    });
    head.append(th);
  });
  const sparkNames = t.rows[0]?.sparks.map(s => s.name) ?? [];
  for (const name of sparkNames) head.append(el('th', '', name));
  const thead = el('thead');
  thead.append(head);
  const needle = state.filter.trim().toLowerCase();
  let rows = t.rows.filter(r => !needle || r.cells.some(c => String(c ?? '').toLowerCase().includes(needle)));
  if (sort) {
    rows = [...rows].sort((a, b) => {
      const x = a.cells[sort.column];
      const y = b.cells[sort.column];
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      return sort.descending ? -cmp : cmp;
    });
  }
  const tbody = el('tbody');
  for (const r of rows) {
    const tr = el('tr', r.level);
    r.cells.forEach((c, i) => tr.append(el('td', t.columns[i]?.numeric ? 'num' : '', r.labels[i] ?? (c === null ? '–' : String(c)))));
    r.sparks.forEach((s, i) => {
      const td = el('td', 'spark');
      td.append(sparkline(s.values, themeColour(i), s.name));
      tr.append(td);
    });
    if (r.open) {
      const stream = r.open;
      tr.tabIndex = 0;
      tr.classList.add('opens');
      tr.title = `Open the dashboard of ${stream}`;
      tr.addEventListener('click', () => host.post({ type: 'open', stream }));
      tr.addEventListener('keydown', e => {
        if (e.key === 'Enter') host.post({ type: 'open', stream });
      });
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  section.append(table);
  if (needle) section.append(el('p', 'count', `${rows.length} of ${t.rows.length} rows match "${state.filter}"`));
  return { element: section, rows: rows.length };
}

window.addEventListener('resize', () => {
  const w = chartWidth();
  for (const c of charts.values()) c.resize(w);
});

host.post({ type: 'ready', state });
