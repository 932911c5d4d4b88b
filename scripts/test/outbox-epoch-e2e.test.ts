import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { hashSecret, serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import type { RunningServer } from '@edgefleet/fleet-server';
import type { AlarmEvent } from '@edgefleet/protocol';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';

const GW = 'epoch-gw';
const SECRET = 'epoch-e2e-secret-value';
const RULE = 'entrapment-alarm';
const silent = pino({ level: 'silent' });

/** Resolves with the next alarm event of the rule that the server stores for the first time. */
function storedAlarm(server: RunningServer, state: AlarmEvent['state']): Promise<AlarmEvent> {
  return new Promise((resolve) => {
    const stop = server.ingest.listen({
      onEvents: (gatewayId, events) => {
        const hit = events.find((e): e is AlarmEvent => gatewayId === GW && e.type === 'alarm' && e.rule === RULE && e.state === state);
        if (!hit) return;
        stop();
        resolve(hit);
      },
    });
  });
}

/** Resolves once the server has stored `count` telemetry messages of the gateway. */
function storedTelemetry(server: RunningServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    let stored = 0;
    const stop = server.ingest.listen({
      onMessage: (gatewayId, channel, outcome) => {
        if (gatewayId !== GW || channel !== 'telemetry' || !outcome.ok || ++stored < count) return;
        stop();
        resolve();
      },
    });
  });
}

/** `promise`, or a rejection naming what never happened: a dropped item shows as a wait that never ends. */
async function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` (a store read) until it holds, at most `ms` (generous: a loaded CI box is slow, not wrong): the alert engine works after the ingest. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The gateway's outbox file is lost between two runs (deleted here; moved aside as corrupt in the
 * field). The new file numbers its rows from 1 again: without the outbox epoch the server took
 * them for duplicates of the old file's rows and dropped them, the alarm included.
 */
describe('sim → gateway → fleet server: the outbox file is lost between runs', () => {
  it('stores the new outbox file\'s readings and alarm although their seqs repeat the old file\'s', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-epoch-e2e-'));
    const registry = new ProfileRegistry(loadBuiltinProfiles());
    const site = await SimSite.start(
      SiteConfig.parse({
        name: 'epoch-e2e', tick: '100ms',
        transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
        devices: [{ id: 'lift-1', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 7 }],
      }),
      { profile: (id) => registry.get(id) },
    );
    const server = await startServer(
      serverConfigSchema.parse({
        dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
        sites: [{ id: 'tower-a', name: 'Tower A', timezone: 'Europe/Berlin' }],
        gateways: [{ id: GW, site: 'tower-a', secretHash: await hashSecret(SECRET, { N: 1024, r: 8, p: 1 }) }],
      }),
      { logger: silent },
    );
    let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
    try {
      const tcp = site.endpoints()[0] as { port: number };
      await writeFile(path.join(dir, 'credentials.yaml'), `username: ${GW}\npassword: ${SECRET}\n`, { mode: 0o600 });
      const configFile = path.join(dir, 'gateway.yaml');
      await writeFile(configFile, `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${server.brokerPort}", credentialsFile: credentials.yaml }
dataDir: data
log: { level: silent }
# 2 s: the sim answers in ms; three 500 ms timeouts in a starved process would take lift-1 offline, adding events that shift the seqs compared below
buses: [{ id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcp.port}, timeout: 2s }]
devices:
  - { id: lift-1, bus: tcp-a, unit: 7, profile: liftronic-lmi-200 }
polling: { fast: 50ms, normal: 100ms, slow: 200ms, snapshot: 1s }
`);
      const config = await loadGatewayConfig(configFile, registry);

      // Run 1: readings, then an entrapment raised and cleared.
      let telemetry = storedTelemetry(server, 3);
      gateway = await startGateway(config, { registry, logger: silent });
      await within(telemetry, 'run 1 telemetry');
      let raised = storedAlarm(server, 'raise');
      site.injectFault('lift-1', 'entrapment');
      const firstRaise = await within(raised, 'run 1 alarm raise');
      const cleared = storedAlarm(server, 'clear');
      site.clearFault('lift-1', 'entrapment');
      // The sim runs in real time: the car creeps 1.4 m to the floor (~5 s), then the rule's
      // clearFor is 5 s, so the clear takes ~10.1 s here. 15 s left too little for a loaded CI
      // box (it timed out once under a full parallel run); this only bounds a hang.
      await within(cleared, 'run 1 alarm clear', 40_000);
      await eventually(async () => (await server.store.listOpenAlerts(GW)).length === 0, 'the first alert resolved');
      await gateway.stop();
      gateway = undefined;
      const run1 = await server.store.events({ gateway: GW });
      const run1MaxSeq = Math.max(...run1.map((e) => e.seq));

      // The outbox file is lost (with its WAL): the next start creates a new one.
      for (const suffix of ['', '-wal', '-shm']) await rm(`${config.outbox.path}${suffix}`, { force: true });

      // Run 2: its seqs start at 1 again.
      const restartedAt = Date.now();
      telemetry = storedTelemetry(server, 3);
      gateway = await startGateway(config, { registry, logger: silent });
      await within(telemetry, 'run 2 telemetry (dropped as duplicates?)');
      raised = storedAlarm(server, 'raise');
      site.injectFault('lift-1', 'entrapment');
      const secondRaise = await within(raised, 'run 2 alarm raise stored as new (dropped as a duplicate?)');
      // The collision the epoch resolves: the new alarm's seq was already used by the old file.
      expect(secondRaise.seq).toBeLessThanOrEqual(run1MaxSeq);
      await eventually(async () => (await server.store.listOpenAlerts(GW)).some((a) => a.rule === RULE), 'an open alert for the second entrapment');

      const events = await server.store.events({ gateway: GW });
      const raises = events.filter((e) => e.event.type === 'alarm' && e.event.rule === RULE && e.event.state === 'raise');
      expect(raises.map((e) => e.seq)).toEqual([firstRaise.seq, secondRaise.seq]);
      const [epoch1, epoch2] = raises.map((e) => e.epoch);
      expect(epoch1).toBeGreaterThan(0);
      expect(epoch2).toBeGreaterThan(epoch1 ?? 0);
      // Readings: telemetry seq 1 (whichever point it was) is stored once per outbox file.
      const latest = await server.store.latestValues(GW, 'lift-1');
      expect(latest.some((v) => v.ts >= restartedAt)).toBe(true);
      const seqOne: { ts: number }[] = [];
      for (const { point } of latest) {
        const rows = await server.store.telemetry({ gateway: GW, device: 'lift-1', point, from: 0, to: Number.MAX_SAFE_INTEGER, limit: 10_000 });
        seqOne.push(...rows.filter((r) => r.seq === 1));
      }
      expect(seqOne.sort((a, b) => a.ts - b.ts).map((r) => r.ts >= restartedAt)).toEqual([false, true]);
      const metrics = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
      expect(metrics).not.toMatch(new RegExp(`edgefleet_ingest_items_duplicate_total\\{[^}]*gateway="${GW}"[^}]*\\} [1-9]`));
    } finally {
      await gateway?.stop();
      await server.stop();
      await site.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
