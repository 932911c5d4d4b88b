import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearBusFaults } from '../../src/faults/bus-faults.js';
import { writeCrc } from '../../src/modbus/crc16.js';
import { createPtyPair } from '../../src/transport/pty-pair.js';
import type { PtyPair } from '../../src/transport/pty-pair.js';
import { startRtuServer } from '../../src/transport/rtu-server.js';
import type { RtuSimServer } from '../../src/transport/rtu-server.js';
import { SimUnit } from '../../src/unit/sim-unit.js';
import type { WriteEvent } from '../../src/unit/sim-unit.js';
import { pdu } from '../modbus/pdu-builders.js';
import { testProfile } from '../modbus/test-profile.js';
import { closeClient, connectRtuClient } from './modbus-client.js';
import type { ModbusClient } from './modbus-client.js';
import { parseMbpollValues, runMbpoll } from './mbpoll.js';

const unitA = new SimUnit({ unit: 1, profile: testProfile({ identification: { vendorName: 'Acme', productCode: 'AC-100-B', revision: '2.07' } }) });
const unitB = new SimUnit({ unit: 2, profile: testProfile() });
const units = new Map([[1, unitA], [2, unitB]]);
let pty: PtyPair;
let server: RtuSimServer;
const clients: ModbusClient[] = [];

beforeAll(async () => {
  unitA.bank.setWords('holding', 0, Array.from({ length: 10 }, (_, i) => (i * 7919 + 3) % 65536));
  unitA.bank.setBits('discrete', 0, [0, 1, 1, 0, 1]);
  pty = await createPtyPair();
  server = await startRtuServer({ path: pty.slavePath, baud: 9600, units: (u) => units.get(u) });
});
afterEach(async () => {
  clearBusFaults(unitA.faults);
  await Promise.all(clients.splice(0).map(closeClient));
});
afterAll(async () => {
  await server.close();
  await pty.close();
});

const client = async (unit: number, timeoutMs?: number): Promise<ModbusClient> => {
  const c = await connectRtuClient(pty.masterPath, unit, timeoutMs);
  clients.push(c);
  return c;
};

const frame = (unit: number, body: Buffer): Buffer => writeCrc(Buffer.concat([Buffer.from([unit]), body, Buffer.alloc(2)]));

