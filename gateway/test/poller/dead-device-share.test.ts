import { afterEach, describe, expect, it } from 'vitest';
import { Profile } from '@edgefleet/device-profiles';
import { startSimGateway } from './sim-gateway.js';

/** A small device polled as fast as the line allows: one 4-register read per cycle. */
const tiny = Profile.parse({
  version: 1, id: 'tiny', vendor: 'Test', model: 'Tiny', family: 'generic', source: 'test fixture',
  transport: { responseTimeout: '100ms' },
  points: [0, 1, 2, 3].map((a) => ({ id: `r${a}`, name: `R${a}`, table: 'holding', address: a, type: 'uint16', poll: 'fast' })),
});

const LIVE = Array.from({ length: 7 }, (_, i) => ({ id: `live-${i + 1}`, unit: i + 1, profile: tiny }));
const DEAD = { id: 'dead-8', unit: 8, profile: tiny };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Gateway = Awaited<ReturnType<typeof startSimGateway>>;

async function start(devices: typeof LIVE): Promise<Gateway> {
  const gw = await startSimGateway({
    kind: 'rtu',
    devices,
    extraProfiles: [tiny],
    timeout: '100ms',
    // Every device asks for a poll every 20 ms, more than the line gives: the bus is saturated,
    // so any bus time the dead device takes comes straight out of the others' rate.
    polling: { fast: '20ms', offlineAfter: 3 },
  });
  stops.push(gw.stop);
  return gw;
}

const livePolls = (gw: Gateway): number => gw.poller.deviceHealth().filter((h) => h.id.startsWith('live-')).reduce((n, h) => n + h.polls, 0);

describe('one dead device among 8 on an RTU bus', () => {
  it("keeps the others' poll rate at ≥ 90% of their rate without it", async () => {
    // Two identical buses side by side, one with the dead device: measured over the same
    // seconds, host load (other test files, other processes) hits both alike.
    const without = await start(LIVE);
    const withDead = await start([...LIVE, DEAD]);
    withDead.site.injectFault(DEAD.id, 'timeout');
    await Promise.all([without.poller.start(), withDead.poller.start()]);
    await withDead.collector.until(() => withDead.collector.events.some((e) => e.type === 'device' && e.device === DEAD.id && e.state === 'offline'));

    // From the offline verdict on: the dead device gets only its probes (1 s, then 2 s, ...).
    const a0 = livePolls(without);
    const b0 = livePolls(withDead);
    await sleep(6_000);
    const a = livePolls(without) - a0;
    const b = livePolls(withDead) - b0;
    const ratio = b / a;
    const share = withDead.poller.busHealth()[0]!.probeShare ?? 0;
    console.log(`live polls in 6 s: ${a} without the dead device, ${b} with it; ratio ${ratio.toFixed(3)}; probe share of bus time ${(share * 100).toFixed(1)} %`);
    expect(a).toBeGreaterThan(100);
    expect(ratio).toBeGreaterThanOrEqual(0.9);
    expect(withDead.poller.deviceHealth().find((h) => h.id === DEAD.id)?.state).toBe('offline');
    // Three timeouts to declare it offline, then a probe at 1 s and 3 s: bounded, not per poll.
    expect(withDead.site.truth(DEAD.id).stats.silent).toBeLessThanOrEqual(6);
  }, 30_000);
});
