import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearBusFaults, startTcpServer } from '@edgefleet/firmware-sim';
import type { TcpSimServer } from '@edgefleet/firmware-sim';
import { ModbusError } from '../../src/modbus/modbus-error.js';
import { TcpTransport } from '../../src/modbus/tcp-transport.js';
import { FAST_BACKOFF, REPLY_MS, nextState, patternedUnit, rejectionOf, waitForState } from './sim-fixture.js';

const units = new Map([1, 2, 3, 4].map((u) => [u, patternedUnit(u)]));
const unitOne = units.get(1)!;
let server: TcpSimServer;
let transport: TcpTransport;

beforeAll(async () => {
  server = await startTcpServer({ port: 0, units: (u) => units.get(u) });
  transport = new TcpTransport({ busId: 'plant', host: '127.0.0.1', port: server.port, maxConcurrent: 4, backoff: FAST_BACKOFF });
  await transport.open();
});
afterEach(() => {
  for (const unit of units.values()) clearBusFaults(unit.faults);
});
afterAll(async () => {
  await transport.close();
  await server.close();
});

describe('TcpTransport against the firmware-sim', () => {
  it('is up after open()', () => {
    expect(transport.state()).toBe('up');
    expect(transport.kind).toBe('tcp');
  });

  it.each([
    ['holding', 125],
    ['input', 125],
    ['coil', 2000],
    ['discrete', 2000],
  ] as const)('reads %s (%i at once) equal to the bank', async (table, count) => {
    const words = await transport.read(1, table, 3, count, REPLY_MS);
    const expected = table === 'holding' || table === 'input' ? unitOne.bank.getWords(table, 3, count) : unitOne.bank.getBits(table, 3, count);
    expect(words).toEqual(expected);
  });

  it('writes registers with FC6 and FC16, and coils with FC5 and FC15, into the bank', async () => {
    await transport.writeRegisters(2, 10, [0xbeef], REPLY_MS);
    await transport.writeRegisters(2, 20, [1, 2, 65535], REPLY_MS);
    await transport.writeRegisters(2, 30, [42], 500, 16);
    await transport.writeCoils(2, 5, [true], REPLY_MS);
    await transport.writeCoils(2, 100, [true, false, true, true, false, false, true, false, true], REPLY_MS);
    const bank = units.get(2)!.bank;
    expect(bank.getWords('holding', 10, 1)).toEqual([0xbeef]);
    expect(bank.getWords('holding', 20, 3)).toEqual([1, 2, 65535]);
    expect(bank.getWords('holding', 30, 1)).toEqual([42]);
    expect(bank.getBits('coil', 5, 1)).toEqual([1]);
    expect(bank.getBits('coil', 100, 9)).toEqual([1, 0, 1, 1, 0, 0, 1, 0, 1]);
  });

  it('runs concurrent reads of different units on one connection without mixing replies', async () => {
    const connectionsBefore = server.stats.connections;
    const jobs = Array.from({ length: 40 }, (_, i) => {
      const unit = (i % 4) + 1;
      return transport.read(unit, 'holding', i, 10, REPLY_MS).then((words) => ({ unit, start: i, words }));
    });
    for (const { unit, start, words } of await Promise.all(jobs)) {
      expect(words).toEqual(units.get(unit)!.bank.getWords('holding', start, 10));
    }
    expect(server.stats.connections).toBe(connectionsBefore);
  });

  it('classifies a silent unit as MODBUS_TIMEOUT', async () => {
    unitOne.faults.noReply = true;
    const err = await rejectionOf(transport.read(1, 'holding', 0, 2, 100));
    expect(err).toBeInstanceOf(ModbusError);
    expect((err as ModbusError).code).toBe('MODBUS_TIMEOUT');
  });

  it('classifies an exception reply as MODBUS_EXCEPTION with its code', async () => {
    unitOne.faults.exception = 2;
    const err = (await rejectionOf(transport.read(1, 'input', 0, 2, REPLY_MS))) as ModbusError;
    expect(err.code).toBe('MODBUS_EXCEPTION');
    expect(err.exceptionCode).toBe(2);
  });

  it('answers a unit nobody serves with exception 11 (the sim acts as a gateway)', async () => {
    const err = (await rejectionOf(transport.read(99, 'holding', 0, 1, REPLY_MS))) as ModbusError;
    expect([err.code, err.exceptionCode]).toEqual(['MODBUS_EXCEPTION', 11]);
  });

  it('survives a garbage reply: MODBUS_BAD_RESPONSE, reconnects, and reads again', async () => {
    unitOne.faults.garbage = true;
    const dropped = nextState(transport, 'down');
    // modbus-serial notices the broken MBAP stream only when the call times out: 1 s, not 200 ms, so
    // a starved process still has the garbage in hand by then (else it is a plain MODBUS_TIMEOUT).
    const err = (await rejectionOf(transport.read(1, 'holding', 0, 4, 1_000))) as ModbusError;
    expect(err.code).toBe('MODBUS_BAD_RESPONSE');
    clearBusFaults(unitOne.faults);
    await dropped;
    await waitForState(transport, 'up');
    expect(await transport.read(1, 'holding', 0, 4, REPLY_MS)).toEqual(unitOne.bank.getWords('holding', 0, 4));
  });

  it.each([
    ['0 registers', () => transport.read(1, 'holding', 0, 0, REPLY_MS)],
    ['126 registers', () => transport.read(1, 'input', 0, 126, REPLY_MS)],
    ['2001 bits', () => transport.read(1, 'coil', 0, 2001, REPLY_MS)],
    ['past address 65535', () => transport.read(1, 'holding', 65530, 10, REPLY_MS)],
    ['124 registers written', () => transport.writeRegisters(1, 0, new Array<number>(124).fill(0), REPLY_MS)],
    ['FC6 with two words', () => transport.writeRegisters(1, 0, [1, 2], 500, 6)],
    ['a word over 16 bits', () => transport.writeRegisters(1, 0, [70000], REPLY_MS)],
    ['unit 256', () => transport.read(256, 'holding', 0, 1, REPLY_MS)],
    ['no timeout', () => transport.read(1, 'holding', 0, 1, 0)],
  ])('refuses %s without sending (MODBUS_BAD_REQUEST)', async (_name, call) => {
    const before = server.stats.requests;
    const err = (await rejectionOf(call())) as ModbusError;
    expect(err.code).toBe('MODBUS_BAD_REQUEST');
    expect(server.stats.requests).toBe(before);
  });
});

