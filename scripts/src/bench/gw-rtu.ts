import { createPtyPair, lineTiming } from '@edgefleet/firmware-sim';
import type { RtuSimStats } from '@edgefleet/firmware-sim';
import type { Bus } from '@edgefleet/protocol';
import { RtuTransport } from '../../../gateway/src/modbus/index.js';
import { startChildServer } from './child-server.js';
import { MBPOLL_MIN_POLL_MS, runMbpoll } from './gw-mbpoll.js';
import type { MbpollRun } from './gw-mbpoll.js';
import { benchPollProfile, measureGatewayPolling } from './gw-poll-rig.js';
import type { TransportTiming } from './gw-poll-rig.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';
import { raiseLinePriority } from './line-priority.js';

const BAUDS = [9600, 115200] as const;
const REGISTERS = 10;
/** Devices on the line: with several, a ready job always waits when the line frees. */
const UNITS = 4;
const REQ_BYTES = 8;
const RESP_BYTES = 5 + 2 * REGISTERS;
const WARMUP_MS = 300;
/** Window per round (≈ 45 transactions at 9600, ≈ 180 at 115200) and rounds per master. */
const windowFor = (baud: number): number => (baud < 19200 ? 2000 : 1200);
const ROUNDS = 4;
const TARGET = 0.9;
const CHILD = new URL('./gw-sim-child.ts', import.meta.url);
/** Request frames the slave saw in [from, to], per second. */
function slaveSideRate(arrivals: readonly number[], from: number, to: number): number {
  return (arrivals.filter((t) => t >= from && t <= to).length * 1000) / (to - from);
}

interface Window {
  fromEpochMs: number;
  toEpochMs: number;
}

