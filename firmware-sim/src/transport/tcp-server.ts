import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { makeGarbage } from '../faults/bus-faults.js';
import { EXCEPTION, exceptionPdu } from '../modbus/function-codes.js';
import { parseMbapHeader, MBAP_HEADER_BYTES, encodeMbapFrame } from '../modbus/mbap.js';
import { handleSafely } from './unit-lookup.js';
import type { UnitLookup } from './unit-lookup.js';
import { ReplyQueue } from './reply-queue.js';

export interface TcpSimStats {
  connections: number;
  requests: number;
  replies: number;
  /** Connections closed because of a malformed MBAP header. */
  malformed: number;
  /** Requests for a unit id with no device behind it (answered with exception 0x0B). */
  unknownUnit: number;
  /** Replies replaced by garbage. */
  garbage: number;
  /** Requests under a corruptCrc fault, which has no meaning on TCP. */
  crcFaultIgnored: number;
  /** Errors thrown while handling a request (answered with exception 4). */
  handlerErrors: number;
}

export interface TcpSimServer {
  readonly port: number;
  readonly host: string;
  readonly stats: TcpSimStats;
  close(): Promise<void>;
}

export interface TcpServerOptions {
  host?: string;
  port: number;
  units: UnitLookup;
}

/**
 * Modbus TCP slave (Modbus Messaging on TCP/IP Implementation Guide v1.0b). Many unit ids share
 * one port; a unit id with no device is answered with exception 0x0B "gateway target device
 * failed to respond" (§4.4.2 of the guide), so a master fails fast instead of timing out.
 * Requests pipelined on one connection are answered in order.
 */
export async function startTcpServer(opts: TcpServerOptions): Promise<TcpSimServer> {
  const stats: TcpSimStats = {
    connections: 0, requests: 0, replies: 0, malformed: 0, unknownUnit: 0, garbage: 0, crcFaultIgnored: 0, handlerErrors: 0,
  };
  const sockets = new Set<net.Socket>();

  const answer = (unitId: number, pdu: Buffer): { reply: Buffer | undefined; delayMs: number; garbage: boolean } => {
    const unit = opts.units(unitId);
    if (!unit) {
      stats.unknownUnit++;
      return { reply: exceptionPdu(pdu[0] ?? 0, EXCEPTION.gatewayTargetFailedToRespond), delayMs: 0, garbage: false };
    }
    const result = handleSafely(unit, pdu, () => stats.handlerErrors++);
    if (unit.faults.corruptCrc) stats.crcFaultIgnored++;
    return { reply: result.pdu, delayMs: unit.faults.slowMs, garbage: unit.faults.garbage };
  };

  const serve = (socket: net.Socket): void => {
    stats.connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    const queue = new ReplyQueue(socket);
    let pending: Buffer | undefined;
    socket.on('data', (chunk: Buffer) => {
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      while (buf.length >= MBAP_HEADER_BYTES) {
        const header = parseMbapHeader(buf);
        if (!header) {
          stats.malformed++;
          socket.destroy();
          return;
        }
        if (buf.length < header.frameBytes) break;
        stats.requests++;
        const pdu = buf.subarray(MBAP_HEADER_BYTES, header.frameBytes);
        const { reply, delayMs, garbage } = answer(header.unit, pdu);
        if (reply) {
          let frame = encodeMbapFrame(header.transactionId, header.unit, reply);
          if (garbage) {
            stats.garbage++;
            frame = makeGarbage(frame.length);
            // A non-zero protocol id: whatever the random bytes, this is no valid MBAP reply.
            frame[2] = (frame[2] ?? 0) | 0x80;
          }
          stats.replies++;
          queue.push(frame, delayMs);
        }
        buf = buf.subarray(header.frameBytes);
      }
      // Copy the remainder: a subarray would pin the whole chunk until the frame completes.
      if (buf.length > 0) pending = Buffer.from(buf);
      queue.flush();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      queue.clear();
      sockets.delete(socket);
    });
  };

  const server = net.createServer({ noDelay: true }, serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
