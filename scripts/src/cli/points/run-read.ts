import { durationMs } from '@edgefleet/device-profiles';
import { parseBusTarget, parseDuration, parseUnit } from '../bus/bus-options.js';
import type { BusCliOptions } from '../bus/bus-options.js';
import { busFailure, openTransport } from '../bus/open-transport.js';
import { paletteFor } from '../colour.js';
import { loadRegistry, requireProfile } from '../profile/load-registry.js';
import { formatTable } from '../profile/format-table.js';
import { readPoints } from '../points/read-points.js';
import type { PointReading } from '../points/read-points.js';
import { selectPoints } from '../points/select-points.js';

/** Silence between requests on a serial line, on top of the profile's minRequestGap (well above t3.5 at 1200 baud). */
const RTU_GAP_MS = 35;

export interface ReadCliOptions extends BusCliOptions {
  unit?: string;
  profile?: string;
  points?: string;
  watch?: string;
  raw?: boolean;
  timeout?: string;
  profiles?: string[];
  json?: boolean;
}

export async function runRead(opts: ReadCliOptions): Promise<void> {
  const unit = parseUnit(opts.unit);
  const target = parseBusTarget(opts);
  const profile = requireProfile(loadRegistry(opts.profiles), opts.profile);
  const points = selectPoints(profile, opts.points);
  const watchMs = opts.watch === undefined ? undefined : parseDuration(opts.watch, '--watch');
  const timeoutMs = opts.timeout === undefined ? durationMs(profile.transport.responseTimeout) : parseDuration(opts.timeout, '--timeout');
  const gapMs = durationMs(profile.transport.minRequestGap) + (target.kind === 'rtu' ? RTU_GAP_MS : 0);
  const transport = await openTransport(target);
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  try {
    for (;;) {
      const { readings, failure } = await readPoints({ transport, profile, unit, points, timeoutMs, gapMs });
      print(readings, opts, watchMs !== undefined);
      if (watchMs === undefined) {
        if (failure) throw busFailure(failure, `unit ${unit}: ${readings.filter((r) => r.quality !== 'good').length} of ${readings.length} point(s) not read`);
        return;
      }
      if (stopped) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, watchMs);
      });
      if (stopped) return;
    }
  } finally {
    process.removeListener('SIGINT', stop);
    await transport.close();
  }
}

function print(readings: PointReading[], opts: ReadCliOptions, watching: boolean): void {
  const shown = opts.raw ? readings : readings.map(({ raw: _raw, ...rest }) => rest);
  if (opts.json) {
    process.stdout.write(watching ? `${JSON.stringify(shown)}\n` : `${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const palette = paletteFor();
  const headers = ['point', 'value', 'quality', ...(opts.raw ? ['raw'] : [])];
  const rows = readings.map((r) => [
    r.point,
    r.text,
    r.quality === 'good' ? (r.outOfRange ? 'good (out of range)' : 'good') : `comm-fail ${r.error ?? ''}`.trim(),
    ...(opts.raw ? [(r.raw ?? []).map((w) => `0x${w.toString(16).padStart(4, '0')}`).join(',')] : []),
  ]);
  const lines = formatTable(headers, rows).trimEnd().split('\n');
  const coloured = lines.map((line, i) => {
    const r = readings[i - 1];
    if (!r) return line;
    return r.quality !== 'good' ? palette.red(line) : r.outOfRange ? palette.yellow(line) : line;
  });
  if (watching) process.stdout.write(palette.dim(new Date().toISOString()) + '\n');
  process.stdout.write(`${coloured.join('\n')}\n`);
}
