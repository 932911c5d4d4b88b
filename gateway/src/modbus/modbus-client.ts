import ModbusRTU from 'modbus-serial';
import type { Table } from '@edgefleet/device-profiles';
import { ModbusError } from './modbus-error.js';

/** One modbus-serial client instance. A new one is made for every (re)connect attempt. */
export type ModbusSerialClient = InstanceType<typeof ModbusRTU.default>;

export function createModbusClient(): ModbusSerialClient {
  return new ModbusRTU.default();
}

/** FC01/02/03/04 (App Protocol v1.1b3 §6.1-6.4); bits come back as 0/1. */
export async function readTable(client: ModbusSerialClient, table: Table, address: number, count: number): Promise<number[]> {
  switch (table) {
    case 'holding':
      return (await client.readHoldingRegisters(address, count)).data;
    case 'input':
      return (await client.readInputRegisters(address, count)).data;
    case 'coil':
      return bitsOf(await client.readCoils(address, count), count);
    case 'discrete':
      return bitsOf(await client.readDiscreteInputs(address, count), count);
  }
}

/** modbus-serial returns whole bytes of bits (a multiple of 8): keep the `count` asked for. */
function bitsOf(result: { data: boolean[] }, count: number): number[] {
  if (result.data.length < count) {
    throw new ModbusError('MODBUS_BAD_RESPONSE', `asked for ${count} bits, the reply holds ${result.data.length}`);
  }
  return result.data.slice(0, count).map((bit) => (bit ? 1 : 0));
}

export async function writeWords(client: ModbusSerialClient, address: number, words: readonly number[], fc: 6 | 16): Promise<void> {
  if (fc === 6) await client.writeRegister(address, words[0] ?? 0);
  else await client.writeRegisters(address, [...words]);
}

export async function writeBits(client: ModbusSerialClient, address: number, bits: readonly boolean[], fc: 5 | 15): Promise<void> {
  if (fc === 5) await client.writeCoil(address, bits[0] ?? false);
  else await client.writeCoils(address, [...bits]);
}

/** Closes without waiting: a lost port's close callback may never come (TcpPort calls it only while open). */
export function closeQuietly(client: ModbusSerialClient): void {
  muteLateErrors(client);
  try {
    client.close(() => undefined);
  } catch {
    // Already closed or never opened: nothing to release.
  }
}

/** Closes and waits for the port to report it, at most `boundMs`. */
export function closeAndWait(client: ModbusSerialClient, boundMs: number): Promise<void> {
  muteLateErrors(client);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, boundMs);
    try {
      client.close(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

// --- modbus-serial 8.0.25 internals, read (never written except the RTU receive buffer) ---
// The library gives no way to see bytes that arrived but formed no reply, which is how line
// noise and a desynchronised TCP stream show. These helpers are the only place that knows its
// private fields; each degrades to "nothing known" if a future version renames them.

interface PortInternals {
  /** RTUBufferedPort: bytes received, not yet taken as a reply. */
  _buffer?: unknown;
  /** TcpPort: bytes received, not yet a complete MBAP frame. */
  _clientRcvData?: unknown;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

function portOf(client: ModbusSerialClient): PortInternals | undefined {
  const port = (client as unknown as { _port?: unknown })._port;
  return port !== null && typeof port === 'object' ? (port as PortInternals) : undefined;
}

/** Bytes the RTU port holds that formed no reply (noise, a late reply, a corrupt frame). */
export function rtuStrayBytes(client: ModbusSerialClient): number {
  const buffer = portOf(client)?._buffer;
  return Buffer.isBuffer(buffer) ? buffer.length : 0;
}

/**
 * Drops what the RTU port holds before a new request: bytes that arrived before the request
 * was sent cannot be its reply, but the buffered port would scan them for one.
 */
export function clearRtuBuffer(client: ModbusSerialClient): void {
  const port = portOf(client);
  if (port && Buffer.isBuffer(port._buffer)) port._buffer = Buffer.alloc(0);
}

// Messaging on TCP/IP Implementation Guide v1.0b §3.1.3: MBAP protocol id is 0 and the length
// (unit id + PDU) at most 254. Anything else at the head of the stream means it is desynchronised.
const MAX_MBAP_LENGTH = 254;

/**
 * True when the TCP receive buffer starts with an impossible MBAP header. TcpPort would wait
 * for the bogus length forever and mis-frame every later reply, so the connection must go.
 */
export function isTcpStreamDesynchronised(client: ModbusSerialClient): boolean {
  const data = portOf(client)?._clientRcvData;
  if (!Buffer.isBuffer(data) || data.length < 6) return false;
  return data.readUInt16BE(2) !== 0 || data.readUInt16BE(4) > MAX_MBAP_LENGTH || data.readUInt16BE(4) < 2;
}

/**
 * After close(), ModbusRTU detaches its error handler from the port, but a serial port may
 * still emit one (a write EIO racing the close); with no listener Node would throw it.
 */
function muteLateErrors(client: ModbusSerialClient): void {
  portOf(client)?.on?.('error', () => undefined);
}
