import { describe, expect, it } from 'vitest';
import { writeCrc } from '../../src/modbus/crc16.js';
import { RtuFramer } from '../../src/transport/rtu-framer.js';
import { pdu, writeRegistersPdu } from '../modbus/pdu-builders.js';

const frame = (unit: number, body: Buffer): Buffer => writeCrc(Buffer.concat([Buffer.from([unit]), body, Buffer.alloc(2)]));

describe('RtuFramer', () => {
  it('splits back-to-back requests by the length their function code implies', () => {
    const a = frame(1, pdu(3, 0, 10));
    const b = frame(2, writeRegistersPdu(5, [1, 2, 3]));
    const events = new RtuFramer().push(Buffer.concat([a, b]));
    expect(events).toEqual([{ kind: 'frame', frame: a }, { kind: 'frame', frame: b }]);
  });

  it('waits for the rest of a frame split across chunks', () => {
    const framer = new RtuFramer();
    const f = frame(1, writeRegistersPdu(0, [7, 8]));
    expect(framer.push(f.subarray(0, 3))).toEqual([]);
    expect(framer.push(f.subarray(3, 8))).toEqual([]);
    expect(framer.pending).toBe(8);
    expect(framer.push(f.subarray(8))).toEqual([{ kind: 'frame', frame: f }]);
    expect(framer.pending).toBe(0);
  });

  it('drops a frame with a bad CRC and everything buffered with it', () => {
    const framer = new RtuFramer();
    const bad = frame(1, pdu(3, 0, 1));
    bad[7] = (bad[7] ?? 0) ^ 0xff;
    expect(framer.push(Buffer.concat([bad, frame(1, pdu(3, 0, 1))]))).toEqual([{ kind: 'crc-error', bytes: 16 }]);
    expect(framer.pending).toBe(0);
    const good = frame(1, pdu(3, 0, 1));
    expect(framer.push(good)).toEqual([{ kind: 'frame', frame: good }]);
  });

  it('finds an unknown function code\'s frame by its CRC, so it can be answered with exception 1', () => {
    const f = frame(1, Buffer.from([0x41, 0x01, 0x02]));
    expect(new RtuFramer().push(f)).toEqual([{ kind: 'frame', frame: f }]);
  });

  it('reports a byte count that would exceed 256 bytes as malformed', () => {
    const events = new RtuFramer().push(Buffer.from([1, 16, 0, 0, 0, 1, 255, 0, 0]));
    expect(events).toEqual([{ kind: 'malformed', bytes: 9 }]);
  });

  it('discards a partial frame on demand', () => {
    const framer = new RtuFramer();
    framer.push(Buffer.from([1, 3, 0]));
    expect(framer.discard()).toBe(3);
    expect(framer.pending).toBe(0);
  });
});
