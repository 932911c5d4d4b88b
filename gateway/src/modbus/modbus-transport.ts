import type { Table } from '@edgefleet/device-profiles';

export type BusState = 'connecting' | 'up' | 'down';

/**
 * One Modbus bus (an RTU serial line or a TCP endpoint) behind one small interface, so the
 * scheduler and poller never see modbus-serial. Addresses are 0-based protocol addresses.
 * Every call rejects with a ModbusError (modbus-error.ts), never with a library object.
 * A lost port or connection is reopened with backoff by the transport itself; meanwhile calls
 * reject with MODBUS_PORT_LOST / MODBUS_CONN_REFUSED and state() is 'down' or 'connecting'.
 */
export interface ModbusTransport {
  readonly busId: string;
  readonly kind: 'rtu' | 'tcp';
  /** Opens the port or connection; resolves once usable. Never rejects: it keeps retrying with backoff. */
  open(): Promise<void>;
  /** Closes for good; pending calls reject with MODBUS_PORT_LOST. */
  close(): Promise<void>;
  state(): BusState;
  onStateChange(listener: (state: BusState, reason?: string) => void): () => void;
  /** Words (holding/input) or 0/1 bits (coil/discrete). */
  read(unit: number, table: Table, address: number, count: number, timeoutMs: number): Promise<number[]>;
  /** FC6 (one register) or FC16. */
  writeRegisters(unit: number, address: number, words: readonly number[], timeoutMs: number, fc?: 6 | 16): Promise<void>;
  /** FC5 (one coil) or FC15. */
  writeCoils(unit: number, address: number, bits: readonly boolean[], timeoutMs: number, fc?: 5 | 15): Promise<void>;
}
