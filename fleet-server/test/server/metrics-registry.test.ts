import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';

describe('MetricsRegistry text exposition', () => {
  it('renders HELP, TYPE and labelled series, escaping label values', () => {
    const registry = new MetricsRegistry();
    const rejects = registry.counter('rejects_total', 'Rejected messages');
    rejects.inc({ gateway: 'gw-a', reason: 'json' });
    rejects.inc({ reason: 'json', gateway: 'gw-a' }, 2);
    rejects.inc({ gateway: 'a"b\\c\nd', reason: 'schema' });
    registry.gauge('clients', 'Connected clients').set(3);
    expect(registry.render()).toBe(
      [
        '# HELP rejects_total Rejected messages',
        '# TYPE rejects_total counter',
        'rejects_total{gateway="gw-a",reason="json"} 3',
        'rejects_total{gateway="a\\"b\\\\c\\nd",reason="schema"} 1',
        '# HELP clients Connected clients',
        '# TYPE clients gauge',
        'clients 3',
        '',
      ].join('\n'),
    );
  });

  it('renders cumulative histogram buckets with +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const h = registry.histogram('latency_seconds', 'Latency', [0.1, 1]);
    for (const v of [0.05, 0.5, 0.5, 2]) h.observe(v, { channel: 'telemetry' });
    expect(registry.render().split('\n').slice(2, 7)).toEqual([
      'latency_seconds_bucket{channel="telemetry",le="0.1"} 1',
      'latency_seconds_bucket{channel="telemetry",le="1"} 3',
      'latency_seconds_bucket{channel="telemetry",le="+Inf"} 4',
      'latency_seconds_sum{channel="telemetry"} 3.05',
      'latency_seconds_count{channel="telemetry"} 4',
    ]);
  });

  it('refuses bad names, duplicate names, decreasing counters and unordered buckets', () => {
    const registry = new MetricsRegistry();
    registry.counter('a_total', 'a');
    expect(() => registry.counter('a_total', 'again')).toThrow(/registered twice/);
    expect(() => registry.gauge('1bad', 'x')).toThrow(/invalid metric name/);
    expect(() => registry.counter('b_total', 'b').inc({}, -1)).toThrow(/cannot decrease/);
    expect(() => registry.histogram('h', 'h', [1, 1])).toThrow(/buckets must increase/);
  });
});
