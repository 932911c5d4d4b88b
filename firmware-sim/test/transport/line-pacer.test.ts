import { describe, expect, it } from 'vitest';
import { lineTiming } from '../../src/modbus/line-timing.js';
import { LinePacer } from '../../src/transport/line-pacer.js';

describe('LinePacer', () => {
  const timing = lineTiming(9600);

  it('replies after request + t3.5 + turnaround + response on a free line', () => {
    const pacer = new LinePacer(timing, 5);
    const at = pacer.reply(1000, 8, 25);
    expect(at).toBeCloseTo(1000 + timing.frameMs(8) + timing.t35Ms + 5 + timing.frameMs(25), 9);
    expect(pacer.freeAt).toBeCloseTo(at + timing.t35Ms, 9);
  });

  it('spaces back-to-back transactions by exactly the theoretical transaction time', () => {
    const pacer = new LinePacer(timing, 0);
    const first = pacer.reply(0, 8, 25);
    // The master answers instantly: its next request arrives the moment the reply lands.
    const second = pacer.reply(first, 8, 25);
    const third = pacer.reply(second + 0.5, 8, 25);
    expect(second - first).toBeCloseTo(timing.transactionMs(8, 25), 9);
    expect(third - second).toBeCloseTo(timing.transactionMs(8, 25), 9);
  });

  it('starts a late request when it arrives, and lets the extra turnaround of a slow fault delay it', () => {
    const pacer = new LinePacer(timing, 0);
    pacer.reply(0, 8, 7);
    const late = pacer.reply(500, 8, 7, 30);
    expect(late).toBeCloseTo(500 + timing.frameMs(15) + timing.t35Ms + 30, 9);
  });

  it('keeps the line busy for unanswered requests', () => {
    const pacer = new LinePacer(timing, 0);
    pacer.silent(0, 8);
    expect(pacer.freeAt).toBeCloseTo(timing.frameMs(8) + timing.t35Ms, 9);
  });

  it('on a real UART (emulateLine: false) waits only t3.5 + turnaround, and keeps the line busy while the reply is sent', () => {
    const pacer = new LinePacer(timing, 5, { emulateLine: false });
    const at = pacer.reply(1000, 8, 25);
    expect(at).toBeCloseTo(1000 + timing.t35Ms + 5, 9);
    expect(pacer.freeAt).toBeCloseTo(at + timing.frameMs(25) + timing.t35Ms, 9);
    // The next request's last byte arrived while the reply was still on the wire: it waits.
    const free = pacer.freeAt;
    expect(pacer.reply(at + 1, 8, 25)).toBeCloseTo(free + timing.t35Ms + 5, 9);
  });
});
