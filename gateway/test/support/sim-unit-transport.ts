import type { Table } from '@edgefleet/device-profiles';
import type { SimUnit } from '@edgefleet/firmware-sim';
import type { BusState, ModbusTransport } from '../../src/modbus/modbus-transport.js';

const READ_FC: Record<Table, number> = { coil: 1, discrete: 2, holding: 3, input: 4 };

/** Thrown like the real transports do: a coded error. */
export class FakeModbusError extends Error {
  constructor(
    readonly code: string,
    readonly exceptionCode?: number,
  ) {
    super(exceptionCode === undefined ? code : `${code} ${exceptionCode}`);
    this.name = 'ModbusError';
  }
}

/**
 * A ModbusTransport that hands real request PDUs straight to firmware-sim units, with no
 * socket: for unit tests of the command runner and scheduler logic. Integration tests use the
 * real TCP/RTU transports.
 */
export class SimUnitTransport implements ModbusTransport {
  readonly kind = 'tcp' as const;
  readonly calls: { unit: number; fc: number; address: number; count: number }[] = [];

  constructor(
    readonly busId: string,
    private readonly units: (unit: number) => SimUnit | undefined,
  ) {}

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  state(): BusState {
    return 'up';
  }
  onStateChange(): () => void {
    return () => undefined;
  }

  async read(unit: number, table: Table, address: number, count: number): Promise<number[]> {
    const reply = this.exchange(unit, Buffer.from([READ_FC[table], address >> 8, address & 0xff, count >> 8, count & 0xff]), address, count);
    const data = reply.subarray(2);
    if (table === 'holding' || table === 'input') return Array.from({ length: count }, (_, i) => data.readUInt16BE(i * 2));
    return Array.from({ length: count }, (_, i) => ((data[i >> 3] ?? 0) >> (i & 7)) & 1);
  }

  async writeRegisters(unit: number, address: number, words: readonly number[], _timeoutMs: number, fc: 6 | 16 = 16): Promise<void> {
    if (fc === 6) {
      this.exchange(unit, Buffer.from([6, address >> 8, address & 0xff, (words[0] ?? 0) >> 8, (words[0] ?? 0) & 0xff]), address, 1);
      return;
    }
    const body = Buffer.alloc(6 + words.length * 2);
    body.writeUInt8(16, 0);
    body.writeUInt16BE(address, 1);
    body.writeUInt16BE(words.length, 3);
    body.writeUInt8(words.length * 2, 5);
    words.forEach((w, i) => body.writeUInt16BE(w, 6 + i * 2));
    this.exchange(unit, body, address, words.length);
  }

  async writeCoils(unit: number, address: number, bits: readonly boolean[], _timeoutMs: number, fc: 5 | 15 = 15): Promise<void> {
    if (fc === 5) {
      this.exchange(unit, Buffer.from([5, address >> 8, address & 0xff, bits[0] ? 0xff : 0, 0]), address, 1);
      return;
    }
    const bytes = Math.ceil(bits.length / 8);
    const body = Buffer.alloc(6 + bytes);
    body.writeUInt8(15, 0);
    body.writeUInt16BE(address, 1);
    body.writeUInt16BE(bits.length, 3);
    body.writeUInt8(bytes, 5);
    bits.forEach((b, i) => {
      if (b) body[6 + (i >> 3)]! |= 1 << (i & 7);
    });
    this.exchange(unit, body, address, bits.length);
  }

  private exchange(unitId: number, pdu: Buffer, address: number, count: number): Buffer {
    this.calls.push({ unit: unitId, fc: pdu[0] ?? 0, address, count });
    const unit = this.units(unitId);
    const reply = unit?.handle(pdu);
    if (!unit || reply?.pdu === undefined) throw new FakeModbusError('MODBUS_TIMEOUT');
    if ((reply.pdu[0] ?? 0) & 0x80) throw new FakeModbusError('MODBUS_EXCEPTION', reply.pdu[1]);
    return reply.pdu;
  }
}
