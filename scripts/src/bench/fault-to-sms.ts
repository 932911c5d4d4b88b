import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { hashSecret } from '@edgefleet/fleet-server';
import { openOutbox } from '@edgefleet/gateway';
import { startRpcChild } from './child-rpc.js';
import type { RpcChild } from './child-rpc.js';
import { percentile } from './median.js';
import { breakdown } from './srv-f2s-breakdown.js';
import type { LatencyBreakdown } from './srv-f2s-breakdown.js';
import { FAKE_TWILIO_SID, startFakeTwilio } from './srv-fake-twilio.js';
import type { FakeTwilio } from './srv-fake-twilio.js';
import { gatewayReadings } from './srv-ingest-rows.js';
import type { Benchmark, BenchResult } from './types.js';

const LIFTS = 20;
const PER_ENDPOINT = 10;
const FAST_POLL_MS = 1_000;
/** Readings left in the outbox by an "outage" before phase 2 (~40 MB of rows). */
const BACKLOG = 300_000;
/** Phase 2 injects a fault every BACKLOG_GAP_MS (+ jitter) without waiting for the previous SMS. */
const BACKLOG_GAP_MS = 400;
const SMS_TIMEOUT_MS = 20_000;
const TARGET_MS = 2_000;
const GW = 'gw-f2s';
const PHONE = '+15550000001';
const SERVER = new URL('./srv-server-child.ts', import.meta.url);
const GATEWAY = new URL('./srv-gateway-child.ts', import.meta.url);
const liftId = (i: number): string => `lift-${String(i + 1).padStart(2, '0')}`;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([work, sleep(ms, undefined, { ref: false }).then(() => Promise.reject(new Error(`fault-to-sms: no ${what} within ${ms} ms`)))]);
}

function gatewayYaml(ports: readonly number[], brokerPort: number): string {
  return `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${brokerPort}", credentialsFile: credentials.yaml }
dataDir: data
outbox: { maxSize: 1GB }
log: { level: error }
buses:
${ports.map((port, b) => `  - { id: tcp-${b + 1}, kind: tcp, host: 127.0.0.1, port: ${port}, timeout: 500ms, maxConcurrent: 2 }`).join('\n')}
devices:
${Array.from({ length: LIFTS }, (_, i) => `  - { id: ${liftId(i)}, bus: tcp-${Math.floor(i / PER_ENDPOINT) + 1}, unit: ${(i % PER_ENDPOINT) + 1}, profile: liftronic-lmi-200 }`).join('\n')}
polling: { fast: ${FAST_POLL_MS}ms, normal: 10s, slow: 60s }
`;
}

interface Sample { lift: string; rule: string; ms: number; injectedAt: number; providerAt: number; backlogAtInjection?: number; parts?: LatencyBreakdown }

/** Wall-clock ms with performance.now's resolution (the other processes stamp Date.now()). */
const wall = (t: number): number => performance.timeOrigin + t;

/**
 * Injects overtravel on `lift` (the sim rewrites its registers inside injectFault) and resolves
 * with the time until the fake provider received the SMS naming that lift and the overtravel
 * alarm. Overtravel trips two rules: overtravel-top/bottom (no debounce: measured) and
 * safety-circuit-open (1 s debounce: its SMS is ignored here).
 */
function faultToSms(site: SimSite, fake: FakeTwilio, lift: string, side: 'top' | 'bottom'): Promise<Sample> {
  const t0 = performance.now();
  site.injectFault(lift, 'overtravel', { side });
  const request = fake.next((r) => r.at >= t0 && r.body.includes(`${lift}:`) && r.body.includes('Car pa'));
  return withTimeout(request, SMS_TIMEOUT_MS, `SMS for ${lift}`).then((r) => ({
    lift, rule: `overtravel-${side}`, ms: r.at - t0, injectedAt: wall(t0), providerAt: wall(r.at),
  }));
}

/** Phase 1: one fault at a time, each on its own lift (a rule raised and cleared repeatedly would be held back as flapping). */
async function livePhase(site: SimSite, fake: FakeTwilio): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < LIFTS; i++) {
    // Random phase against the 1 s poll cycle: the wait for the next read is part of the latency.
    await sleep(Math.random() * FAST_POLL_MS);
    samples.push(await faultToSms(site, fake, liftId(i), 'top'));
    site.clearFault(liftId(i), 'overtravel');
  }
  return samples;
}

