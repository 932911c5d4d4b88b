import {
  evaluateAlarms,
  formatValue,
  initialAlarmState,
  type AlarmState,
  type PointValue,
  type Profile,
  type Reading,
} from '@edgefleet/device-profiles';
import { SimSite, buildControlApi, exampleSiteFile, loadSiteFile, type SiteEndpoint } from '@edgefleet/firmware-sim';
import { loadProfileRegistry } from '../sim/profile-registry.js';
import { describeEndpoints, exampleReads } from '../sim/describe-site.js';
import { HEADLINE_POINTS } from './headlines.js';
import { ModbusReader, type Endpoint } from './modbus-reader.js';

export interface DemoOptions {
  /** Stop after this many polling rounds (default: run until Ctrl-C). */
  rounds?: number;
  intervalMs: number;
  /** Inject a fault partway through so the alarm path shows (default on). */
  faults: boolean;
  write: (line: string) => void;
}

/** A scripted fault: at round `at` the demo injects it, at `clearAt` clears it. */
const SCENARIO = [
  { at: 3, clearAt: 25, device: 'lift-a', fault: 'entrapment', why: 'lift-a stops between floors with a passenger inside' },
  { at: 6, clearAt: 14, device: 'signal-5th-main', fault: 'door-open', why: 'someone opens the signal cabinet door' },
] as const;

/**
 * `npm start` (fleet demo): runs the example site, reads every device over real Modbus (RTU on a
 * paced PTY line, TCP on a free port), decodes with the profiles and runs their alarm rules,
 * printing live values and alarm events. The gateway and fleet server replace the reading side
 * as their issues land.
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const registry = loadProfileRegistry([]);
  const config = await loadSiteFile(exampleSiteFile());
  const site = await SimSite.start(config, { profile: (id) => registry.get(id) });
  const api = buildControlApi(site);
  const readers = new Map<string, ModbusReader>();
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const controlUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    const devices = site.devices();
    opts.write(`EdgeFleet demo: ${config.name}`);
    opts.write(`  ${'control'.padEnd(14)} ${controlUrl}   (try: fleet sim faults lift-a --control ${controlUrl})`);
    for (const line of describeEndpoints(site.endpoints(), devices)) opts.write(line);
    opts.write('Read it yourself with a third-party master:');
    for (const line of exampleReads(site.endpoints(), devices)) opts.write(line);
    for (const e of site.endpoints()) readers.set(e.transport, await ModbusReader.open(toReaderEndpoint(e)));

    const alarmStates = new Map<string, AlarmState>(devices.map((d) => [d.id, initialAlarmState()]));
    for (let round = 1; !stopped && (opts.rounds === undefined || round <= opts.rounds); round++) {
      if (opts.faults) applyScenario(site, round, opts.write);
      opts.write(`-- round ${round}  ${new Date().toISOString()}`);
      for (const d of devices) {
        const profile = registry.get(d.profile);
        const reader = readers.get(d.transport);
        if (!reader) continue;
        const read = await reader.readDevice(d.unit, profile);
        const now = Date.now();
        const readings: Record<string, Reading> = {};
        for (const [id, value] of Object.entries(read.values)) readings[id] = { value, quality: 'good', ts: now };
        const evaluated = evaluateAlarms(profile, alarmStates.get(d.id) ?? initialAlarmState(), readings, now);
        alarmStates.set(d.id, evaluated.state);
        opts.write(`  ${d.id.padEnd(16)} ${headline(profile, read.values)}${read.errors.length ? `  errors: ${read.errors.join('; ')}` : ''}`);
        for (const ev of evaluated.events) {
          opts.write(`  ${ev.kind === 'raise' ? '!! ALARM' : 'ok CLEAR'} ${ev.severity.padEnd(8)} ${d.id} ${ev.rule}: ${ev.message}`);
        }
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    for (const reader of readers.values()) await reader.close();
    await api.close();
    await site.stop();
  }
}

function applyScenario(site: SimSite, round: number, write: (line: string) => void): void {
  for (const step of SCENARIO) {
    if (round === step.at) {
      write(`** injecting fault "${step.fault}" into ${step.device}: ${step.why}`);
      site.injectFault(step.device, step.fault);
    } else if (round === step.clearAt) {
      write(`** clearing fault "${step.fault}" on ${step.device}`);
      site.clearFault(step.device, step.fault);
    }
  }
}

const COUNT_UNITS = new Set(['floor', 'index', 'phase', 'count']);

function headline(profile: Profile, values: Readonly<Record<string, PointValue>>): string {
  return (HEADLINE_POINTS[profile.family] ?? [])
    .map((id) => profile.points.find((p) => p.id === id))
    .filter((p) => p !== undefined)
    .map((p) => {
      const v = values[p.id];
      if (v === undefined) return `${p.id}=?`;
      // "floor=3", not "floor=3 floor": a unit that only repeats the name adds nothing.
      const text = formatValue(p, v);
      return `${p.id}=${p.unit && COUNT_UNITS.has(p.unit) ? text.replace(new RegExp(` ${p.unit}$`), '') : text}`;
    })
    .join('  ');
}

function toReaderEndpoint(e: SiteEndpoint): Endpoint {
  return e.kind === 'tcp' ? { kind: 'tcp', host: e.host, port: e.port } : { kind: 'rtu', path: e.masterPath ?? e.path, baud: e.baud };
}
