// A uPlot line chart sized to its container. Charts are not accessible on their own, so the
// canvas is hidden from assistive tech and every chart comes with a text or table alternative.
// The x axis always spans `window` (lib/chart-window.ts), whatever the number of readings.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tickLabel, type ChartWindow } from '../lib/chart-window.js';

export interface Series {
  /** Epoch ms. */
  xs: readonly number[];
  ys: readonly (number | null)[];
}

export function LineChart({ data, window, label, unit, height = 220, stepped = false }: { data: Series; window: ChartWindow; label: string; unit?: string | null; height?: number; stepped?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The tick formatter reads the current window (the plot outlives window changes).
  const win = useRef(window);
  win.current = window;
  const zone = window.timeZone;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // auto: false — x is only ever set from the window below, never from the data.
      scales: { x: { time: true, auto: false } },
      // Ticks on the zone's whole hours (a site's, on a site's "today" chart), not the browser's.
      ...(zone === undefined ? {} : { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), zone) }),
      axes: [
        { stroke: '#4a5866', values: (_u, splits) => splits.map((s) => tickLabel(s * 1000, win.current)) },
        { stroke: '#4a5866', label: unit ?? undefined, size: 60 },
      ],
      series: [
        {},
        {
          label,
          stroke: '#0b5cad',
          width: 2,
          fill: 'rgba(11, 92, 173, 0.08)',
          spanGaps: false,
          ...(stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
        },
      ],
    };
    const u = new uPlot(opts, [[], []], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [label, unit, height, stepped, zone]);

  useEffect(() => {
    const u = plot.current;
    if (u === null) return;
    u.batch(() => {
      u.setData([data.xs.map((x) => x / 1000), [...data.ys]], false);
      // Setting x re-ranges the y scale to the data as well.
      u.setScale('x', { min: window.from / 1000, max: window.to / 1000 });
    });
  }, [data, window.from, window.to, label, unit, height, stepped]);

  return <div ref={box} class="uplot-box" aria-hidden="true" />;
}

export default LineChart;
