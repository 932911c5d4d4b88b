import { startChildServer } from './child-server.js';
import type { ChildServer } from './child-server.js';
import { median } from './median.js';
import { RawTcpClient } from './raw-tcp-client.js';
import type { Benchmark, BenchResult } from './types.js';

const REGISTERS = 10;
/** Short alternating blocks (ABBA order): a load swing on a shared machine hits both servers alike. */
const BLOCKS = 40;
const BLOCK_MS = 150;
const WARMUP_MS = 300;
const CHILD = new URL('./tcp-server-child.ts', import.meta.url);

async function connect(server: ChildServer): Promise<RawTcpClient> {
  const client = await RawTcpClient.connect({ port: server.port, unit: 1, registers: REGISTERS });
  await client.runFor(WARMUP_MS);
  return client;
}

interface Block {
  transactions: number;
  elapsedMs: number;
}

const rateOf = (r: Block): number => (r.transactions * 1000) / r.elapsedMs;

/** Transactions per second over all blocks together. */
const pooledRate = (blocks: readonly Block[]): number =>
  (blocks.reduce((n, b) => n + b.transactions, 0) * 1000) / blocks.reduce((t, b) => t + b.elapsedMs, 0);

/**
 * FC03 transactions/s from one connection, one request in flight, against the simulator and
 * against a raw responder (the least a Modbus TCP server can do), each in its own process, in
 * alternating blocks; figure and baseline are rates over all their blocks; the ratio must be ≥ 0.9.
 */
export const simTcp: Benchmark = {
  name: 'sim-tcp',
  description: `FC03 (${REGISTERS} registers) transactions/s, one connection, sim vs minimal raw responder`,
  async run(): Promise<BenchResult[]> {
    const servers = { sim: await startChildServer(CHILD, ['sim']), raw: await startChildServer(CHILD, ['raw']) };
    const simBlocks: Block[] = [];
    const rawBlocks: Block[] = [];
    try {
      const sim = await connect(servers.sim);
      const raw = await connect(servers.raw);
      for (let pair = 0; pair < BLOCKS; pair++) {
        // ABBA: neither server always goes first after the other's block.
        if (pair % 2 === 0) simBlocks.push(await sim.runFor(BLOCK_MS));
        rawBlocks.push(await raw.runFor(BLOCK_MS));
        if (pair % 2 === 1) simBlocks.push(await sim.runFor(BLOCK_MS));
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
    const figure = pooledRate(simBlocks);
    const baseline = pooledRate(rawBlocks);
    const ratio = figure / baseline;
    const simRates = simBlocks.map(rateOf);
    const rawRates = rawBlocks.map(rateOf);
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
        medianPairedRatio: Number(median(simRates.map((r, i) => r / (rawRates[i] ?? r))).toFixed(3)),
        modbusSerialServerTcp: Math.round(libraryRate),
        modbusSerialRatio: Number((libraryRate / baseline).toFixed(3)),
      },
    }];
  },
};
