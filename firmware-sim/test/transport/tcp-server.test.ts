import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clearBusFaults } from '../../src/faults/bus-faults.js';
import { startTcpServer } from '../../src/transport/tcp-server.js';
import type { TcpSimServer } from '../../src/transport/tcp-server.js';
import { SimUnit } from '../../src/unit/sim-unit.js';
import type { WriteEvent } from '../../src/unit/sim-unit.js';
import { pdu } from '../modbus/pdu-builders.js';
import { testProfile } from '../modbus/test-profile.js';
import { closeClient, connectTcpClient } from './modbus-client.js';
import type { ModbusClient } from './modbus-client.js';
import { parseMbpollValues, runMbpoll } from './mbpoll.js';

const unitA = new SimUnit({ unit: 1, profile: testProfile({ identification: { vendorName: 'Acme', productCode: 'AC-100-B', revision: '2.07' } }) });
const unitB = new SimUnit({ unit: 2, profile: testProfile() });
const units = new Map([[1, unitA], [2, unitB]]);
const words = Array.from({ length: 20 }, (_, i) => (i * 4099 + 17) % 65536);
let server: TcpSimServer;
const clients: ModbusClient[] = [];

beforeAll(async () => {
  unitA.bank.setWords('holding', 10, words);
  unitB.bank.setWords('input', 0, words.slice(0, 5).reverse());
  unitA.bank.setBits('coil', 0, [1, 0, 0, 1, 1]);
  server = await startTcpServer({ port: 0, units: (u) => units.get(u) });
});
afterEach(async () => {
  clearBusFaults(unitA.faults);
  await Promise.all(clients.splice(0).map(closeClient));
});
afterAll(() => server.close());

const client = async (unit: number, timeoutMs?: number): Promise<ModbusClient> => {
  const c = await connectTcpClient(server.port, unit, timeoutMs);
  clients.push(c);
  return c;
};

/** MBAP request frame. */
function mbap(tid: number, unit: number, body: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt16BE(tid, 0);
  head.writeUInt16BE(body.length + 1, 4);
  head[6] = unit;
  return Buffer.concat([head, body]);
}

/** Sends `chunks` one write at a time and collects `replies` MBAP frames. */
function exchange(chunks: Buffer[], replies: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const frames: Buffer[] = [];
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 6 && buf.length >= 6 + buf.readUInt16BE(4)) {
        frames.push(buf.subarray(0, 6 + buf.readUInt16BE(4)));
        buf = buf.subarray(6 + buf.readUInt16BE(4));
      }
      if (frames.length === replies) {
        socket.end();
        resolve(frames);
      }
    });
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const c of chunks) await new Promise<void>((done) => socket.write(c, () => done()));
    });
  });
}

describe('Modbus TCP sim with a third-party master (mbpoll, libmodbus)', () => {
  it('reads holding registers of unit 1 at 1-based reference 11 = protocol address 10', async () => {
    const run = await runMbpoll(['-m', 'tcp', '-p', String(server.port), '-a', '1', '-r', '11', '-c', '20', '-t', '4', '-1', '127.0.0.1']);
    expect(run.code).toBe(0);
    const values = parseMbpollValues(run.stdout);
    expect([...values.keys()]).toEqual(Array.from({ length: 20 }, (_, i) => 11 + i));
    expect([...values.values()]).toEqual(unitA.bank.getWords('holding', 10, 20));
  });

  it('reads input registers of unit 2 and coils of unit 1 behind the same port', async () => {
    const input = await runMbpoll(['-m', 'tcp', '-p', String(server.port), '-a', '2', '-r', '1', '-c', '5', '-t', '3', '-1', '127.0.0.1']);
    expect([...parseMbpollValues(input.stdout).values()]).toEqual(unitB.bank.getWords('input', 0, 5));
    const coils = await runMbpoll(['-m', 'tcp', '-p', String(server.port), '-a', '1', '-r', '1', '-c', '5', '-t', '0', '-1', '127.0.0.1']);
    expect([...parseMbpollValues(coils.stdout).values()]).toEqual(unitA.bank.getBits('coil', 0, 5));
  });

  it('applies an mbpoll write to the bank and fires onWrite', async () => {
    const seen: WriteEvent[] = [];
    const off = unitB.onWrite((w) => seen.push(w));
    const run = await runMbpoll(['-m', 'tcp', '-p', String(server.port), '-a', '2', '-r', '31', '-t', '4', '-1', '127.0.0.1', '1234', '4321']);
    off();
    expect(run.code).toBe(0);
    expect(unitB.bank.getWords('holding', 30, 2)).toEqual([1234, 4321]);
    expect(seen).toEqual([{ table: 'holding', address: 30, values: [1234, 4321] }]);
  });
});

