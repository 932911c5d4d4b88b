import ModbusRTU from 'modbus-serial';
import type { Bus } from '@edgefleet/protocol';
import { TcpTransport } from '../../../gateway/src/modbus/index.js';
import { startChildServer } from './child-server.js';
import { benchPollProfile, measureGatewayPolling } from './gw-poll-rig.js';
import type { TransportTiming } from './gw-poll-rig.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const REGISTERS = 10;
/**
 * Devices behind the endpoint. Each ticks every 1 ms; a transaction takes ~0.05–0.1 ms, so it
 * takes this many for a ready job always to be queued when a transaction ends (saturation).
 */
const UNITS = 32;
/** Alternating rounds (ABBA) per side; a load swing on a shared machine hits both alike. */
const ROUNDS = 10;
const WINDOW_MS = 1000;
const WARMUP_MS = 200;
const TARGET = 0.9;
const CHILD = new URL('./gw-sim-child.ts', import.meta.url);

type Client = InstanceType<typeof ModbusRTU.default>;

/**
 * The baseline: a bare modbus-serial loop on one connection, one request in flight, the same
 * FC03 reads of the same units in turn; nothing between the reply and the next request.
 */
async function bareLoopRate(client: Client, warmupMs: number, windowMs: number): Promise<number> {
  let unit = 0;
  const readOne = async (): Promise<void> => {
    client.setID((unit++ % UNITS) + 1);
    await client.readHoldingRegisters(0, REGISTERS);
  };
  const warmupEnd = performance.now() + warmupMs;
  while (performance.now() < warmupEnd) await readOne();
  let transactions = 0;
  const start = performance.now();
  const end = start + windowMs;
  while (performance.now() < end) {
    await readOne();
    transactions++;
  }
  return (transactions * 1000) / (performance.now() - start);
}

/**
 * Poll transactions/s of the gateway's polling engine (Poller → BusScheduler → TcpTransport on
 * a bus with maxConcurrent 1, counting sinks, no outbox or broker) vs a bare modbus-serial loop,
 * both on one connection to the same Modbus TCP sim in a child process, in alternating rounds.
 * Figure and baseline are medians of the rounds' rates; target ratio ≥ 0.9.
 */
export const gwTcp: Benchmark = {
  name: 'gw-tcp',
  description: `gateway TCP FC03 (${REGISTERS} registers, ${UNITS} devices, maxConcurrent 1, 1 ms poll) transactions/s vs bare modbus-serial loop, sim in a child`,
  async run(): Promise<BenchResult[]> {
    const sim = await startChildServer(CHILD, ['tcp', String(UNITS)]);
    const gateway: Array<{ rate: number; errors: Record<string, number>; timing: TransportTiming }> = [];
    const bare: number[] = [];
    const bus: Bus = { id: 'tcp-bench', kind: 'tcp', host: '127.0.0.1', port: sim.port, timeout: '1s', maxConcurrent: 1 };
    const transport = new TcpTransport({ busId: bus.id, host: bus.host, port: bus.port, maxConcurrent: 1 });
    const client: Client = new ModbusRTU.default();
    try {
      await transport.open();
      await client.connectTCP('127.0.0.1', { port: sim.port });
      client.setTimeout(1000);
      const profile = benchPollProfile(REGISTERS);
      const runGateway = async (): Promise<void> => {
        const w = await measureGatewayPolling({ bus, transport, profile, units: UNITS, warmupMs: WARMUP_MS, windowMs: WINDOW_MS });
        gateway.push({ rate: (w.transactions * 1000) / w.elapsedMs, errors: w.errors, timing: w.timing });
      };
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) await runGateway();
        bare.push(await bareLoopRate(client, WARMUP_MS, WINDOW_MS));
        if (round % 2 === 1) await runGateway();
      }
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
      await transport.close();
      await sim.stop();
    }
    const gatewayRates = gateway.map((g) => g.rate);
    const figure = median(gatewayRates);
    const baseline = median(bare);
    const ratio = figure / baseline;
    const r3 = (n: number): number => Number(n.toFixed(3));
    return [{
      name: 'gw-tcp',
      figure,
      unit: 'tx/s',
      baseline,
      baselineUnit: 'tx/s (bare modbus-serial loop)',
      ratio,
      target: `>= ${TARGET}`,
      ok: ratio >= TARGET,
      details: {
        registers: REGISTERS,
        units: UNITS,
        rounds: ROUNDS,
        windowMs: WINDOW_MS,
        gatewayRates: gatewayRates.map(Math.round),
        bareRates: bare.map(Math.round),
        medianPairedRatio: r3(median(gatewayRates.map((g, i) => g / (bare[i] ?? g)))),
        gatewayErrors: gateway.map((g) => g.errors),
        // Per transaction: time inside transport.read, and idle time between reads (the scheduler's dispatch).
        gatewayReadMs: r3(median(gateway.map((g) => g.timing.readMs))),
        gatewayGapMs: r3(median(gateway.map((g) => g.timing.gapMs))),
        bareMsPerTx: r3(1000 / baseline),
      },
    }];
  },
};
