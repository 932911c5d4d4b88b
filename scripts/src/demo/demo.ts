import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatValue, type PointValue, type Profile } from '@edgefleet/device-profiles';
import { SimSite, buildControlApi, exampleSiteFile, loadSiteFile } from '@edgefleet/firmware-sim';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';
import { EventBatch, parseTopic, TelemetryBatch, type WireValue } from '@edgefleet/protocol';
import { loadProfileRegistry } from '../sim/profile-registry.js';
import { describeEndpoints, exampleReads } from '../sim/describe-site.js';
import { startDemoBroker } from './demo-broker.js';
import { demoGatewayYaml } from './demo-gateway-config.js';
import { HEADLINE_POINTS } from './headlines.js';

export interface DemoOptions {
  /** Stop after this many rounds of printed values (default: run until Ctrl-C). */
  rounds?: number;
  intervalMs: number;
  /** Inject scripted faults so the alarm path shows (default on). */
  faults: boolean;
  write: (line: string) => void;
}

const GATEWAY_ID = 'demo-gw';

/** A scripted fault: at round `at` the demo injects it, at `clearAt` clears it. */
const SCENARIO = [
  { at: 2, clearAt: 40, device: 'lift-a', fault: 'entrapment', why: 'lift-a stops between floors with a passenger inside' },
  { at: 4, clearAt: 12, device: 'signal-5th-main', fault: 'door-open', why: 'someone opens the signal cabinet door' },
] as const;

/**
 * `npm start` (fleet demo): the chain as far as it is built — a simulated site (RTU on a paced
 * PTY line, TCP on a free port) → the real gateway (scheduler, poller, edge alarms, SQLite
 * outbox, MQTT uplink) → an embedded MQTT broker, whose messages the demo prints: live values,
 * and alarm events with the time from the fault to the event reaching the broker.
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const registry = loadProfileRegistry([]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-demo-'));
  const site = await SimSite.start(await loadSiteFile(exampleSiteFile()), { profile: (id) => registry.get(id) });
  const api = buildControlApi(site);
  const broker = await startDemoBroker();
  const view = new DemoView(opts.write);
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const controlUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    const devices = site.devices();
    opts.write(`EdgeFleet demo: ${site.config.name}`);
    opts.write(`  ${'sim control'.padEnd(14)} ${controlUrl}   (try: fleet sim faults lift-a --control ${controlUrl})`);
    for (const line of describeEndpoints(site.endpoints(), devices)) opts.write(line);
    opts.write(`  ${'mqtt broker'.padEnd(14)} mqtt://127.0.0.1:${broker.port}   (gateway "${GATEWAY_ID}" publishes under fleet/v1/gw/${GATEWAY_ID}/)`);
    opts.write('Read the devices yourself with a third-party master:');
    for (const line of exampleReads(site.endpoints(), devices)) opts.write(line);

    await broker.subscribe(`fleet/v1/gw/${GATEWAY_ID}/#`, (topic, payload) => view.onMessage(topic, payload));
    const configFile = path.join(dir, 'gateway.yaml');
    await writeFile(configFile, demoGatewayYaml(GATEWAY_ID, broker.port, site.endpoints(), devices));
    gateway = await startGateway(await loadGatewayConfig(configFile, registry), { registry });
    // Round 1 waits until every device has reported, so the first table is complete.
    await view.untilReported(devices.map((d) => ({ id: d.id, profile: registry.get(d.profile) })), 15_000);

    for (let round = 1; !stopped && (opts.rounds === undefined || round <= opts.rounds); round++) {
      if (opts.faults) applyScenario(site, view, round, opts.write);
      opts.write(`-- round ${round}  ${new Date().toISOString()}`);
      for (const d of devices) opts.write(`  ${d.id.padEnd(16)} ${view.headline(d.id, registry.get(d.profile))}`);
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await gateway?.stop();
    await broker.close();
    await api.close();
    await site.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function applyScenario(site: SimSite, view: DemoView, round: number, write: (line: string) => void): void {
  for (const step of SCENARIO) {
    if (round === step.at) {
      write(`** injecting fault "${step.fault}" into ${step.device}: ${step.why}`);
      site.injectFault(step.device, step.fault);
      view.faultInjected(step.device);
    } else if (round === step.clearAt) {
      write(`** clearing fault "${step.fault}" on ${step.device}`);
      site.clearFault(step.device, step.fault);
    }
  }
}

/** What the broker has seen, for printing: latest values per device and alarm events as they come. */
class DemoView {
  private readonly latest = new Map<string, Map<string, WireValue>>();
  private readonly injectedAt = new Map<string, number>();
  private waiter: (() => void) | undefined;

  constructor(private readonly write: (line: string) => void) {}

  onMessage(topic: string, payload: Buffer): void {
    const channel = parseTopic(topic)?.channel;
    const body: unknown = JSON.parse(payload.toString());
    if (channel === 'telemetry') {
      const batch = TelemetryBatch.safeParse(body);
      if (!batch.success) return;
      for (const r of batch.data.items) {
        const points = this.latest.get(r.device) ?? new Map<string, WireValue>();
        points.set(r.point, r.quality === 'good' ? r.value : null);
        this.latest.set(r.device, points);
      }
      this.waiter?.();
    } else if (channel === 'events') {
      const batch = EventBatch.safeParse(body);
      if (!batch.success) return;
      for (const e of batch.data.items) {
        if (e.type === 'alarm') {
          const since = this.injectedAt.get(e.device);
          const latency = e.state === 'raise' && since !== undefined ? `  (${((Date.now() - since) / 1000).toFixed(1)} s after the fault)` : '';
          this.write(`  ${e.state === 'raise' ? '!! ALARM' : 'ok CLEAR'} ${e.severity.padEnd(8)} ${e.device} ${e.rule}: ${e.message}${latency}`);
        } else if (e.type === 'device' || e.type === 'bus') {
          this.write(`  .. ${e.type} ${'device' in e ? e.device : e.bus} ${e.state}${e.reason ? `: ${e.reason}` : ''}`);
        }
      }
    }
  }

  faultInjected(device: string): void {
    this.injectedAt.set(device, Date.now());
  }

  /** Resolves when every device has reported its headline points (or after ms, printing what is missing). */
  untilReported(devices: readonly { id: string; profile: Profile }[], ms: number): Promise<void> {
    const complete = (): boolean => devices.every((d) => HEADLINE_POINTS[d.profile.family].every((p) => this.latest.get(d.id)?.has(p)));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = () => {
        if (!complete()) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      this.waiter();
    });
  }

  headline(deviceId: string, profile: Profile): string {
    const values = this.latest.get(deviceId);
    return HEADLINE_POINTS[profile.family]
      .map((id) => profile.points.find((p) => p.id === id))
      .filter((p) => p !== undefined)
      .map((p) => {
        const v = values?.get(p.id);
        if (v === undefined) return `${p.id}=?`;
        if (v === null) return `${p.id}=— (comm-fail)`;
        // "floor=3", not "floor=3 floor": a unit that only repeats the name adds nothing.
        const text = formatValue(p, v as PointValue);
        return `${p.id}=${p.unit && COUNT_UNITS.has(p.unit) ? text.replace(new RegExp(` ${p.unit}$`), '') : text}`;
      })
      .join('  ');
  }
}

const COUNT_UNITS = new Set(['floor', 'index', 'phase', 'count']);
