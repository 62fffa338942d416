// Charts with uPlot in VS Code's theme colours: one uPlot per chart, kept across frames (only its data changes), with
// the legend as the hover read-out. Sparklines are small SVG lines, cheap enough for a thousand rows.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardChart } from '../../core/webview/dashboardProtocol';

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

export function themeColour(i: number): string {
  const v = getComputedStyle(document.body).getPropertyValue(PALETTE[i % PALETTE.length]!).trim();
  return v || FALLBACK[i % FALLBACK.length]!;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function formatValue(unit: DashboardChart['unit'], v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  switch (unit) {
    case 'bytes': return bytes(v);
    case 'ms': return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(v < 10_000 ? 1 : 0)} s`;
    case 'percent': return `${v.toFixed(1)} %`;
    case 'perSecond': return `${small(v)}/s`;
    default: return small(v);
  }
}

/** Whole numbers with separators; small fractions with as many decimals as tell close axis ticks apart. */
function small(v: number): string {
  if (Number.isInteger(v) || Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toFixed(Math.abs(v) >= 10 ? 1 : 2)));
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** uPlot's columns: seconds, then each series (stacked series as running sums, so areas sit on each other). */
function columns(chart: DashboardChart): uPlot.AlignedData {
  const first = chart.series[0]?.points ?? [];
  // a stacked chart is sampled more sparsely (counting by event type costs more): only its samples are drawn
  const keep = first.map((_, i) => !chart.stacked || chart.series.some(s => s.points[i]?.[1] !== null && s.points[i]?.[1] !== undefined));
  const xs = first.filter((_, i) => keep[i]).map(([t]) => t / 1000);
  let below: (number | null)[] = xs.map(() => 0);
  const ys = chart.series.map(s => {
    const vals = s.points.filter((_, i) => keep[i]).map(([, v]) => v);
    if (!chart.stacked) return vals;
    const summed = vals.map((v, i) => (v === null ? below[i] ?? null : (below[i] ?? 0) + v));
    below = summed;
    return summed;
  });
  return [xs, ...ys];
}

export interface DrawnChart {
  id: string;
  update(chart: DashboardChart): void;
  resize(width: number): void;
  destroy(): void;
  points(): number;
}

export function drawChart(host: HTMLElement, chart: DashboardChart, width: number): DrawnChart {
  const axis = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const opts: uPlot.Options = {
    width,
    height: 180,
    cursor: { drag: { x: false, y: false } },
    // figures read from zero: a flat rate is a flat line, not noise blown up to the chart's height
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    legend: { live: true },
    axes: [
      { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 70, values: (_u, vals) => vals.map(v => formatValue(chart.unit, v)) },
    ],
    series: [
      { value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toLocaleTimeString()) },
      ...chart.series.map((s, i) => ({
        label: s.name,
        stroke: themeColour(i),
        width: 1.5,
        spanGaps: false,
        ...(chart.stacked ? { fill: `${themeColour(i)}55` } : {}),
        value: (_u: uPlot, v: number | null) => formatValue(chart.unit, v),
      })),
    ],
  };
  let data = columns(chart);
  let plot = new uPlot(opts, data, host);
  let shape = chart.series.map(s => s.name).join('\n');
  return {
    id: chart.id,
    update(next) {
      data = columns(next);
      const nextShape = next.series.map(s => s.name).join('\n');
      if (nextShape !== shape) {
        // other series (an event type appeared): a new plot
        plot.destroy();
        shape = nextShape;
        chart = next;
        opts.series = [opts.series[0]!, ...next.series.map((s, i) => ({ label: s.name, stroke: themeColour(i), width: 1.5, ...(next.stacked ? { fill: `${themeColour(i)}55` } : {}), value: (_u: uPlot, v: number | null) => formatValue(next.unit, v) }))];
        opts.width = plot.width;
        plot = new uPlot(opts, data, host);
      } else plot.setData(data);
    },
    resize(w) {
      plot.setSize({ width: w, height: 180 });
    },
    destroy() {
      plot.destroy();
    },
    points() {
      return data.slice(1).reduce((n, col) => n + (col as (number | null)[]).filter(v => v !== null && v !== undefined).length, 0);
    },
  };
}

const SVG = 'http://www.w3.org/2000/svg';

/** A sparkline of values (gaps break the line), scaled to its own maximum. */
export function sparkline(values: readonly (number | null)[], colour: string, label: string): SVGSVGElement {
  const w = 120;
  const h = 24;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('role', 'img');
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const last = finite[finite.length - 1];
  svg.setAttribute('aria-label', `${label}: ${last === undefined ? 'no data' : Math.round(last * 10) / 10}`);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = svg.getAttribute('aria-label');
  svg.append(title);
  const max = Math.max(1e-9, ...finite);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (h - 2 - (v / max) * (h - 4)).toFixed(1);
    d += `${pen ? 'L' : 'M'}${x} ${y}`;
    pen = true;
  });
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', colour);
  path.setAttribute('stroke-width', '1.5');
  svg.append(path);
  return svg;
}
