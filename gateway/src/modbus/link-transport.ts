import type { Table } from '@edgefleet/device-profiles';
import type { CallLimiter } from './call-limiter.js';
import { readCall, writeCoilsCall, writeRegistersCall } from './client-calls.js';
import type { ClientCall } from './client-calls.js';
import type { ModbusSerialClient } from './modbus-client.js';
import type { BusState, ModbusTransport } from './modbus-transport.js';
import type { ReconnectingLink } from './reconnecting-link.js';
import { checkTimeout } from './request-limits.js';

/** What differs between RTU and TCP: which unit ids are valid, and how one call runs and fails. */
export interface LinkFlavour {
  /** Throws ModbusError MODBUS_BAD_REQUEST for a unit id the medium cannot address. */
  checkUnit(unit: number): void;
  /** Runs one call on the connected client, turning every failure into a ModbusError. */
  transact<T>(client: ModbusSerialClient, unit: number, timeoutMs: number, call: ClientCall<T>): Promise<T>;
}

/**
 * A ModbusTransport over a reconnecting modbus-serial link: request checks, the concurrency
 * limit, and delegation of state to the link. RtuTransport and TcpTransport supply the rest.
 */
export class LinkTransport implements ModbusTransport {
  constructor(
    readonly busId: string,
    readonly kind: 'rtu' | 'tcp',
    private readonly link: ReconnectingLink,
    private readonly limiter: CallLimiter,
    private readonly flavour: LinkFlavour,
  ) {}

  open(): Promise<void> {
    return this.link.open();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  state(): BusState {
    return this.link.state();
  }

  onStateChange(listener: (state: BusState, reason?: string) => void): () => void {
    return this.link.onStateChange(listener);
  }

  async read(unit: number, table: Table, address: number, count: number, timeoutMs: number): Promise<number[]> {
    return this.run(unit, timeoutMs, () => readCall(table, address, count));
  }

  async writeRegisters(unit: number, address: number, words: readonly number[], timeoutMs: number, fc?: 6 | 16): Promise<void> {
    return this.run(unit, timeoutMs, () => writeRegistersCall(address, words, fc));
  }

  async writeCoils(unit: number, address: number, bits: readonly boolean[], timeoutMs: number, fc?: 5 | 15): Promise<void> {
    return this.run(unit, timeoutMs, () => writeCoilsCall(address, bits, fc));
  }

  /** Checks before building the call, so a bad request never reaches the queue or the wire. */
  private run<T>(unit: number, timeoutMs: number, build: () => ClientCall<T>): Promise<T> {
    this.flavour.checkUnit(unit);
    checkTimeout(timeoutMs);
    const call = build();
    return this.limiter.run(() => this.link.use((client) => this.flavour.transact(client, unit, timeoutMs, call)));
  }
}
