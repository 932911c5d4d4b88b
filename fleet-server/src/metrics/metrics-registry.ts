/**
 * A tiny Prometheus registry in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Hand-written because prom-client
 * is not a dependency of this repository; it covers counters, gauges and histograms with labels.
 */
export type Labels = Readonly<Record<string, string>>;

type Kind = 'counter' | 'gauge' | 'histogram';

interface Family {
  name: string;
  help: string;
  kind: Kind;
  render(): string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Label values escape backslash, double quote and newline (exposition format §"Text format details"). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** A labelled value family (counter or gauge): one series per distinct label set. */
class ValueFamily implements Family {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string, readonly kind: 'counter' | 'gauge') {}

  protected entry(labels: Labels): { labels: Labels; value: number } {
    const key = formatLabels(labels);
    let e = this.series.get(key);
    if (e === undefined) {
      e = { labels: { ...labels }, value: 0 };
      this.series.set(key, e);
    }
    return e;
  }

  get(labels: Labels = {}): number {
    return this.series.get(formatLabels(labels))?.value ?? 0;
  }

  render(): string[] {
    return [...this.series.values()].map((e) => `${this.name}${formatLabels(e.labels)} ${formatNumber(e.value)}`);
  }
}

export class Counter extends ValueFamily {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`counter ${this.name}: cannot decrease (by ${by})`);
    this.entry(labels).value += by;
  }
}

export class Gauge extends ValueFamily {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.entry(labels).value = value;
  }
}

/** Cumulative buckets (`le`), plus _sum and _count, as Prometheus histograms expect. */
export class Histogram implements Family {
  readonly kind = 'histogram';
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, private readonly buckets: readonly number[]) {
    if (buckets.some((b, i) => i > 0 && b <= (buckets[i - 1] ?? -Infinity))) {
      throw new RangeError(`histogram ${name}: buckets must increase`);
    }
  }

  observe(value: number, labels: Labels = {}): void {
    const key = formatLabels(labels);
    let e = this.series.get(key);
    if (e === undefined) {
      e = { labels: { ...labels }, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, e);
    }
    this.buckets.forEach((b, i) => {
      if (value <= b && e !== undefined) e.counts[i] = (e.counts[i] ?? 0) + 1;
    });
    e.sum += value;
    e.count += 1;
  }

  render(): string[] {
    const lines: string[] = [];
    for (const e of this.series.values()) {
      this.buckets.forEach((b, i) => {
        lines.push(`${this.name}_bucket${formatLabels({ ...e.labels, le: formatNumber(b) })} ${e.counts[i] ?? 0}`);
      });
      lines.push(`${this.name}_bucket${formatLabels({ ...e.labels, le: '+Inf' })} ${e.count}`);
      lines.push(`${this.name}_sum${formatLabels(e.labels)} ${formatNumber(e.sum)}`);
      lines.push(`${this.name}_count${formatLabels(e.labels)} ${e.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  private register<F extends Family>(family: F): F {
    if (!NAME.test(family.name)) throw new RangeError(`invalid metric name "${family.name}"`);
    if (this.families.has(family.name)) throw new RangeError(`metric "${family.name}" registered twice`);
    this.families.set(family.name, family);
    return family;
  }

  counter(name: string, help: string): Counter {
    return this.register(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.register(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, buckets));
  }

  /** The whole registry in text format (Content-Type: text/plain; version=0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.kind}`, ...f.render());
    }
    return `${lines.join('\n')}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
