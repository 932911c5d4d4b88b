import type { EventEmitter } from 'node:events';
import net from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import type { AuthenticateError, Client } from 'aedes';
import type { Logger } from 'pino';
import { isGatewayId } from '@edgefleet/protocol';
import { certBindingMismatch } from './cert-identity.js';
import { isAllowedWill, isSysTopic, mayPublish, mayPublishOrphanWill, maySubscribe } from './acl.js';
import type { GatewayCredentials } from './credentials.js';
import { RateLimiter } from './rate-limiter.js';
import type { RateLimit } from './rate-limiter.js';
import { tlsServerOptions } from './tls-material.js';
import type { TlsMaterial } from './tls-material.js';

// CONNACK return codes, MQTT 3.1.1 §3.2.2.3 (aedes' AuthErrorCode is an ambient const enum,
// unusable under verbatimModuleSyntax).
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

export interface BrokerRateLimit {
  /** Connection attempts per client id (default 10 a minute). */
  perClientId?: RateLimit;
  /** Connection attempts per remote address (default 120 a minute: a site's gateways may share a NAT). */
  perAddress?: RateLimit;
  /** Clock for the buckets (tests pass a fake one). */
  now?: () => number;
}

export interface BrokerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  credentials: GatewayCredentials;
  logger: Logger;
  rateLimit?: BrokerRateLimit;
  /** A second, mqtts listener (same broker, same auth and ACL). */
  tls?: TlsMaterial;
  /**
   * Handles every authorized uplink publish (also wills) BEFORE the broker acknowledges or routes
   * it: the PUBACK is written only once the returned promise resolves. A rejection refuses the
   * publish: no PUBACK, the connection closes, and the client sends the message again.
   */
  uplink?: UplinkSink;
}

export interface UplinkSink {
  receive(topic: string, payload: Buffer): Promise<unknown>;
}

/** Who an authenticated connection is. */
export interface Identity {
  gatewayId: string;
}

export interface BrokerStats {
  refusedConnects: Record<'rateLimited' | 'badCredentials' | 'clientIdMismatch' | 'certMismatch' | 'foreignWill' | 'verifyFailed', number>;
  deniedPublishes: number;
  deniedSubscribes: number;
  /** clientError events per gateway id ('' for connections that never authenticated). */
  clientErrors: ReadonlyMap<string, number>;
}

export interface RunningBroker {
  port: number;
  /** The mqtts port, when `tls` was given. */
  tlsPort?: number;
  broker: Aedes;
  /** Identity of an authenticated client (undefined before authentication). */
  identityOf(client: Client): Identity | undefined;
  stats(): BrokerStats;
  close(): Promise<void>;
}

