import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { parseTopic } from '@edgefleet/protocol';

const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const registry = new ProfileRegistry(loadBuiltinProfiles());
const GW = 'kill-gw';
const ROUNDS = 4;

let dir: string;
let site: SimSite;
let broker: Aedes;
let server: net.Server;
let port: number;
/** Every (stream, seq) the broker routed, in arrival order. */
const received: Record<'events' | 'telemetry', number[]> = { events: [], telemetry: [] };
let onMessage: () => void = () => undefined;

function startGateway(configFile: string): ChildProcess {
  return spawn(process.execPath, [FLEET, 'gateway', '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Resolves once `count` more telemetry items have arrived (the gateway is mid-stream). */
function moreTelemetry(count: number, ms = 30_000): Promise<void> {
  const target = received.telemetry.length + count;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.telemetry.length}/${target} telemetry items after ${ms} ms`)), ms);
    onMessage = () => {
      if (received.telemetry.length < target) return;
      clearTimeout(timer);
      onMessage = () => undefined;
      resolve();
    };
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gw-kill-'));
  site = await SimSite.start(
    SiteConfig.parse({
      name: 'kill',
      tick: '100ms',
      transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
      devices: [
        { id: 'park-1', profile: 'parksense-pgc-128', transport: 'tcp-a', unit: 1 },
        { id: 'cab-1', profile: 'semaforo-tsc-8', transport: 'tcp-a', unit: 5 },
        { id: 'lift-1', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 7 },
      ],
    }),
    { profile: (id) => registry.get(id) },
  );
  broker = await Aedes.createBroker();
  (broker as unknown as NodeJS.EventEmitter).on('error', () => undefined);
  broker.subscribe(
    `fleet/v1/gw/${GW}/#`,
    (packet, done) => {
      const channel = parseTopic(packet.topic)?.channel;
      if (channel === 'telemetry' || channel === 'events') {
        const body = JSON.parse(packet.payload.toString()) as { items: { seq: number }[] };
        received[channel].push(...body.items.map((i) => i.seq));
        onMessage();
      }
      done();
    },
    () => undefined,
  );
  server = net.createServer((socket) => broker.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
}, 30_000);

afterAll(async () => {
  await site?.stop();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('gateway process killed with SIGKILL mid-stream, repeatedly', () => {
  it('loses nothing acknowledged, leaves no sequence gap and keeps the outbox intact', async () => {
    const tcp = site.endpoints()[0] as { port: number };
    const configFile = path.join(dir, 'gateway.yaml');
    await writeFile(
      configFile,
      `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${port}" }
dataDir: data
log: { level: warn }
buses: [{ id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcp.port}, timeout: 500ms }]
devices:
  - { id: park-1, bus: tcp-a, unit: 1, profile: parksense-pgc-128 }
  - { id: cab-1, bus: tcp-a, unit: 5, profile: semaforo-tsc-8 }
  - { id: lift-1, bus: tcp-a, unit: 7, profile: liftronic-lmi-200 }
polling: { fast: 50ms, normal: 100ms, slow: 200ms, snapshot: 1s }
`,
    );
    for (let round = 1; round <= ROUNDS; round++) {
      // Faults coming and going make alarm events, so the event stream is exercised too.
      if (round % 2 === 1) site.injectFault('cab-1', 'conflict-fault');
      else site.clearFault('cab-1', 'conflict-fault');
      const child = startGateway(configFile);
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      await moreTelemetry(200).catch((err: Error) => {
        throw new Error(`${err.message}; gateway stderr: ${stderr}`);
      });
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    // A last, clean run drains whatever the killed ones left behind.
    const last = startGateway(configFile);
    await moreTelemetry(200);
    last.kill('SIGTERM');
    const [code] = (await once(last, 'exit')) as [number | null];
    expect(code).toBe(0);

    for (const stream of ['telemetry', 'events'] as const) {
      const unique = [...new Set(received[stream])].sort((a, b) => a - b);
      expect(unique.length, `${stream} seqs received`).toBeGreaterThan(0);
      // Seqs 1..max with no hole: every row ever committed reached the broker at least once.
      expect(unique[0]).toBe(1);
      expect(unique[unique.length - 1]).toBe(unique.length);
    }
    const db = new Database(path.join(dir, 'data', 'outbox.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);
});
