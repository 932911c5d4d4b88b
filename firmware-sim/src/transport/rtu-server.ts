import { SerialPort } from 'serialport';
import { makeGarbage } from '../faults/bus-faults.js';
import type { BusFaults } from '../faults/bus-faults.js';
import { hasValidCrc, writeCrc } from '../modbus/crc16.js';
import { WRITE_FUNCTIONS } from '../modbus/function-codes.js';
import { bitsPerChar, lineTiming } from '../modbus/line-timing.js';
import type { LineTiming } from '../modbus/line-timing.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { LinePacer } from './line-pacer.js';
import { QuietLineTimer } from './quiet-line-timer.js';
import { RtuFramer } from './rtu-framer.js';
import type { FramerEvent } from './rtu-framer.js';
import { handleSafely } from './unit-lookup.js';
import type { UnitLookup } from './unit-lookup.js';

export interface RtuServerOptions {
  path: string;
  baud: number;
  parity?: 'none' | 'even' | 'odd';
  dataBits?: 8 | 7;
  /** Default 2 without parity, 1 with: 11 bits a character (Modbus over Serial Line v1.02 §2.5.1). */
  stopBits?: 1 | 2;
  /** Device turnaround between the request's t3.5 and the first response byte. Default 0. */
  turnaroundMs?: number;
  /**
   * Default true: the port moves bytes instantly (a PTY), so the simulator emulates the line's
   * character times. Set false on a real serial adapter, whose UART already takes them.
   */
  emulateLine?: boolean;
  units: UnitLookup;
}

export interface RtuSimStats {
  frames: number;
  replies: number;
  crcErrors: number;
  /** Bytes that formed no request, and partial frames the line abandoned. */
  malformed: number;
  /** Frames for unit ids no simulated device answers to (another device on the shared bus). */
  otherUnit: number;
  broadcasts: number;
  garbage: number;
  crcCorrupted: number;
  handlerErrors: number;
  writeErrors: number;
  /** Replies handed to the port more than LATE_MS after their paced deadline (a busy host). */
  lateReplies: number;
  /** Worst lateness seen, in ms. */
  maxLateMs: number;
}

export interface RtuSimServer {
  readonly path: string;
  readonly baud: number;
  readonly timing: LineTiming;
  readonly stats: RtuSimStats;
  close(): Promise<void>;
}

/** Highest unit id a broadcast reaches (Modbus over Serial Line v1.02 §2.2: 1..247). */
const MAX_UNIT = 247;
/** A partial frame left this long without another byte is abandoned (the master gave up). */
const STALE_FRAME_MS = 50;
/** Lateness that counts as a late reply: a tenth of a character at 115200 baud is ~0.01 ms. */
const LATE_MS = 0.5;

/** Random bytes of `length` that do not form a frame with a valid CRC. */
function garbageFrame(length: number): Buffer {
  const bytes = makeGarbage(length);
  if (hasValidCrc(bytes)) bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
  return bytes;
}

function openPort(opts: RtuServerOptions, stopBits: 1 | 2): Promise<SerialPort> {
  const port = new SerialPort({
    path: opts.path, baudRate: opts.baud, dataBits: opts.dataBits ?? 8, parity: opts.parity ?? 'none', stopBits, autoOpen: false,
  });
  return new Promise((resolve, reject) => {
    port.open((err) => (err ? reject(new Error(`RTU sim: cannot open ${opts.path}: ${err.message}`)) : resolve(port)));
  });
}

/**
 * Modbus RTU slave on a serial port (usually one end of a socat PTY pair). Many unit ids may
 * share the bus; frames for other ids are ignored, broadcasts (unit 0) are applied to every
 * unit without a reply, and replies are paced like a real line (see LinePacer).
 */
