// A uPlot line chart sized to its container. Charts are not accessible on their own, so the
// canvas is hidden from assistive tech and every chart comes with a text or table alternative.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  /** Epoch ms. */
  xs: readonly number[];
  ys: readonly (number | null)[];
}

export function LineChart({ data, label, unit, height = 220, stepped = false, xFrom }: { data: Series; label: string; unit?: string | null; height?: number; stepped?: boolean; xFrom?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      // A window starting at xFrom (e.g. midnight) up to the newest reading, at least an hour:
      // one reading alone would otherwise stretch the axis over years.
      scales: { x: xFrom === undefined ? { time: true } : { time: true, range: (_u, _min, max) => [xFrom / 1000, Math.max(max, xFrom / 1000 + 3600)] } },
      axes: [{ stroke: '#4a5866' }, { stroke: '#4a5866', label: unit ?? undefined, size: 60 }],
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
  }, [label, unit, height, stepped, xFrom]);

  useEffect(() => {
    plot.current?.setData([data.xs.map((x) => x / 1000), [...data.ys]]);
  }, [data, label, unit, height, stepped, xFrom]);

  return <div ref={box} class="uplot-box" aria-hidden="true" />;
}

export default LineChart;