/** Phase 2: the gateway restarts with BACKLOG readings queued; faults come while it drains them. */
async function backlogPhase(site: SimSite, fake: FakeTwilio, gateway: RpcChild): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  for (let i = 0; i < LIFTS; i++) {
    await sleep(BACKLOG_GAP_MS + Math.random() * FAST_POLL_MS);
    const lift = liftId(i);
    const sms = faultToSms(site, fake, lift, 'bottom');
    const depth = gateway.request({ outbox: true }).then((s) => (s.telemetry as { depth: number }).depth);
    pending.push(Promise.all([sms, depth]).then(([sample, backlogAtInjection]) => ({ ...sample, backlogAtInjection })));
  }
  const samples = await Promise.all(pending);
  for (let i = 0; i < LIFTS; i++) site.clearFault(liftId(i), 'overtravel');
  return samples;
}

/** What an uplink outage leaves behind: BACKLOG lift readings in the gateway's outbox file. */
function prefillOutbox(file: string): void {
  const outbox = openOutbox({ path: file, maxBytes: 2 ** 30, maxAgeMs: 7 * 86_400_000 });
  const shift = Date.now() - 3_600_000 - 1_790_000_000_000;
  for (let k = 0; k < BACKLOG; k += 500) {
    outbox.enqueueTelemetry(gatewayReadings(k, 500).map(({ seq: _seq, ...r }) => ({ ...r, ts: r.ts + shift })));
  }
  outbox.flush();
  outbox.close();
}

/** Median of each part of the latency over the samples the server's database could explain. */
function medianParts(samples: readonly Sample[]): Record<keyof LatencyBreakdown, number> | undefined {
  const parts = samples.flatMap((s) => (s.parts ? [s.parts] : []));
  if (parts.length === 0) return undefined;
  const of = (k: keyof LatencyBreakdown): number => Math.round(percentile(parts.map((p) => p[k]), 50));
  return { toRead: of('toRead'), toStored: of('toStored'), toQueued: of('toQueued'), toProvider: of('toProvider') };
}

function result(name: string, samples: readonly Sample[], what: string, extra: Record<string, unknown>): BenchResult {
  const ms = samples.map((s) => s.ms);
  const p50 = percentile(ms, 50);
  const p99 = percentile(ms, 99);
  return {
    name,
    figure: p99,
    unit: `ms p99, register change → provider request (p50 ${p50.toFixed(0)} ms, n=${ms.length}, ${what})`,
    baseline: FAST_POLL_MS,
    baselineUnit: 'ms fast poll interval',
    ratio: p99 / FAST_POLL_MS,
    target: `p99 <= ${TARGET_MS} ms`,
    ok: p99 <= TARGET_MS,
    details: { p50, p99, min: Math.min(...ms), max: Math.max(...ms), medianBreakdownMs: medianParts(samples), ...extra, samples },
  };
}

/**
 * Register change in the simulated lift → SMS request at a fake Twilio: sim (this process, Modbus
 * TCP) → real gateway (own process, 1 s fast poll, edge alarm rules, outbox, MQTT) → fleet
 * server (own process: aedes, ingest, alert engine, SMS sender). Phase 2 repeats it while the
 * gateway drains a 300k-reading backlog.
 */
