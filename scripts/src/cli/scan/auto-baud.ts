import { setTimeout as delay } from 'node:timers/promises';
import { PARITIES, STANDARD_BAUDS, defaultStopBits } from '../bus/bus-options.js';
import { RtuRawBus } from '../bus/rtu-raw-bus.js';
import { defaultRtuProbeTimeoutMs, identifyTimeoutMs } from './scan-timing.js';
import { probeUnit } from './scan-bus.js';
import type { ScanProgress } from './scan-bus.js';

export interface FoundSettings {
  bus: RtuRawBus;
  probeTimeoutMs: number;
  /** Index in `units` of the first unit that answered; the ids before it are absent at these settings. */
  index: number;
  probeException?: number;
  /** Settings tried before these, in order. */
  tried: string[];
}

/**
 * --baud auto: each standard baud rate × parity in turn (common rates first, even parity first as
 * Modbus over Serial Line v1.02 §2.5.1 makes it the default), probing the ids until one answers
 * with a valid reply. A wrong rate or parity turns a request into noise the device drops (or
 * answers with noise, which fails the CRC), so the first valid reply settles it, even a late one.
 */
export async function findLineSettings(opts: {
  path: string;
  dataBits: 7 | 8;
  units: readonly number[];
  probeTimeoutMs?: number;
  onProgress?: (progress: ScanProgress) => void;
}): Promise<FoundSettings | undefined> {
  const tried: string[] = [];
  for (const baud of STANDARD_BAUDS) {
    for (const parity of PARITIES) {
      const bus = await RtuRawBus.open({ path: opts.path, baud, parity, dataBits: opts.dataBits, stopBits: defaultStopBits(parity) });
      const probeTimeoutMs = opts.probeTimeoutMs ?? defaultRtuProbeTimeoutMs(bus.timing);
      const phase = `${baud} ${parity}`;
      try {
        for (const [index, unit] of opts.units.entries()) {
          const probe = await probeUnit(bus, unit, probeTimeoutMs);
          opts.onProgress?.({ done: index + 1, total: opts.units.length, found: 0, unit, phase });
          if (probe.result === 'present') {
            return { bus, probeTimeoutMs, index, tried, ...(probe.exception === undefined ? {} : { probeException: probe.exception }) };
          }
        }
        const late = await lateUnit(bus, opts.units, probeTimeoutMs);
        if (late !== undefined) return { bus, probeTimeoutMs, tried, ...late };
      } catch (err) {
        await bus.close();
        throw err;
      }
      tried.push(phase);
      await bus.close();
    }
  }
  return undefined;
}

/**
 * A valid reply that came after its probe's timeout (a busy host, a slow adapter) still proves
 * these settings right: a device at another rate or parity sends nothing a CRC accepts. Without
 * this, --baud auto at its ~40 ms default timeout moved on and reported the next parity that the
 * line cannot tell apart (a USB adapter or PTY that ignores parity). Listens one more timeout for
 * a reply to the last probe, then probes the first late unit again with the identification timeout.
 */
async function lateUnit(bus: RtuRawBus, units: readonly number[], probeTimeoutMs: number): Promise<{ index: number; probeException?: number } | undefined> {
  if (bus.lateUnits.size === 0) await delay(probeTimeoutMs);
  const index = units.findIndex((u) => bus.lateUnits.has(u));
  const unit = units[index];
  if (unit === undefined) return undefined;
  const probe = await probeUnit(bus, unit, identifyTimeoutMs(probeTimeoutMs));
  if (probe.result !== 'present') return undefined;
  return { index, ...(probe.exception === undefined ? {} : { probeException: probe.exception }) };
}
