import { CliError, EXIT } from '../cli-error.js';
import { describeTarget, parseBusTarget, parseDuration, parseUnitList } from '../bus/bus-options.js';
import type { BusCliOptions, BusTarget } from '../bus/bus-options.js';
import type { RawBus } from '../bus/raw-bus.js';
import { RtuRawBus } from '../bus/rtu-raw-bus.js';
import { TcpRawBus } from '../bus/tcp-raw-bus.js';
import { paletteFor } from '../colour.js';
import { loadRegistry } from '../profile/load-registry.js';
import { createProgressBar } from '../progress-bar.js';
import { findLineSettings } from '../scan/auto-baud.js';
import { formatScan } from '../scan/format-scan.js';
import type { ScanReport } from '../scan/format-scan.js';
import { identify, scanBus } from '../scan/scan-bus.js';
import type { ScanOptions, ScanOutcome } from '../scan/scan-bus.js';
import { DEFAULT_TCP_PROBE_TIMEOUT_MS, defaultRtuProbeTimeoutMs, identifyTimeoutMs, lineMinimumMs } from '../scan/scan-timing.js';

export interface ScanCliOptions extends BusCliOptions {
  units: string;
  timeout?: string;
  profiles?: string[];
  json?: boolean;
}

export async function runScan(opts: ScanCliOptions): Promise<void> {
  const target = parseBusTarget(opts, true);
  const units = parseUnitList(opts.units);
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
  const profiles = loadRegistry(opts.profiles).list();
  const progress = createProgressBar();
  const onProgress: ScanOptions['onProgress'] = (p) => progress.update(p.done, p.total, `${p.phase ? `${p.phase}: ` : ''}unit ${p.unit}, ${p.found} found`);
  const startedAt = performance.now();
  let bus: RawBus | undefined;
  let settings = target;
  let outcome: ScanOutcome;
  let probeTimeoutMs: number;
  try {
    if (target.kind === 'rtu' && target.baud === 0) {
      const found = await findLineSettings({ path: target.path, dataBits: target.dataBits, units, ...(timeoutMs === undefined ? {} : { probeTimeoutMs: timeoutMs }), onProgress });
      if (!found) throw new CliError(`no unit answered on ${target.path} at any standard baud rate and parity`, EXIT.noResponse, 'check the A/B wiring and termination, and that the devices are powered');
      bus = found.bus;
      probeTimeoutMs = found.probeTimeoutMs;
      settings = { ...target, ...found.bus.settings };
      const scanOpts = scanOptions(units.slice(found.index + 1), probeTimeoutMs, profiles, onProgress);
      const first = await identify(bus, units[found.index] ?? 0, scanOpts, found.probeException);
      outcome = await scanBus(bus, scanOpts, { units: [first], garbled: [] });
    } else {
      bus = target.kind === 'tcp' ? await TcpRawBus.open(target.host, target.port) : await RtuRawBus.open(target);
      probeTimeoutMs = timeoutMs ?? (bus instanceof RtuRawBus ? defaultRtuProbeTimeoutMs(bus.timing) : DEFAULT_TCP_PROBE_TIMEOUT_MS);
      outcome = await scanBus(bus, scanOptions(units, probeTimeoutMs, profiles, onProgress));
    }
  } finally {
    progress.done();
    await bus?.close();
  }
  const elapsedMs = performance.now() - startedAt;
  const report: ScanReport = {
    bus: busJson(settings),
    units: outcome.units,
    garbled: outcome.garbled,
    timing: {
      elapsedMs: Number(elapsedMs.toFixed(1)),
      probes: units.length,
      probeTimeoutMs,
      transactions: bus.transactions.length,
      ...(bus instanceof RtuRawBus
        ? { charMs: round(bus.timing.charMs), t35Ms: round(bus.timing.t35Ms), lineMinimumMs: round(lineMinimumMs(bus.transactions, bus.timing)) }
        : {}),
    },
  };
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatScan(report, paletteFor()));
  if (outcome.units.length === 0) throw new CliError(`no unit answered on ${describeTarget(settings)} (ids ${opts.units})`, EXIT.noResponse, 'check wiring, baud rate and parity (try --baud auto), or raise --timeout');
}

function scanOptions(units: readonly number[], probeTimeoutMs: number, profiles: ScanOptions['profiles'], onProgress: ScanOptions['onProgress']): ScanOptions {
  return { units, probeTimeoutMs, identifyTimeoutMs: identifyTimeoutMs(probeTimeoutMs), profiles, ...(onProgress ? { onProgress } : {}) };
}

function busJson(target: BusTarget): Record<string, unknown> {
  if (target.kind === 'tcp') return { kind: 'tcp', host: `${target.host}:${target.port}` };
  return { kind: 'rtu', port: target.path, baud: target.baud, parity: target.parity, dataBits: target.dataBits, stopBits: target.stopBits };
}

function round(n: number): number {
  return Number(n.toFixed(3));
}
