import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { topicFor, type GatewayStatus } from '@edgefleet/protocol';
import { loadGatewayConfig } from '../../src/config/load-gateway-config.js';
import { AppliedConfigStore } from '../../src/config-sync/applied-config-store.js';
import { startGateway, type RunningGateway } from '../../src/main.js';
import { TestBroker, waitFor } from '../uplink/test-broker.js';

/**
 * A gateway told to stop while it applies a pushed config (the demo's SIGINT in the middle of
 * `fleet gateway`'s post-apply watch) must stop at once, flush, say "offline", and leave
 * nothing running: no settle timer, no "rollback" that reopens ports after the stop.
 */
const registry = new ProfileRegistry(loadBuiltinProfiles());
const GW = 'stop-gw';
// So long that a stop waiting on the watch, or a watch left running, cannot pass by luck.
const SETTLE_MS = 10 * 60_000;

let dir: string;
let site: SimSite;
let broker: TestBroker;
let gateway: RunningGateway | undefined;
let client: mqtt.MqttClient;
const seen: { topic: string; body: unknown }[] = [];
const arrivals = new EventEmitter();

const bodies = <T>(channel: string): T[] => seen.filter((m) => m.topic === topicFor(GW, channel as never)).map((m) => m.body as T);
const until = (test: () => boolean, what: string): Promise<void> => waitFor(test, arrivals, 'message', 20_000, what);
const healthLists = (id: string): boolean => bodies<{ devices: { id: string; state: string }[] }>('health').some((h) => h.devices.some((d) => d.id === id && d.state === 'online'));
const eventCodes = (): string[] => bodies<{ items: { code?: string }[] }>('events').flatMap((e) => e.items.map((i) => i.code ?? ''));

beforeEach(async () => {
  seen.length = 0;
  dir = await mkdtemp(path.join(os.tmpdir(), 'gw-stop-'));
  site = await SimSite.start(
    SiteConfig.parse({
      name: 'stop',
      transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
      devices: [
        { id: 'lift-a', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 1 },
        { id: 'lift-b', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 2 },
      ],
    }),
    { profile: (id) => registry.get(id), autoTick: false },
  );
  broker = await TestBroker.start();
  client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'stop-observer' });
  client.on('message', (topic, payload) => {
    if (payload.length > 0) seen.push({ topic, body: JSON.parse(payload.toString()) });
    arrivals.emit('message');
  });
  await client.subscribeAsync(`fleet/v1/gw/${GW}/#`, { qos: 1 });
  const file = path.join(dir, 'gateway.yaml');
  await writeFile(
    file,
    `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${broker.port}" }
dataDir: data
log: { level: warn }
health: { interval: 200ms }
buses:
  - { id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcpPort()}, timeout: 500ms }
devices:
  - { id: lift-a, bus: tcp-a, unit: 1, profile: liftronic-lmi-200 }
polling: { fast: 200ms, normal: 400ms, slow: 800ms, snapshot: 5s }
`,
  );
  gateway = await startGateway(await loadGatewayConfig(file, registry), { registry, settleMs: SETTLE_MS });
  await until(() => healthLists('lift-a'), 'lift-a online before the push');
}, 60_000);

afterEach(async () => {
  await gateway?.stop();
  await client?.endAsync();
  await broker?.close();
  await site?.stop();
  await rm(dir, { recursive: true, force: true });
});

function tcpPort(): number {
  const tcp = site.endpoints().find((e) => e.kind === 'tcp');
  if (tcp?.kind !== 'tcp') throw new Error('sim TCP endpoint missing');
  return tcp.port;
}

async function pushConfig(version: number, devices: { id: string; unit: number }[], fast = '200ms'): Promise<void> {
  const desired = {
    v: 1,
    version,
    issuedAt: Date.now(),
    config: {
      buses: [{ id: 'tcp-a', kind: 'tcp', host: '127.0.0.1', port: tcpPort(), timeout: '500ms' }],
      devices: devices.map((d) => ({ ...d, bus: 'tcp-a', profile: 'liftronic-lmi-200' })),
      polling: { fast, normal: '400ms', slow: '800ms' },
    },
  };
  await client.publishAsync(topicFor(GW, 'config'), JSON.stringify(desired), { qos: 1, retain: true });
}

async function expectStoppedCleanly(running: RunningGateway): Promise<void> {
  // Resolving at all proves it: the watch it interrupted had SETTLE_MS (10 min) to run, the test 30 s.
  await running.stop();
  gateway = undefined;
  // The apply in flight ended before stop() resolved: its watch (and timer) did not outlive the stop.
  expect(running.downlink.stats().configs).toMatchObject({ received: 1, interrupted: 1, applied: 0, rejected: 0 });
  expect(running.runtime.current(), 'no poller after stop').toBeUndefined();
  // A late rollback would land here; it is refused instead of reopening ports.
  await expect(running.runtime.apply({ buses: [], devices: [], polling: { fast: '1s', normal: '1s', slow: '1s', snapshot: '1m', offlineAfter: 3, maxProbeInterval: '1m' }, schedules: [] } as never)).rejects.toMatchObject({ code: 'RUNTIME_STOPPED' });
  expect(running.configVersion(), 'an interrupted apply is not applied').toBe(0);
  expect(new AppliedConfigStore(path.join(dir, 'data')).load().desired, 'nothing persisted').toBeUndefined();
  // Neither applied nor rejected nor rolled back: the retained config is applied at the next start.
  expect(eventCodes().filter((c) => c.startsWith('CONFIG_'))).toEqual([]);
  await until(() => bodies<GatewayStatus>('status').some((s) => s.state === 'offline' && s.reason === 'shutdown'), 'offline status (shutdown)');
}

describe('gateway stop during a pushed config apply', () => {
  it('stops at once during the post-apply watch (device-only change), without a rollback', async () => {
    const running = gateway!;
    await pushConfig(2, [
      { id: 'lift-a', unit: 1 },
      { id: 'lift-b', unit: 2 },
    ]);
    // lift-b polled and online: the runtime applied v2 and the applier is inside its settle watch.
    await until(() => healthLists('lift-b'), 'lift-b online under the pushed config');
    expect(running.configVersion()).toBe(0);
    await expectStoppedCleanly(running);
  }, 30_000);

  it('stops at once during the watch after a rebuild (polling change), without a rollback', async () => {
    const running = gateway!;
    const before = running.runtime.current();
    await pushConfig(3, [{ id: 'lift-a', unit: 1 }], '300ms');
    await until(() => running.runtime.current() !== before && healthLists('lift-a'), 'the rebuilt poller reporting');
    await expectStoppedCleanly(running);
  }, 30_000);
});
