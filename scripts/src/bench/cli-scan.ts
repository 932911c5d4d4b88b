import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPtyPair } from '@edgefleet/firmware-sim';
import { startChildServer } from './child-server.js';
import { raiseLinePriority } from './line-priority.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));
const CHILD = new URL('./gw-sim-child.ts', import.meta.url);
const BAUD = 9600;
/** Devices on the line (units 1..UNITS); the other ids stay silent, as on a real bus. */
const UNITS = 4;
const ROUNDS = 3;
const TARGET = 1.2;

interface ScanJson {
  units: Array<{ unit: number }>;
  timing: { elapsedMs: number; lineMinimumMs: number; probeTimeoutMs: number; transactions: number; t35Ms: number; charMs: number };
}

/**
 * `fleet scan` of all 247 unit ids at 9600 baud, the real binary against the paced RTU sim (own
 * process, socat PTY pair), with the scan's default timeout. The figure is the scan's own elapsed
 * time (port open to last reply; the binary's start-up is not the bus's); the baseline is the
 * least the line allows for the very transactions it made: per silent id the request's
 * character time + timeout + t3.5, per answering id each transaction's frames + 2·t3.5.
 */
export const cliScan: Benchmark = {
  name: 'cli-scan',
  description: `fleet scan of unit ids 1-247 at ${BAUD} baud (${UNITS} devices), paced RTU sim in a child, vs the line minimum for the timeout it uses`,
  async run(): Promise<BenchResult[]> {
    const restorePriority = raiseLinePriority();
    const pty = await createPtyPair();
    const scans: ScanJson[] = [];
    try {
      const sim = await startChildServer(CHILD, ['rtu', pty.slavePath, String(BAUD), String(UNITS)]);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const { stdout } = await run(process.execPath, [FLEET, 'scan', '--port', pty.masterPath, '--baud', String(BAUD), '--json'], { maxBuffer: 16 << 20 });
          scans.push(JSON.parse(stdout) as ScanJson);
        }
      } finally {
        await sim.stop();
      }
    } finally {
      await pty.close();
      restorePriority?.();
    }
    const ratios = scans.map((s) => s.timing.elapsedMs / s.timing.lineMinimumMs);
    const ratio = median(ratios);
    const pick = scans[ratios.indexOf(ratio)] ?? scans[0];
    if (!pick) throw new Error('cli-scan: no scan ran');
    const r3 = (n: number): number => Number(n.toFixed(3));
    // A scan that misses a device is no result at all, however fast (a busy host can delay a reply past the timeout).
    const found = scans.map((s) => s.units.map((u) => u.unit));
    const allFound = found.every((units) => units.length === UNITS && units.every((u, i) => u === i + 1));
    return [
      {
        name: 'cli-scan',
        figure: pick.timing.elapsedMs / 1000,
        unit: 's',
        baseline: pick.timing.lineMinimumMs / 1000,
        baselineUnit: 's (line minimum)',
        ratio,
        target: `<= ${TARGET}`,
        ok: ratio <= TARGET && allFound,
        details: {
          baud: BAUD, ids: 247, devices: UNITS, probeTimeoutMs: pick.timing.probeTimeoutMs, t35Ms: pick.timing.t35Ms, charMs: pick.timing.charMs,
          foundUnits: found, transactions: pick.timing.transactions,
          perSilentIdMinimumMs: r3(8 * pick.timing.charMs + pick.timing.probeTimeoutMs + pick.timing.t35Ms),
          elapsedMs: scans.map((s) => s.timing.elapsedMs), lineMinimumMs: scans.map((s) => r3(s.timing.lineMinimumMs)), ratios: ratios.map(r3),
          command: `fleet scan --port PTY --baud ${BAUD} --json`,
          priorityRaised: restorePriority !== undefined,
        },
      },
    ];
  },
};
