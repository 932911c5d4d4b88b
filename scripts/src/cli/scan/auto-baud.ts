import { PARITIES, STANDARD_BAUDS, defaultStopBits } from '../bus/bus-options.js';
import { RtuRawBus } from '../bus/rtu-raw-bus.js';
import { defaultRtuProbeTimeoutMs } from './scan-timing.js';
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
 * answers with noise, which fails the CRC), so the first valid reply settles it.
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
