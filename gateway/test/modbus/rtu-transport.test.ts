import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearBusFaults, createPtyPair, startRtuServer } from '@edgefleet/firmware-sim';
import type { PtyPair, RtuSimServer } from '@edgefleet/firmware-sim';
import { ModbusError } from '../../src/modbus/modbus-error.js';
import { RtuTransport } from '../../src/modbus/rtu-transport.js';
import { FAST_BACKOFF, REPLY_MS, patternedUnit, rejectionOf, waitForState } from './sim-fixture.js';

const units = new Map([1, 2, 3].map((u) => [u, patternedUnit(u)]));
const unitOne = units.get(1)!;
const lookup = (u: number) => units.get(u);
const BAUD = 115200;

function rtuTransport(busId: string, masterPath: string): RtuTransport {
  return new RtuTransport({ busId, path: masterPath, baud: BAUD, parity: 'none', dataBits: 8, stopBits: 1, backoff: FAST_BACKOFF, presenceCheckMs: 50 });
}

describe('RtuTransport over a PTY against the firmware-sim', () => {
  let pty: PtyPair;
  let server: RtuSimServer;
  let transport: RtuTransport;

  beforeAll(async () => {
    pty = await createPtyPair();
    server = await startRtuServer({ path: pty.slavePath, baud: BAUD, turnaroundMs: 1, units: lookup });
    transport = rtuTransport('rs485-1', pty.masterPath);
    await transport.open();
  });
  afterEach(() => {
    for (const unit of units.values()) clearBusFaults(unit.faults);
  });
  afterAll(async () => {
    await transport.close();
    await server.close();
    await pty.close();
  });

  it.each([
    ['holding', 125],
    ['input', 60],
    ['coil', 2000],
    ['discrete', 37],
  ] as const)('reads %s (%i) equal to the bank', async (table, count) => {
    const words = await transport.read(1, table, 11, count, REPLY_MS);
    const expected = table === 'holding' || table === 'input' ? unitOne.bank.getWords(table, 11, count) : unitOne.bank.getBits(table, 11, count);
    expect(words).toEqual(expected);
  });

  it('writes registers and coils into the bank', async () => {
    await transport.writeRegisters(2, 40, [7, 8, 9], REPLY_MS);
    await transport.writeCoils(2, 300, [false, true, true], REPLY_MS);
    expect(units.get(2)!.bank.getWords('holding', 40, 3)).toEqual([7, 8, 9]);
    expect(units.get(2)!.bank.getBits('coil', 300, 3)).toEqual([0, 1, 1]);
  });

  it('serialises calls made at once: every reply goes to its own request', async () => {
    const jobs = Array.from({ length: 24 }, (_, i) => {
      const unit = (i % 3) + 1;
      return transport.read(unit, 'input', i * 3, 8, REPLY_MS).then((words) => ({ unit, start: i * 3, words }));
    });
    for (const { unit, start, words } of await Promise.all(jobs)) {
      expect(words).toEqual(units.get(unit)!.bank.getWords('input', start, 8));
    }
  });

  // A corrupt CRC is classified from the reply; garbage only when the timeout ends the wait for
  // the rest of a frame, so it gets 1 s (not 150 ms, within which a starved process could see no
  // byte and report MODBUS_TIMEOUT) rather than REPLY_MS (5 s a run).
  it.each([
    ['a silent unit', () => { unitOne.faults.noReply = true; }, ['MODBUS_TIMEOUT'], 150],
    ['a corrupt CRC', () => { unitOne.faults.corruptCrc = true; }, ['MODBUS_CRC'], REPLY_MS],
    ['garbage bytes', () => { unitOne.faults.garbage = true; }, ['MODBUS_CRC', 'MODBUS_BAD_RESPONSE'], 1_000],
  ])('classifies %s, and the next read is clean', async (_name, inject, codes, timeoutMs) => {
    inject();
    const err = await rejectionOf(transport.read(1, 'holding', 0, 10, timeoutMs));
    expect(err).toBeInstanceOf(ModbusError);
    expect(codes).toContain((err as ModbusError).code);
    clearBusFaults(unitOne.faults);
    expect(await transport.read(1, 'holding', 0, 10, REPLY_MS)).toEqual(unitOne.bank.getWords('holding', 0, 10));
    expect(transport.state()).toBe('up');
  });

  it('classifies an exception reply with its code', async () => {
    unitOne.faults.exception = 2;
    const err = (await rejectionOf(transport.read(1, 'holding', 0, 10, REPLY_MS))) as ModbusError;
    expect([err.code, err.exceptionCode]).toEqual(['MODBUS_EXCEPTION', 2]);
  });

  it('refuses unit 0 (broadcast never answers) and unit 248 without sending', async () => {
    const before = server.stats.frames;
    for (const unit of [0, 248]) {
      const err = (await rejectionOf(transport.read(unit, 'holding', 0, 1, REPLY_MS))) as ModbusError;
      expect(err.code).toBe('MODBUS_BAD_REQUEST');
    }
    expect(server.stats.frames).toBe(before);
  });
});

describe('RtuTransport when the serial port dies and comes back', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-rtu-lost-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('goes down, fails calls with MODBUS_PORT_LOST, reopens the same path on its own and reads again', async () => {
    let pty = await createPtyPair(dir);
    let server = await startRtuServer({ path: pty.slavePath, baud: BAUD, turnaroundMs: 1, units: lookup });
    const transport = rtuTransport('rs485-lost', pty.masterPath);
    const states: string[] = [];
    transport.onStateChange((state) => states.push(state));
    try {
      await transport.open();
      expect(await transport.read(3, 'holding', 0, 4, REPLY_MS)).toEqual(units.get(3)!.bank.getWords('holding', 0, 4));

      // A call in flight when socat dies is rejected at once, not after its 20 s timeout.
      units.get(3)!.faults.noReply = true;
      const inFlight = rejectionOf(transport.read(3, 'holding', 0, 4, 20_000));
      const down = waitForState(transport, 'down');
      await pty.close();
      await server.close();
      await down;
      expect(((await inFlight) as ModbusError).code).toBe('MODBUS_PORT_LOST');
      clearBusFaults(units.get(3)!.faults);
      expect(((await rejectionOf(transport.read(3, 'holding', 0, 4, REPLY_MS))) as ModbusError).code).toBe('MODBUS_PORT_LOST');

      const up = waitForState(transport, 'up');
      pty = await createPtyPair(dir);
      server = await startRtuServer({ path: pty.slavePath, baud: BAUD, turnaroundMs: 1, units: lookup });
      await up;
      expect(await transport.read(3, 'input', 2, 6, REPLY_MS)).toEqual(units.get(3)!.bank.getWords('input', 2, 6));
      expect(states[0]).toBe('connecting');
      expect(states[1]).toBe('up');
      expect(states[2]).toBe('down');
      expect(states.at(-1)).toBe('up');
    } finally {
      await transport.close();
      await server.close();
      await pty.close();
    }
  });
});