export async function startRtuServer(opts: RtuServerOptions): Promise<RtuSimServer> {
  const parity = opts.parity ?? 'none';
  const stopBits = opts.stopBits ?? (parity === 'none' ? 2 : 1);
  const timing = lineTiming(opts.baud, { bitsPerChar: bitsPerChar({ dataBits: opts.dataBits, parity, stopBits }) });
  const pacer = new LinePacer(timing, opts.turnaroundMs ?? 0, { emulateLine: opts.emulateLine });
  const scheduler = new DeadlineScheduler();
  const framer = new RtuFramer();
  const stats: RtuSimStats = {
    frames: 0, replies: 0, crcErrors: 0, malformed: 0, otherUnit: 0, broadcasts: 0, garbage: 0, crcCorrupted: 0, handlerErrors: 0, writeErrors: 0, lateReplies: 0, maxLateMs: 0,
  };
  const port = await openPort(opts, stopBits);
  const onHandlerError = (): void => void stats.handlerErrors++;

  const broadcast = (pdu: Buffer): void => {
    stats.broadcasts++;
    // App Protocol v1.1b3 §4.1 / Serial Line §2.1: only writes may be broadcast; never answered.
    if (!WRITE_FUNCTIONS.includes(pdu[0] ?? 0)) return;
    for (let id = 1; id <= MAX_UNIT; id++) {
      const unit = opts.units(id);
      if (unit) handleSafely(unit, pdu, onHandlerError);
    }
  };

  /** The reply ADU (address, PDU, CRC) with the unit's framing faults applied. */
  const frameReply = (address: number, pdu: Buffer, faults: BusFaults): Buffer => {
    const adu = Buffer.allocUnsafe(pdu.length + 3);
    adu[0] = address;
    pdu.copy(adu, 1);
    writeCrc(adu);
    if (faults.corruptCrc) {
      stats.crcCorrupted++;
      adu[adu.length - 1] = (adu[adu.length - 1] ?? 0) ^ 0xff;
    }
    if (!faults.garbage) return adu;
    stats.garbage++;
    return garbageFrame(adu.length);
  };

  const sendAt = (at: number, adu: Buffer): void =>
    scheduler.at(at, () => {
      const late = performance.now() - at;
      if (late > LATE_MS) stats.lateReplies++;
      stats.maxLateMs = Math.max(stats.maxLateMs, late);
      stats.replies++;
      port.write(adu, (err) => {
        if (err) stats.writeErrors++;
      });
    });

  const answer = (frame: Buffer, arrival: number): void => {
    stats.frames++;
    const address = frame[0] ?? 0;
    const pdu = frame.subarray(1, frame.length - 2);
    const unit = address === 0 ? undefined : opts.units(address);
    if (address === 0) broadcast(pdu);
    else if (!unit) stats.otherUnit++;
    const reply = unit ? handleSafely(unit, pdu, onHandlerError) : undefined;
    if (!unit || !reply?.pdu) return pacer.silent(arrival, frame.length);
    const adu = frameReply(address, reply.pdu, unit.faults);
    sendAt(pacer.reply(arrival, frame.length, adu.length, unit.faults.slowMs), adu);
  };

  const quiet = new QuietLineTimer(STALE_FRAME_MS, () => {
    if (framer.discard() > 0) stats.malformed++;
  });
  const onEvent = (event: FramerEvent, arrival: number): void => {
    if (event.kind === 'frame') answer(event.frame, arrival);
    else if (event.kind === 'crc-error') stats.crcErrors++;
    else stats.malformed++;
    if (event.kind !== 'frame') pacer.silent(arrival, event.bytes);
  };
  port.on('data', (chunk: Buffer) => {
    const arrival = performance.now();
    quiet.cancel();
    for (const event of framer.push(chunk)) onEvent(event, arrival);
    if (framer.pending > 0) quiet.arm();
  });
  // An error (EIO when the far end of a PTY vanishes) must not crash the simulator.
  port.on('error', () => void stats.writeErrors++);

  return {
    path: opts.path,
    baud: opts.baud,
    timing,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        scheduler.clear();
        quiet.cancel();
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}
