import { createPtyPair, lineTiming } from '@edgefleet/firmware-sim';
import type { RtuSimStats } from '@edgefleet/firmware-sim';
import { startChildServer } from './child-server.js';
import { median } from './median.js';
import { measureRtuTransactionMs } from './raw-rtu-master.js';
import type { Benchmark, BenchResult } from './types.js';
import { raiseLinePriority } from './line-priority.js';

const BAUDS = [9600, 115200] as const;
const REGISTERS = [1, 10, 125] as const;
/** Bus time per round; a round is a mean over consecutive transactions. */
const ROUND_MS = 1000;
const MIN_TRANSACTIONS = 10;
const MAX_TRANSACTIONS = 200;
/** Fewer rounds for the slowest case (309 ms a transaction) keep the benchmark under a minute. */
const roundsFor = (theoreticalMs: number): number => (theoreticalMs > 100 ? 3 : 5);
const TOLERANCE = 0.02;
const CHILD = new URL('./rtu-sim-child.ts', import.meta.url);
async function measureCase(baud: number, registers: number, priorityRaised: boolean): Promise<BenchResult> {
  const reqBytes = 8;
  const respBytes = 5 + 2 * registers;
  const timing = lineTiming(baud);
  const theoretical = timing.transactionMs(reqBytes, respBytes);
  let simStats: RtuSimStats | undefined;
  const transactions = Math.max(MIN_TRANSACTIONS, Math.min(MAX_TRANSACTIONS, Math.round(ROUND_MS / theoretical)));
  const pty = await createPtyPair();
  try {
    // The simulator runs in its own process, as `fleet sim` runs beside a gateway.
    const sim = await startChildServer(CHILD, [pty.slavePath, String(baud)]);
    const roundMeans: number[] = [];
    try {
      for (let round = 0; round < roundsFor(theoretical); round++) {
        roundMeans.push(await measureRtuTransactionMs({ path: pty.masterPath, baud, unit: 1, registers, transactions }));
      }
    } finally {
      simStats = (await sim.stop())?.stats as RtuSimStats | undefined;
    }
    // A host stall (other processes on a shared machine) inflates one round; the median ignores it.
    const measured = median(roundMeans);
    const ratio = measured / theoretical;
    return {
      name: `sim-rtu-pacing/${baud}/N=${registers}`,
      figure: measured,
      unit: 'ms',
      baseline: theoretical,
      baselineUnit: 'ms',
      ratio,
      target: 'within 2%',
      ok: Math.abs(ratio - 1) <= TOLERANCE,
      details: {
        baud, registers, reqBytes, respBytes, bitsPerChar: 11, t35Ms: timing.t35Ms, turnaroundMs: 0,
        transactionsPerRound: transactions,
        roundMeansMs: roundMeans.map((m) => Number(m.toFixed(3))),
        meanAllRoundsMs: Number((roundMeans.reduce((a, b) => a + b, 0) / roundMeans.length).toFixed(3)),
        simLateReplies: simStats?.lateReplies,
        simMaxLateMs: simStats === undefined ? undefined : Number(simStats.maxLateMs.toFixed(3)),
        priorityRaised,
      },
    };
  } finally {
    await pty.close();
  }
}

/**
 * The RTU simulator's paced transaction time, measured by a lean master over a socat PTY pair,
 * against the theoretical line time: frames of 11-bit characters plus two t3.5 silences. Figure:
 * the median over rounds of the mean transaction time of each round.
 */
export const simRtuPacing: Benchmark = {
  name: 'sim-rtu-pacing',
  description: 'paced RTU FC03 transaction time over a PTY vs theoretical line time, 9600 and 115200 baud, N = 1, 10, 125',
  async run(): Promise<BenchResult[]> {
    const restorePriority = raiseLinePriority();
    const results: BenchResult[] = [];
    try {
      for (const baud of BAUDS) for (const registers of REGISTERS) results.push(await measureCase(baud, registers, restorePriority !== undefined));
    } finally {
      restorePriority?.();
    }
    return results;
  },
};
