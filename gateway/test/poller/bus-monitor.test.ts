import { describe, expect, it } from 'vitest';
import { BusMonitor } from '../../src/poller/bus-monitor.js';
import type { NewEvent } from '../../src/outbox/outbox-types.js';

type Step =
  | ['open', string, number]
  | ['answer', string, number]
  | ['transport', 'up' | 'down', number]
  | ['tick', number];

/** Runs the steps; returns events as short strings ("bus down", "dev a offline"). */
function run(devices: string[], steps: Step[], windowMs = 1_000): string[] {
  const m = new BusMonitor('line', windowMs);
  m.setDevices(devices);
  const out: NewEvent[] = [];
  for (const step of steps) {
    if (step[0] === 'open') out.push(...m.deviceOpened(step[1], step[2]));
    else if (step[0] === 'answer') out.push(...m.deviceAnswered(step[1], step[2]));
    else if (step[0] === 'transport') out.push(...m.transportState(step[1], step[2], 'port lost'));
    else out.push(...m.tick(step[1]));
  }
  return out.map((e) => (e.type === 'bus' ? `bus ${e.state}@${e.ts}` : e.type === 'device' ? `${e.device} ${e.state}@${e.ts}` : e.type));
}

describe('BusMonitor: dead device or dead bus', () => {
  it.each<{ name: string; devices: string[]; steps: Step[]; events: string[] }>([
    {
      name: 'one device dead, another answers: that device is offline',
      devices: ['a', 'b'], steps: [['open', 'a', 10], ['answer', 'b', 20]], events: ['a offline@20'],
    },
    {
      name: 'every device dead: one bus-down, no device events',
      devices: ['a', 'b', 'c'], steps: [['open', 'a', 10], ['open', 'b', 11], ['open', 'c', 12], ['tick', 5_000]], events: ['bus down@12'],
    },
    {
      name: 'bus back: bus up, and a device still dead is offline once its window passes',
      devices: ['a', 'b'],
      steps: [['open', 'a', 10], ['open', 'b', 11], ['answer', 'b', 100], ['tick', 500], ['tick', 1_100]],
      events: ['bus down@11', 'bus up@100', 'a offline@1100'],
    },
    {
      name: 'bus back and the other device answers within the window: no device events at all',
      devices: ['a', 'b'],
      steps: [['open', 'a', 10], ['open', 'b', 11], ['answer', 'b', 100], ['answer', 'a', 300], ['tick', 2_000]],
      events: ['bus down@11', 'bus up@100'],
    },
    {
      name: 'nobody else polled within the window: offline after it',
      devices: ['a', 'b'], steps: [['open', 'a', 10], ['tick', 500], ['tick', 1_010]], events: ['a offline@1010'],
    },
    {
      name: 'a lone device cannot tell: it is offline at once',
      devices: ['a'], steps: [['open', 'a', 10]], events: ['a offline@10'],
    },
    {
      name: 'an offline device that answers again is online',
      devices: ['a', 'b'], steps: [['open', 'a', 10], ['answer', 'b', 20], ['answer', 'a', 30]], events: ['a offline@20', 'a online@30'],
    },
    {
      name: 'transport down is bus down at once; up again waits for an answer',
      devices: ['a', 'b'],
      steps: [['transport', 'down', 5], ['open', 'a', 10], ['transport', 'up', 50], ['answer', 'b', 60], ['tick', 1_100]],
      events: ['bus down@5', 'bus up@60', 'a offline@1100'],
    },
    {
      name: 'a device announced before the bus went down comes back online after it',
      devices: ['a', 'b'],
      steps: [['open', 'a', 10], ['answer', 'b', 20], ['open', 'b', 30], ['answer', 'a', 40]],
      events: ['a offline@20', 'bus down@30', 'bus up@40', 'a online@40'],
    },
  ])('$name', ({ devices, steps, events }) => {
    expect(run(devices, steps)).toEqual(events);
  });

  it('tells listeners when the bus comes back up', () => {
    const m = new BusMonitor('line', 1_000);
    m.setDevices(['a', 'b']);
    let ups = 0;
    m.onUp(() => ups++);
    m.deviceOpened('a', 1);
    m.deviceOpened('b', 2);
    m.deviceAnswered('a', 3);
    m.deviceAnswered('b', 4);
    expect(ups).toBe(1);
    expect(m.isDown).toBe(false);
  });
});
