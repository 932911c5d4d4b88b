import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { parseTopic } from '@edgefleet/protocol';
import { loadGatewayConfig } from '../../src/config/load-gateway-config.js';
import { startGateway, type RunningGateway } from '../../src/main.js';
import { freePort, TestBroker, waitFor } from '../uplink/test-broker.js';

const registry = new ProfileRegistry(loadBuiltinProfiles());
const GW = 'bound-gw';

let dir: string;
let site: SimSite;
let gateway: RunningGateway | undefined;
let broker: TestBroker | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gw-bound-'));
  site = await SimSite.start(
    SiteConfig.parse({
      name: 'bound',
      tick: '50ms',
      transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
      devices: [
        { id: 'park-1', profile: 'parksense-pgc-128', transport: 'tcp-a', unit: 1 },
        { id: 'cab-1', profile: 'semaforo-tsc-8', transport: 'tcp-a', unit: 5 },
      ],
    }),
    { profile: (id) => registry.get(id) },
  );
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await broker?.close();
  await site?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('outbox bound exceeded during an uplink outage', () => {
  it('drops telemetry oldest first, counts it in health, keeps every event and delivers them when the broker returns', async () => {
    const port = await freePort();
    const tcp = site.endpoints()[0] as { port: number };
    const file = path.join(dir, 'gateway.yaml');
    await writeFile(
      file,
      `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${port}" }
dataDir: data
log: { level: error }
outbox: { maxSize: 48KB, maxAge: 1d }
buses: [{ id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcp.port}, timeout: 500ms }]
devices:
  - { id: park-1, bus: tcp-a, unit: 1, profile: parksense-pgc-128 }
  - { id: cab-1, bus: tcp-a, unit: 5, profile: semaforo-tsc-8 }
polling: { fast: 20ms, normal: 20ms, slow: 50ms, snapshot: 200ms }
`,
    );
    gateway = await startGateway(await loadGatewayConfig(file, registry), { registry });
    const g = gateway;
    // No broker on that port: everything stays in the outbox. Conflict faults raise and clear alarms meanwhile.
    const alarms = (): number => g.outbox.peek('events', 10_000).filter((r) => 'type' in r.item && r.item.type === 'alarm').length;
    let raised = 0;
    while (g.health().outbox.telemetry.dropped === 0 || raised < 3) {
      site.injectFault('cab-1', 'conflict-fault');
      await waitUntil(() => alarms() === raised * 2 + 1);
      site.clearFault('cab-1', 'conflict-fault');
      raised += 1;
      await waitUntil(() => alarms() === raised * 2);
    }
    const health = g.health();
    expect(health.outbox.telemetry.dropped).toBeGreaterThan(0);
    expect(health.outbox.bytes).toBeLessThanOrEqual(health.outbox.maxBytes);
    const eventsBefore = g.outbox.peek('events', 10_000).map((r) => r.seq);
    expect(eventsBefore).toEqual(Array.from({ length: eventsBefore.length }, (_, i) => i + 1));

    broker = await TestBroker.start(port);
    const b = broker;
    const delivered = (): number[] =>
      b.published.filter((p) => parseTopic(p.topic)?.channel === 'events').flatMap((p) => (JSON.parse(p.payload) as { items: { seq: number }[] }).items.map((i) => i.seq));
    await waitFor(() => eventsBefore.every((seq) => delivered().includes(seq)), b.broker as unknown as NodeJS.EventEmitter, 'publish', 20_000, 'every stored event delivered');
    expect(delivered().slice(0, eventsBefore.length)).toEqual(eventsBefore);
  }, 90_000);
});

/** Resolves when `check` holds, re-checked after every outbox commit. */
function waitUntil(check: () => boolean, ms = 20_000): Promise<void> {
  const outbox = gateway!.outbox;
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      off();
      const types = outbox.peek('events', 100).map((r) => ('type' in r.item ? `${r.item.type}:${'rule' in r.item ? r.item.rule : ''}` : '?'));
      reject(new Error(`condition not met in ${ms} ms; events: ${types.join(', ')}; dropped ${outbox.stats().telemetry.dropped}`));
    }, ms);
    const off = outbox.onAppend(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
