import type { RawBus } from '../bus/raw-bus.js';
import { exceptionCode, readRegistersPdu, registersOf } from '../bus/raw-bus.js';
import { usageError } from '../cli-error.js';

export type RegisterTable = 'holding' | 'input';

export interface DumpRange {
  table: RegisterTable;
  from: number;
  to: number;
}

/** One register as the device answered: a word, or null where it refused (exception 2: not implemented). */
export interface DumpedRegister {
  table: RegisterTable;
  address: number;
  value: number | null;
}

/** Modbus App Protocol v1.1b3 §6.3: at most 125 registers a read. */
const MAX_READ = 125;

/** "holding:0-99,input:0-49" → ranges (0-based protocol addresses). */
export function parseDumpRanges(text: string): DumpRange[] {
  return text.split(',').map((part) => {
    const match = /^\s*(holding|input):(\d+)-(\d+)\s*$/.exec(part);
    const from = Number(match?.[2]);
    const to = Number(match?.[3]);
    if (!match || from > to || to > 0xffff) throw usageError(`--registers must be like holding:0-99,input:0-49 (0-based), got "${part}"`);
    return { table: match[1] as RegisterTable, from, to };
  });
}

/**
 * Reads every register in the ranges: big reads first, halved where the device refuses them
 * (a cap below 125, or a hole inside), down to single registers, so a dump shows exactly which
 * addresses exist.
 */
export async function dumpRegisters(bus: RawBus, unit: number, ranges: readonly DumpRange[], timeoutMs: number): Promise<DumpedRegister[]> {
  const out: DumpedRegister[] = [];
  const readSpan = async (table: RegisterTable, from: number, count: number): Promise<void> => {
    const reply = await bus.request(unit, readRegistersPdu(table === 'holding' ? 3 : 4, from, count), timeoutMs);
    const words = reply.kind === 'reply' && exceptionCode(reply.pdu) === undefined ? registersOf(reply.pdu, count) : undefined;
    if (words) {
      words.forEach((value, i) => out.push({ table, address: from + i, value }));
      return;
    }
    if (count === 1) {
      out.push({ table, address: from, value: null });
      return;
    }
    const half = Math.ceil(count / 2);
    await readSpan(table, from, half);
    await readSpan(table, from + half, count - half);
  };
  for (const range of ranges) {
    for (let at = range.from; at <= range.to; at += MAX_READ) await readSpan(range.table, at, Math.min(MAX_READ, range.to - at + 1));
  }
  return out;
}
