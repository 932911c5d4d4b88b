import net from 'node:net';
import { once } from 'node:events';
import { Aedes } from 'aedes';
import type { AedesOptions, AedesPublishPacket, Client } from 'aedes';

/** One message as the broker saw it: exactly the flags the publishing client set. */
export interface SeenPublish {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  clientId: string | undefined;
}

/**
 * An aedes broker on a real socket (port 0, or a given port to come back on after an outage).
 * `published` records every client publish in arrival order (from the broker's 'publish'
 * event, so qos/retain are what the client sent); close() destroys every connection abruptly.
 */
export class TestBroker {
  readonly broker: Aedes;
  readonly server: net.Server;
  readonly port: number;
  readonly published: SeenPublish[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(broker: Aedes, server: net.Server, port: number) {
    this.broker = broker;
    this.server = server;
    this.port = port;
  }

  static async start(port = 0, options: AedesOptions = {}, beforeListen?: (broker: Aedes) => Promise<void> | void): Promise<TestBroker> {
    const broker = await Aedes.createBroker(options);
    // LIBRARIES.md: always attach an error listener (the typings omit the event).
    (broker as unknown as NodeJS.EventEmitter).on('error', () => undefined);
    const server = net.createServer((socket) => broker.handle(socket));
    await beforeListen?.(broker);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address() as net.AddressInfo;
    const test = new TestBroker(broker, server, address.port);
    server.on('connection', (socket) => {
      test.sockets.add(socket);
      socket.on('close', () => test.sockets.delete(socket));
    });
    broker.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
      if (client === null) return;
      test.published.push({ topic: packet.topic, payload: packet.payload.toString(), qos: packet.qos, retain: packet.retain, clientId: client.id });
    });
    return test;
  }

  /** Destroys the connection of client `id` without a DISCONNECT (the will fires). */
  dropClient(id: string): boolean {
    const clients = (this.broker as unknown as { clients: Record<string, { conn: net.Socket } | undefined> }).clients;
    const conn = clients[id]?.conn;
    if (conn === undefined) return false;
    conn.destroy();
    return true;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port that nothing listens on right now (listen on 0, then close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves when `predicate` holds, re-checked on each broker publish; rejects after `ms`. */
export function waitFor(test: () => boolean, emitter: { on(e: string, l: () => void): unknown; removeListener(e: string, l: () => void): unknown }, event: string, ms = 10_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (test()) {
      resolve();
      return;
    }
    const check = (): void => {
      if (!test()) return;
      clearTimeout(timer);
      emitter.removeListener(event, check);
      resolve();
    };
    const timer = setTimeout(() => {
      emitter.removeListener(event, check);
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    emitter.on(event, check);
  });
}