function refusal(message: string, returnCode: number): AuthenticateError {
  // The number is one of AuthErrorCode's values; the cast only bridges the ambient const enum.
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function remoteAddressOf(client: Client): string {
  const conn = client.conn as Partial<Socket>;
  return conn.remoteAddress ?? 'unknown';
}

/** Listens; resolves once bound, rejects with the bind error (EADDRINUSE, EACCES). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Starts the embedded MQTT 3.1.1 broker on plain TCP, and on TLS when configured, with per-gateway
 * authentication (username = client id = gateway id, password = secret; on mqtts with
 * bindClientCertToGateway also a client certificate that names that id) and the topic ACL.
 * The server itself publishes and subscribes in-process through `broker.publish`/`broker.subscribe`,
 * which bypass the ACL.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { credentials, logger } = options;
  const now = options.rateLimit?.now ?? Date.now;
  const byClientId = new RateLimiter(options.rateLimit?.perClientId ?? { attempts: 10, windowMs: 60_000 }, now);
  const byAddress = new RateLimiter(options.rateLimit?.perAddress ?? { attempts: 120, windowMs: 60_000 }, now);
  // aedes keeps neither the username nor the will on the public client: keep them here.
  const identities = new WeakMap<Client, Identity>();
  // Only the will topic: keeping the whole CONNECT would keep the password on the heap.
  const willTopics = new WeakMap<Client, string>();
  const stats: BrokerStats = {
    refusedConnects: { rateLimited: 0, badCredentials: 0, clientIdMismatch: 0, certMismatch: 0, foreignWill: 0, verifyFailed: 0 },
    deniedPublishes: 0,
    deniedSubscribes: 0,
    clientErrors: new Map<string, number>(),
  };
  const clientErrors = stats.clientErrors as Map<string, number>;
  // Sockets of the mqtts listener when its client certificate must name the gateway.
  const certBound = new WeakSet<object>();

  async function authenticate(client: Client, username: string | undefined, password: Buffer | undefined): Promise<void> {
    const address = remoteAddressOf(client);
    const log = logger.child({ clientId: client.id, address });
    // Limits come before scrypt so a flood of guesses cannot burn the server's CPU.
    if (!byAddress.tryTake(address) || !byClientId.tryTake(client.id)) {
      stats.refusedConnects.rateLimited += 1;
      log.warn('mqtt connect refused: too many attempts');
      throw refusal('too many connection attempts', NOT_AUTHORIZED);
    }
    if (username === undefined || password === undefined || !isGatewayId(username)) {
      stats.refusedConnects.badCredentials += 1;
      log.warn('mqtt connect refused: missing or malformed username/password');
      throw refusal('bad username or password', BAD_USERNAME_OR_PASSWORD);
    }
    // A gateway may not take over another's session: the client id must be its own id.
    if (client.id !== username) {
      stats.refusedConnects.clientIdMismatch += 1;
      log.warn({ username }, 'mqtt connect refused: client id differs from username');
      throw refusal('client id must equal the gateway id', IDENTIFIER_REJECTED);
    }
    // Before scrypt: a certificate of another gateway is refused whatever secret comes with it.
    const mismatch = certBound.has(client.conn) ? certBindingMismatch(client.conn, username) : undefined;
    if (mismatch !== undefined) {
      stats.refusedConnects.certMismatch += 1;
      log.warn({ gatewayId: username, certSubject: mismatch.subject, certSubjectAltName: mismatch.subjectAltName },
        'mqtt connect refused: client certificate does not name this gateway');
      throw refusal('client certificate does not name this gateway', NOT_AUTHORIZED);
    }
    const willTopic = willTopics.get(client);
    if (willTopic !== undefined && !isAllowedWill(username, willTopic)) {
      stats.refusedConnects.foreignWill += 1;
      log.warn({ willTopic }, 'mqtt connect refused: will topic is not the own status topic');
      throw refusal('will topic must be the gateway status topic', NOT_AUTHORIZED);
    }
    let ok: boolean;
    try {
      ok = await credentials.verify(username, password.toString('utf8'));
    } catch (err) {
      stats.refusedConnects.verifyFailed += 1;
      log.error({ err }, 'mqtt connect refused: credential check failed');
      throw refusal('credential check failed', SERVER_UNAVAILABLE);
    }
    if (!ok) {
      stats.refusedConnects.badCredentials += 1;
      log.warn('mqtt connect refused: bad username or password');
      throw refusal('bad username or password', BAD_USERNAME_OR_PASSWORD);
    }
    identities.set(client, { gatewayId: username });
    log.info('gateway authenticated');
  }

  const broker = await Aedes.createBroker({
    preConnect(client, packet, done) {
      if (packet.will) willTopics.set(client, packet.will.topic);
      done(null, true);
    },
    authenticate(client, username, password, done) {
      authenticate(client, username, password).then(
        () => done(null, true),
        (err: AuthenticateError) => done(err, false),
      );
    },
    authorizePublish(client, packet, done) {
      const gatewayId = client === null ? undefined : identities.get(client)?.gatewayId;
      // Supplying this hook drops aedes' default $SYS guard: isSysTopic is checked in both paths.
      const allowed =
        client === null ? mayPublishOrphanWill(packet.topic) : gatewayId !== undefined && mayPublish(gatewayId, packet.topic);
      const uplink = options.uplink;
      if (allowed && uplink === undefined) return done(null);
      if (allowed && uplink !== undefined) {
        // aedes 1.2.0 (lib/handlers/publish.js) writes the QoS 1 PUBACK right after this hook and
        // before routing: storing here is what makes a PUBACK mean "stored".
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        uplink.receive(packet.topic, payload).then(
          () => done(null),
          (err: unknown) => {
            logger.warn({ gatewayId, topic: packet.topic, err: (err as Error).message }, 'mqtt publish refused: not stored, no PUBACK');
            done(err as Error);
          },
        );
        return;
      }
      stats.deniedPublishes += 1;
      logger.warn({ gatewayId, topic: packet.topic, sys: isSysTopic(packet.topic) }, 'mqtt publish denied');
      done(new Error(`publish to "${packet.topic}" not allowed`));
    },
    authorizeSubscribe(client, sub, done) {
      const gatewayId = identities.get(client)?.gatewayId;
      if (gatewayId !== undefined && maySubscribe(gatewayId, sub.topic)) return done(null, sub);
      stats.deniedSubscribes += 1;
      logger.warn({ gatewayId, topic: sub.topic }, 'mqtt subscribe denied');
      done(null, null);
    },
  });

  // aedes' typings omit 'error'; an unhandled one would crash the process.
  const emitter: EventEmitter = broker;
  emitter.on('error', (err: Error) => logger.error({ err }, 'mqtt broker error'));
  broker.on('clientError', (client, err) => {
    // A denied publish closes the connection and mqtt.js re-sends it after every reconnect:
    // a rising count per gateway is that poison loop (the per-client-id rate limit caps it).
    const key = identities.get(client)?.gatewayId ?? '';
    const count = (clientErrors.get(key) ?? 0) + 1;
    clientErrors.set(key, count);
    logger.warn({ gatewayId: key || undefined, count, err: err.message }, 'mqtt client error');
  });
  broker.on('connectionError', (client, err) => {
    logger.debug({ address: remoteAddressOf(client), err: err.message }, 'mqtt connection error');
  });

  const sockets = new Set<Socket>();
  const accept = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  };
  const servers: Server[] = [];
  const closeServers = async (): Promise<void> => {
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
  };

  let port: number;
  let tlsPort: number | undefined;
  try {
    const server = net.createServer(accept);
    servers.push(server);
    port = await listen(server, options.port, options.host);
    if (options.tls) {
      // secureConnection: aedes gets the socket after the handshake (and the client-cert check).
      const bind = options.tls.bindClientCertToGateway;
      const tlsServer = tls.createServer(tlsServerOptions(options.tls), (socket) => {
        if (bind) certBound.add(socket);
        accept(socket);
      });
      servers.push(tlsServer);
      tlsServer.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'mqtts handshake failed'));
      tlsPort = await listen(tlsServer, options.tls.port, options.host);
    }
  } catch (err) {
    await closeServers();
    throw err;
  }
  for (const server of servers) server.on('error', (err) => logger.error({ err }, 'mqtt listener error'));
  logger.info({ host: options.host, port, tlsPort }, 'mqtt broker listening');

  return {
    port,
    ...(tlsPort === undefined ? {} : { tlsPort }),
    broker,
    identityOf: (client) => identities.get(client),
    stats: () => ({
      refusedConnects: { ...stats.refusedConnects },
      deniedPublishes: stats.deniedPublishes,
      deniedSubscribes: stats.deniedSubscribes,
      clientErrors: new Map(clientErrors),
    }),
    close: closeServers,
  };
}