async function measureBaud(baud: number, priorityRaised: boolean): Promise<BenchResult> {
  const timing = lineTiming(baud);
  const theoreticalMs = timing.transactionMs(REQ_BYTES, RESP_BYTES, 0);
  const theoretical = 1000 / theoreticalMs;
  const profile = benchPollProfile(REGISTERS);
  const windowMs = windowFor(baud);
  const pty = await createPtyPair();
  const gateway: Array<{ rate: number; errors: Record<string, number>; timing: TransportTiming } & Window> = [];
  const mbpoll: MbpollRun[] = [];
  let arrivals: number[] = [];
  let simStats: RtuSimStats | undefined;
  try {
    const sim = await startChildServer(CHILD, ['rtu', pty.slavePath, String(baud), String(UNITS)]);
    try {
      const bus: Bus = { id: 'rtu-bench', kind: 'rtu', path: pty.masterPath, baud, parity: 'none', dataBits: 8, stopBits: 2, timeout: '1s', gap: '0ms' };
      const runGateway = async (): Promise<void> => {
        // A fresh transport each round: mbpoll needs the master end of the PTY to itself in between.
        const transport = new RtuTransport({ busId: bus.id, path: pty.masterPath, baud, parity: 'none', dataBits: 8, stopBits: 2 });
        await transport.open();
        try {
          const w = await measureGatewayPolling({ bus, transport, profile, units: UNITS, warmupMs: WARMUP_MS, windowMs });
          gateway.push({ rate: (w.transactions * 1000) / w.elapsedMs, errors: w.errors, timing: w.timing, fromEpochMs: w.fromEpochMs, toEpochMs: w.toEpochMs });
        } finally {
          await transport.close();
        }
      };
      const runPeer = async (): Promise<void> => {
        mbpoll.push(await runMbpoll({ path: pty.masterPath, baud, units: UNITS, registers: REGISTERS, warmupMs: WARMUP_MS, windowMs, drainQuietMs: 2 * theoreticalMs + 20 }));
      };
      for (let round = 0; round < ROUNDS; round++) {
        // ABBA: neither master always runs right after the other.
        if (round % 2 === 0) await runGateway();
        await runPeer();
        if (round % 2 === 1) await runGateway();
      }
    } finally {
      const last = await sim.stop();
      arrivals = (last?.arrivals as number[] | undefined) ?? [];
      simStats = last?.stats as RtuSimStats | undefined;
    }
  } finally {
    await pty.close();
  }
  const figure = median(gateway.map((g) => g.rate));
  const ratio = figure / theoretical;
  const readMs = median(gateway.map((g) => g.timing.readMs));
  const gapMs = median(gateway.map((g) => g.timing.gapMs));
  // mbpoll as the slave saw it. It sleeps MBPOLL_MIN_POLL_MS after each read, which also covers
  // the closing t3.5, so its cycle minus the sleep is its request→reply→processing time: the
  // counterpart of the gateway's transport read time.
  const mbpollRates = mbpoll.map((m) => slaveSideRate(arrivals, m.fromEpochMs, m.toEpochMs));
  const mbpollRate = median(mbpollRates);
  const mbpollReadMs = 1000 / mbpollRate - MBPOLL_MIN_POLL_MS;
  const idealReadMs = timing.frameMs(REQ_BYTES + RESP_BYTES) + timing.t35Ms;
  // Host latency of the PTY path (socat, two context switches each way) as a C master sees it:
  // the gateway pays it on top of its t3.5, since it times the silence from when it *receives*
  // the reply (Serial Line v1.02 §2.5.1.1 asks for t3.5 on the wire, so that is the safe side).
  const ptyLatencyMs = mbpollReadMs - idealReadMs;
  const gatewayOverheadMs = 1000 / figure - theoreticalMs;
  const r3 = (n: number): number => Number(n.toFixed(3));
  return {
    name: `gw-rtu/${baud}`,
    figure,
    unit: 'tx/s',
    baseline: theoretical,
    baselineUnit: 'tx/s (line limit)',
    ratio,
    target: `>= ${TARGET}`,
    ok: ratio >= TARGET,
    details: {
      baud, registers: REGISTERS, units: UNITS, reqBytes: REQ_BYTES, respBytes: RESP_BYTES, bitsPerChar: 11,
      t35Ms: r3(timing.t35Ms), turnaroundMs: 0, theoreticalMs: r3(theoreticalMs),
      gatewayMsPerTx: r3(1000 / figure),
      gatewayRates: gateway.map((g) => r3(g.rate)),
      gatewayRatesSlaveSide: gateway.map((g) => r3(slaveSideRate(arrivals, g.fromEpochMs, g.toEpochMs))),
      gatewayErrors: gateway.map((g) => g.errors),
      // Where the gateway's time per transaction goes (medians of round means).
      idealReadMs: r3(idealReadMs),
      gatewayReadMs: r3(readMs),
      idealGapMs: r3(timing.t35Ms),
      gatewayGapMs: r3(gapMs),
      mbpollRates: mbpollRates.map(r3),
      gatewayVsMbpollRate: r3(figure / mbpollRate),
      mbpollPollSleepMs: MBPOLL_MIN_POLL_MS,
      mbpollReadMs: r3(mbpollReadMs),
      gatewayReadVsMbpollRead: r3(readMs / mbpollReadMs),
      gatewayReadWithin10PctOfMbpoll: readMs <= 1.1 * mbpollReadMs,
      ptyLatencyMs: r3(ptyLatencyMs),
      gatewayOverheadMs: r3(gatewayOverheadMs),
      gatewayOwnOverheadMs: r3(gatewayOverheadMs - ptyLatencyMs),
      ratioExcludingPtyLatency: r3(theoreticalMs / (1000 / figure - ptyLatencyMs)),
      mbpollTally: mbpoll.map((m) => ({ received: m.received, errors: m.errors, drainedBytes: m.drainedBytes })),
      simLateReplies: simStats?.lateReplies,
      simMaxLateMs: simStats === undefined ? undefined : r3(simStats.maxLateMs),
      priorityRaised,
    },
  };
}

/**
 * The gateway's RTU transactions/s (Poller → BusScheduler → RtuTransport, counted from the
 * scheduler's stats; sinks only count, no outbox or broker: this is about the bus) against the
 * theoretical line limit — frames of 11-bit characters + 2·t3.5, turnaround 0 (lineTiming) —
 * with the paced RTU sim on a socat PTY pair in a child process. mbpoll polls the same sim in
 * alternating rounds as a reference master; its rate is measured from the slave's side.
 */
export const gwRtu: Benchmark = {
  name: 'gw-rtu',
  description: `gateway RTU FC03 (${REGISTERS} registers, ${UNITS} devices, 1 ms poll) transactions/s vs line limit at 9600 and 115200 baud, paced sim in a child, mbpoll as peer`,
  async run(): Promise<BenchResult[]> {
    const restorePriority = raiseLinePriority();
    const results: BenchResult[] = [];
    try {
      for (const baud of BAUDS) results.push(await measureBaud(baud, restorePriority !== undefined));
    } finally {
      restorePriority?.();
    }
    return results;
  },
};