describe('TcpTransport reconnects', () => {
  it('goes down when the server closes, rejects calls with a bus error, and comes back when it is restarted on the same port', async () => {
    const local = await startTcpServer({ port: 0, units: (u) => units.get(u) });
    const port = local.port;
    const t = new TcpTransport({ busId: 'restart', host: '127.0.0.1', port, backoff: FAST_BACKOFF });
    const states: string[] = [];
    t.onStateChange((s) => states.push(s));
    // A listener's bug must not stop the reconnect loop.
    t.onStateChange(() => {
      throw new Error('listener bug');
    });
    try {
      await t.open();
      expect(await t.read(3, 'holding', 0, 2, REPLY_MS)).toEqual(units.get(3)!.bank.getWords('holding', 0, 2));
      const down = waitForState(t, 'down');
      await local.close();
      await down;
      const err = (await rejectionOf(t.read(3, 'holding', 0, 2, REPLY_MS))) as ModbusError;
      expect(['MODBUS_PORT_LOST', 'MODBUS_CONN_REFUSED']).toContain(err.code);
      const up = waitForState(t, 'up');
      const again = await startTcpServer({ port, units: (u) => units.get(u) });
      try {
        await up;
        expect(await t.read(3, 'input', 5, 3, REPLY_MS)).toEqual(units.get(3)!.bank.getWords('input', 5, 3));
      } finally {
        await t.close();
        await again.close();
      }
      expect(states.slice(0, 3)).toEqual(['connecting', 'up', 'down']);
      expect(states.at(-2)).toBe('up');
      expect(states.at(-1)).toBe('down');
    } finally {
      await t.close();
    }
  });

  it('keeps retrying a refused connection with MODBUS_CONN_REFUSED, and open() waits for it', async () => {
    const probe = await startTcpServer({ port: 0, units: (u) => units.get(u) });
    const port = probe.port;
    await probe.close();
    const t = new TcpTransport({ busId: 'late', host: '127.0.0.1', port, backoff: FAST_BACKOFF });
    const reasons: string[] = [];
    t.onStateChange((s, reason) => {
      if (s === 'down' && reason) reasons.push(reason);
    });
    const opened = t.open();
    try {
      await new Promise<void>((resolve) => {
        const off = t.onStateChange(() => {
          if (reasons.length < 2) return;
          off();
          resolve();
        });
      });
      const err = (await rejectionOf(t.read(1, 'holding', 0, 1, REPLY_MS))) as ModbusError;
      expect(err.code).toBe('MODBUS_CONN_REFUSED');
      const server2 = await startTcpServer({ port, units: (u) => units.get(u) });
      try {
        await opened;
        expect(t.state()).toBe('up');
      } finally {
        await t.close();
        await server2.close();
      }
    } finally {
      await t.close();
    }
  });

  it('rejects calls in flight with MODBUS_PORT_LOST on close()', async () => {
    const t = new TcpTransport({ busId: 'closing', host: '127.0.0.1', port: server.port, backoff: FAST_BACKOFF });
    await t.open();
    units.get(4)!.faults.noReply = true;
    const pending = rejectionOf(t.read(4, 'holding', 0, 1, 5000));
    await t.close();
    const err = (await pending) as ModbusError;
    expect(err.code).toBe('MODBUS_PORT_LOST');
    expect(t.state()).toBe('down');
  });
});