describe('Modbus TCP framing', () => {
  it('answers an unknown unit id with exception 0x0B (gateway target failed to respond)', async () => {
    const c = await client(9);
    await expect(c.readHoldingRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 0x0b });
  });

  it('answers pipelined requests in order, echoing transaction ids, even when split mid-frame', async () => {
    const stream = Buffer.concat([mbap(7, 1, pdu(3, 10, 2)), mbap(8, 2, pdu(4, 0, 1)), mbap(9, 1, pdu(3, 12, 1))]);
    const frames = await exchange([stream.subarray(0, 5), stream.subarray(5, 20), stream.subarray(20)], 3);
    expect(frames.map((f) => f.readUInt16BE(0))).toEqual([7, 8, 9]);
    expect(frames.map((f) => f[6])).toEqual([1, 2, 1]);
    expect([frames[0]!.readUInt16BE(9), frames[0]!.readUInt16BE(11)]).toEqual(unitA.bank.getWords('holding', 10, 2));
    expect(frames[1]!.readUInt16BE(9)).toBe(unitB.bank.getWords('input', 0, 1)[0]);
  });

  it('keeps pipelined replies in order when the first unit is slow', async () => {
    unitA.faults.slowMs = 40;
    const frames = await exchange([Buffer.concat([mbap(1, 1, pdu(3, 10, 1)), mbap(2, 2, pdu(4, 0, 1))])], 2);
    expect(frames.map((f) => f.readUInt16BE(0))).toEqual([1, 2]);
  });

  it('counts and closes a connection with a malformed MBAP header, and keeps serving', async () => {
    const before = server.stats.malformed;
    const closed = new Promise<void>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => socket.write(Buffer.from([0, 1, 0, 5, 0, 6, 1, 3, 0, 0, 0, 1])));
      socket.on('close', () => resolve());
      socket.on('error', () => undefined);
    });
    await closed;
    expect(server.stats.malformed).toBe(before + 1);
    const c = await client(1);
    expect((await c.readHoldingRegisters(10, 1)).data).toEqual(unitA.bank.getWords('holding', 10, 1));
  });

  it('answers exception 4 when handling throws (a broken onWrite listener), and keeps serving', async () => {
    const off = unitB.onWrite(() => {
      throw new Error('model bug');
    });
    const before = server.stats.handlerErrors;
    const c = await client(2);
    await expect(c.writeRegister(50, 1)).rejects.toMatchObject({ modbusCode: 4 });
    off();
    expect(server.stats.handlerErrors).toBe(before + 1);
    expect((await c.readInputRegisters(0, 1)).data).toEqual(unitB.bank.getWords('input', 0, 1));
  });

  it('answers FC43/14 read device identification from the profile', async () => {
    const c = await client(1);
    const ident = await c.readDeviceIdentification(1, 0);
    expect(ident.conformityLevel).toBe(0x82);
    expect(ident.data).toEqual({ 0: 'Acme', 1: 'AC-100-B', 2: '2.07' });
  });
});

describe('Modbus TCP bus faults', () => {
  it('noReply: the master times out', async () => {
    unitA.faults.noReply = true;
    const c = await client(1, 200);
    await expect(c.readHoldingRegisters(10, 1)).rejects.toMatchObject({ errno: 'ETIMEDOUT' });
  });

  it('exception: the master gets that exception code', async () => {
    unitA.faults.exception = 4;
    const c = await client(1);
    await expect(c.readHoldingRegisters(10, 1)).rejects.toMatchObject({ modbusCode: 4 });
  });

  it('garbage: the master cannot use the reply, and the sim counts it', async () => {
    unitA.faults.garbage = true;
    const before = server.stats.garbage;
    const c = await client(1, 200);
    await expect(c.readHoldingRegisters(10, 5)).rejects.toBeDefined();
    // The master may give up (200 ms) before a starved sim has even handled the request.
    await vi.waitFor(() => expect(server.stats.garbage).toBe(before + 1), { timeout: 10_000, interval: 5 });
  });

  it('corruptCrc has nothing to corrupt on TCP: the read succeeds and the fault is counted', async () => {
    unitA.faults.corruptCrc = true;
    const before = server.stats.crcFaultIgnored;
    const c = await client(1);
    expect((await c.readHoldingRegisters(10, 2)).data).toEqual(unitA.bank.getWords('holding', 10, 2));
    expect(server.stats.crcFaultIgnored).toBe(before + 1);
  });
});
