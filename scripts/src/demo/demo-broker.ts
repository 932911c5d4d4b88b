import { once } from 'node:events';
import net from 'node:net';
import { Aedes, type AedesPublishPacket } from 'aedes';

export interface DemoBroker {
  port: number;
  /** Calls `onMessage` for every message under `filter`, in-process (no client connection). */
  subscribe(filter: string, onMessage: (topic: string, payload: Buffer) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * An embedded aedes broker on a free loopback port. It stands in for the fleet server's broker
 * until that lands (issue 4), so the demo shows gateway → MQTT for real.
 */
export async function startDemoBroker(): Promise<DemoBroker> {
  const broker = await Aedes.createBroker();
  // LIBRARIES.md: always attach an error listener (the typings omit the event).
  (broker as unknown as NodeJS.EventEmitter).on('error', () => undefined);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    subscribe: (filter, onMessage) =>
      new Promise((resolve) =>
        broker.subscribe(
          filter,
          (packet: AedesPublishPacket, done: () => void) => {
            onMessage(packet.topic, packet.payload as Buffer);
            done();
          },
          resolve,
        ),
      ),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
