import { startChildServer } from './child-server.js';
import type { ChildServer } from './child-server.js';
import { median } from './median.js';
import { RawTcpClient } from './raw-tcp-client.js';
import type { Benchmark, BenchResult } from './types.js';

const REGISTERS = 10;
/** Short alternating blocks: a load spike on a shared machine hits both servers alike. */
const BLOCKS = 20;
const BLOCK_MS = 250;
const WARMUP_MS = 300;
const CHILD = new URL('./tcp-server-child.ts', import.meta.url);

async function connect(server: ChildServer): Promise<RawTcpClient> {
  const client = await RawTcpClient.connect({ port: server.port, unit: 1, registers: REGISTERS });
  await client.runFor(WARMUP_MS);
  return client;
}

const rateOf = (r: { transactions: number; elapsedMs: number }): number => (r.transactions * 1000) / r.elapsedMs;

/**
 * FC03 transactions/s from one connection, one request in flight, against the simulator and
 * against a raw responder (the least a Modbus TCP server can do), each in its own process, in
 * alternating blocks; the ratio of the median block rates must be ≥ 0.9.
 */
export const simTcp: Benchmark = {
  name: 'sim-tcp',
  description: `FC03 (${REGISTERS} registers) transactions/s, one connection, sim vs minimal raw responder`,
  async run(): Promise<BenchResult[]> {
    const servers = { sim: await startChildServer(CHILD, ['sim']), raw: await startChildServer(CHILD, ['raw']) };
    const simRates: number[] = [];
    const rawRates: number[] = [];
    try {
      const sim = await connect(servers.sim);
      const raw = await connect(servers.raw);
      for (let block = 0; block < BLOCKS; block++) {
        simRates.push(rateOf(await sim.runFor(BLOCK_MS)));
        rawRates.push(rateOf(await raw.runFor(BLOCK_MS)));
      }
      sim.close();
      raw.close();
    } finally {
      await Promise.all([servers.sim.stop(), servers.raw.stop()]);
    }
    // For the note: the library LIBRARIES.md measured, with the same client.
    const library = await startChildServer(CHILD, ['modbus-serial']);
    let libraryRate: number;
    try {
      const client = await connect(library);
      libraryRate = rateOf(await client.runFor(2000));
      client.close();
    } finally {
      await library.stop();
    }
    const figure = median(simRates);
    const baseline = median(rawRates);
    const ratio = figure / baseline;
    return [{
      name: 'sim-tcp',
      figure,
      unit: 'tx/s',
      baseline,
      baselineUnit: 'tx/s',
      ratio,
      target: '>= 0.9',
      ok: ratio >= 0.9,
      details: {
        registers: REGISTERS,
        blocks: BLOCKS,
        blockMs: BLOCK_MS,
        simRates: simRates.map(Math.round),
        rawRates: rawRates.map(Math.round),
        modbusSerialServerTcp: Math.round(libraryRate),
        modbusSerialRatio: Number((libraryRate / baseline).toFixed(3)),
      },
    }];
  },
};
