import type { Table } from '@edgefleet/device-profiles';
import type { BusState, ModbusTransport } from '../../src/modbus/modbus-transport.js';
import { FakeModbusError } from '../support/sim-unit-transport.js';
import type { FakeClock } from './fake-clock.js';

export interface TransactionRecord {
  unit: number;
  table: Table | 'write';
  address: number;
  count: number;
  start: number;
  end: number;
  outcome: 'ok' | string;
}

/** An answer, an error to reply with, or 'silent' (the call then takes its whole timeout). */
export type Responder = (unit: number, table: Table, address: number, count: number) => Promise<number[]> | number[] | Error | 'silent';

/**
 * A transport whose transactions take fake-clock time: `latencyMs` for an answer, the call's
 * timeout for silence. Records start and end of every transaction and the peak concurrency, so
 * tests measure line silences and one-in-flight without real time.
 */
export class ClockedTransport implements ModbusTransport {
  readonly records: TransactionRecord[] = [];
  inFlight = 0;
  maxInFlight = 0;
  latencyMs = 10;
  #state: BusState = 'up';
  readonly #listeners = new Set<(s: BusState, reason?: string) => void>();

  constructor(
    readonly busId: string,
    readonly kind: 'rtu' | 'tcp',
    private readonly clock: FakeClock,
    private readonly respond: Responder = (_u, _t, _a, count) => new Array<number>(count).fill(0),
  ) {}

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  state(): BusState {
    return this.#state;
  }
  setState(state: BusState, reason?: string): void {
    this.#state = state;
    for (const l of this.#listeners) l(state, reason);
  }
  onStateChange(listener: (s: BusState, reason?: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async read(unit: number, table: Table, address: number, count: number, timeoutMs: number): Promise<number[]> {
    const answer = this.#state === 'up' ? await settleAnswer(this.respond(unit, table, address, count)) : new FakeModbusError('MODBUS_PORT_LOST');
    const ms = answer === 'silent' ? timeoutMs : answer instanceof FakeModbusError && answer.code === 'MODBUS_PORT_LOST' ? 0 : this.latencyMs;
    const result = await this.#transact({ unit, table, address, count }, ms, answer === 'silent' ? new FakeModbusError('MODBUS_TIMEOUT') : answer);
    return result ?? [];
  }

  async writeRegisters(unit: number, address: number, words: readonly number[]): Promise<void> {
    await this.#transact({ unit, table: 'write', address, count: words.length }, this.latencyMs, []);
  }

  async writeCoils(unit: number, address: number, bits: readonly boolean[]): Promise<void> {
    await this.#transact({ unit, table: 'write', address, count: bits.length }, this.latencyMs, []);
  }

  async #transact(
    req: Pick<TransactionRecord, 'unit' | 'table' | 'address' | 'count'>,
    ms: number,
    answer: number[] | Error,
  ): Promise<number[] | undefined> {
    const start = this.clock.now();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, ms));
    this.inFlight--;
    const outcome = answer instanceof Error ? ((answer as { code?: string }).code ?? 'ERROR') : 'ok';
    this.records.push({ ...req, start, end: this.clock.now(), outcome });
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** A responder's promise, with a thrown MODBUS_TIMEOUT meaning silence and other errors as replies. */
async function settleAnswer(answer: ReturnType<Responder>): Promise<number[] | Error | 'silent'> {
  if (!(answer instanceof Promise)) return answer;
  try {
    return await answer;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODBUS_TIMEOUT') return 'silent';
    return err instanceof Error ? err : new Error(String(err));
  }
}