/** Opens the master end raw, writes each frame (waiting until `ready` holds before the next), collects `bytes`. */
async function rawExchange(frames: Array<{ data: Buffer; ready?: () => void }>, bytes: number): Promise<Buffer> {
  const port = new SerialPort({ path: pty.masterPath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  try {
    let received = Buffer.alloc(0);
    const done = new Promise<Buffer>((resolve) => {
      port.on('data', (d: Buffer) => {
        received = Buffer.concat([received, d]);
        if (received.length >= bytes) resolve(received);
      });
    });
    for (const f of frames) {
      await new Promise<void>((resolve, reject) => port.write(f.data, (err) => (err ? reject(err) : resolve())));
      if (f.ready) await vi.waitFor(f.ready, { timeout: 10_000, interval: 5 });
    }
    return await done;
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

describe('Modbus RTU sim over a PTY with a third-party master (mbpoll, libmodbus)', () => {
  it('reads holding registers matching the bank', async () => {
    const run = await runMbpoll(['-m', 'rtu', '-b', '9600', '-P', 'none', '-a', '1', '-r', '1', '-c', '10', '-t', '4', '-1', pty.masterPath]);
    expect(run.code, run.stderr).toBe(0);
    expect([...parseMbpollValues(run.stdout).values()]).toEqual(unitA.bank.getWords('holding', 0, 10));
  });

  it('reads discrete inputs', async () => {
    const run = await runMbpoll(['-m', 'rtu', '-b', '9600', '-P', 'none', '-a', '1', '-r', '1', '-c', '5', '-t', '1', '-1', pty.masterPath]);
    expect([...parseMbpollValues(run.stdout).values()]).toEqual(unitA.bank.getBits('discrete', 0, 5));
  });

  it('applies an mbpoll write to unit 2 and fires onWrite', async () => {
    const seen: WriteEvent[] = [];
    const off = unitB.onWrite((w) => seen.push(w));
    const run = await runMbpoll(['-m', 'rtu', '-b', '9600', '-P', 'none', '-a', '2', '-r', '6', '-t', '4', '-1', pty.masterPath, '321', '9', '65535']);
    off();
    expect(run.code, run.stderr).toBe(0);
    expect(unitB.bank.getWords('holding', 5, 3)).toEqual([321, 9, 65535]);
    expect(seen).toEqual([{ table: 'holding', address: 5, values: [321, 9, 65535] }]);
  });
});

describe('Modbus RTU framing on a shared bus', () => {
  it('ignores requests for other unit ids: the master times out', async () => {
    const before = server.stats.otherUnit;
    const c = await client(9, 200);
    await expect(c.readHoldingRegisters(0, 1)).rejects.toMatchObject({ errno: 'ETIMEDOUT' });
    // The master gives up after 200 ms whether or not the sim has seen the frame yet (a starved
    // process may not have): wait for the count rather than read it at the timeout.
    await vi.waitFor(() => expect(server.stats.otherUnit).toBe(before + 1), { timeout: 10_000, interval: 5 });
  });

  it('drops a request with a bad CRC without answering, then answers the next one', async () => {
    const bad = frame(1, pdu(3, 0, 1));
    bad[7] = (bad[7] ?? 0) ^ 0x55;
    const before = server.stats.crcErrors;
    const reply = await rawExchange([{ data: bad, ready: () => expect(server.stats.crcErrors).toBe(before + 1) }, { data: frame(1, pdu(3, 0, 1)) }], 7);
    const value = unitA.bank.getWords('holding', 0, 1)[0]!;
    expect(reply).toEqual(frame(1, Buffer.from([3, 2, value >> 8, value & 0xff])));
  });

  it('abandons a partial frame when the line goes quiet, then answers the next request', async () => {
    const before = server.stats.malformed;
    const request = frame(1, pdu(3, 0, 1));
    const value = unitA.bank.getWords('holding', 0, 1)[0]!;
    const reply = await rawExchange([
      { data: request.subarray(0, 5), ready: () => expect(server.stats.malformed).toBe(before + 1) },
      { data: request },
    ], 7);
    expect(reply).toEqual(frame(1, Buffer.from([3, 2, value >> 8, value & 0xff])));
  });

  it('applies a broadcast write (unit 0) to every unit without replying', async () => {
    const writes = Promise.all([unitA, unitB].map((u) => new Promise<WriteEvent>((resolve) => {
      const off = u.onWrite((w) => {
        off();
        resolve(w);
      });
    })));
    const reply = await rawExchange([{ data: frame(0, pdu(6, 40, 777)) }, { data: frame(2, pdu(3, 40, 1)) }], 7);
    expect(await writes).toEqual([{ table: 'holding', address: 40, values: [777] }, { table: 'holding', address: 40, values: [777] }]);
    expect(unitA.bank.getWords('holding', 40, 1)).toEqual([777]);
    // The first bytes back are unit 2's read reply: the broadcast got no answer.
    expect(reply).toEqual(frame(2, Buffer.from([3, 2, 0x03, 0x09])));
  });

  it('answers FC43/14 read device identification from the profile', async () => {
    const c = await client(1);
    const ident = await c.readDeviceIdentification(2, 0);
    expect(ident.data).toMatchObject({ 0: 'Acme', 1: 'AC-100-B', 2: '2.07', 4: 'AC-100' });
  });
});

describe('Modbus RTU bus faults', () => {
  it('noReply: the master times out', async () => {
    unitA.faults.noReply = true;
    const c = await client(1, 200);
    await expect(c.readHoldingRegisters(0, 1)).rejects.toMatchObject({ errno: 'ETIMEDOUT' });
  });

  it('exception: the master gets that exception code', async () => {
    unitA.faults.exception = 4;
    const c = await client(1);
    await expect(c.readHoldingRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 4 });
  });

  it('corruptCrc: the master reports a CRC error', async () => {
    unitA.faults.corruptCrc = true;
    const c = await client(1);
    await expect(c.readHoldingRegisters(0, 3)).rejects.toThrow('CRC error');
  });

  it('garbage: the master cannot use the reply, and the sim counts it', async () => {
    unitA.faults.garbage = true;
    const before = server.stats.garbage;
    const c = await client(1, 300);
    await expect(c.readHoldingRegisters(0, 3)).rejects.toBeDefined();
    // The master may give up (300 ms) before a starved sim has even handled the request.
    await vi.waitFor(() => expect(server.stats.garbage).toBe(before + 1), { timeout: 10_000, interval: 5 });
  });

  it('recovers once faults are cleared', async () => {
    const c = await client(1);
    expect((await c.readHoldingRegisters(0, 3)).data).toEqual(unitA.bank.getWords('holding', 0, 3));
  });
});