export const faultToSmsBench: Benchmark = {
  name: 'fault-to-sms',
  description: `latency from a register change in the sim (overtravel, an alarm without debounce) to the fake SMS provider's request, ${LIFTS} faults; gateway (1 s fast poll) and server in their own processes; again while the gateway drains a ${BACKLOG / 1000}k-reading backlog`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-f2s-'));
    const registry = new ProfileRegistry(loadBuiltinProfiles());
    const fake = await startFakeTwilio();
    const site = await SimSite.start(
      SiteConfig.parse({
        name: 'f2s', tick: '100ms',
        transports: [{ id: 'tcp-1', kind: 'tcp', port: 0 }, { id: 'tcp-2', kind: 'tcp', port: 0 }],
        devices: Array.from({ length: LIFTS }, (_, i) => ({ id: liftId(i), profile: 'liftronic-lmi-200', transport: `tcp-${Math.floor(i / PER_ENDPOINT) + 1}`, unit: (i % PER_ENDPOINT) + 1 })),
      }),
      { profile: (id) => registry.get(id) },
    );
    const secret = 'fault-to-sms-bench-secret';
    const serverFile = path.join(dir, 'server.json');
    await writeFile(serverFile, JSON.stringify({
      dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
      // Short names leave room in the 160-character SMS for the fault text the sample is matched on.
      sites: [{ id: 'tower', name: 'T', timezone: 'UTC', contacts: [{ id: 'c-1', name: 'On call', phone: PHONE }], escalation: { steps: [{ contacts: ['c-1'], afterMs: 0 }] } }],
      gateways: [{ id: GW, site: 'tower', secretHash: await hashSecret(secret) }],
      sms: { kind: 'twilio', baseUrl: fake.url, accountSid: FAKE_TWILIO_SID, authToken: 'token', from: '+15559999999' },
      alerts: { publicBaseUrl: 'http://e.io', ackSecret: 'a-bench-ack-secret-of-32-chars!!' },
      log: { level: 'error' },
    }));
    let server: RpcChild | undefined;
    let gateway: RpcChild | undefined;
    try {
      server = await startRpcChild(SERVER, [serverFile]);
      const ports = site.endpoints().map((e) => (e.kind === 'tcp' ? e.port : 0));
      await writeFile(path.join(dir, 'credentials.yaml'), `username: ${GW}\npassword: ${secret}\n`, { mode: 0o600 });
      const gatewayFile = path.join(dir, 'gateway.yaml');
      await writeFile(gatewayFile, gatewayYaml(ports, Number(server.ready.brokerPort)));
      gateway = await startRpcChild(GATEWAY, [gatewayFile]);
      // Telemetry stored means the whole chain is up and the alarm rules have seen a first cycle.
      await withTimeout(server.request({ expectTelemetryMessages: 2 }), 30_000, 'telemetry from the gateway');
      await Promise.all([gateway.request({ loopDelay: true }), server.request({ loopDelay: true })]);
      const live = await livePhase(site, fake);
      const liveLoopDelay = { gateway: await gateway.request({ loopDelay: true }), server: await server.request({ loopDelay: true }) };

      await gateway.stop();
      gateway = undefined;
      const t0 = performance.now();
      prefillOutbox(path.join(dir, 'data', 'outbox.sqlite'));
      const prefillMs = performance.now() - t0;
      const handled = Number((await server.request({ expectTelemetryMessages: 0 })).handled);
      gateway = await startRpcChild(GATEWAY, [gatewayFile]);
      // The first backlog batch stored: the drain is under way.
      await withTimeout(server.request({ expectTelemetryMessages: handled + 1 }), 30_000, 'backlog telemetry');
      await Promise.all([gateway.request({ loopDelay: true }), server.request({ loopDelay: true })]);
      const backlog = await backlogPhase(site, fake, gateway);
      const backlogLoopDelay = { gateway: await gateway.request({ loopDelay: true }), server: await server.request({ loopDelay: true }) };
      const depthAtEnd = (await gateway.request({ outbox: true })).telemetry as { depth: number };
      const explained = breakdown(path.join(dir, 'server', 'edgefleet.sqlite'), GW, [...live, ...backlog]);
      [...live, ...backlog].forEach((sample, i) => {
        const parts = explained[i];
        if (parts) sample.parts = parts;
      });
      const depths = backlog.map((s) => s.backlogAtInjection ?? 0);
      const common = { lifts: LIFTS, fastPollMs: FAST_POLL_MS, fault: 'overtravel (rule overtravel-top/-bottom: no "for" debounce)', smsProvider: 'twilio-compatible fake, answers 201 at once', modbus: 'TCP (2 endpoints × 10 units)' };
      return [
        result('fault-to-sms', live, 'one fault at a time', { ...common, loopDelayMs: liveLoopDelay }),
        result('fault-to-sms-backlog', backlog, `gateway draining a ${BACKLOG / 1000}k-reading backlog`, {
          ...common, loopDelayMs: backlogLoopDelay, backlogReadings: BACKLOG, prefillMs: Math.round(prefillMs), minBacklogAtInjection: Math.min(...depths),
          faultsWithBacklogQueued: depths.filter((d) => d > 0).length, backlogLeftAtEnd: depthAtEnd.depth,
        }),
      ];
    } finally {
      await gateway?.stop();
      await server?.stop();
      await site.stop();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
