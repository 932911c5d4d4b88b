import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import pino from 'pino';
import { MemoryCredentials } from '../../src/broker/credentials.js';
import { startBroker } from '../../src/broker/start-broker.js';
import type { BrokerRateLimit, RunningBroker } from '../../src/broker/start-broker.js';

export const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };
export const SECRETS = { 'gw-a': 'alpha-secret', 'gw-b': 'bravo-secret' } as const;

export async function startTestBroker(rateLimit?: BrokerRateLimit): Promise<RunningBroker> {
  const credentials = new MemoryCredentials(CHEAP_SCRYPT);
  for (const [id, secret] of Object.entries(SECRETS)) await credentials.add(id, secret);
  const generous = { attempts: 1000, windowMs: 60_000 };
  return startBroker({
    host: '127.0.0.1',
    port: 0,
    credentials,
    logger: pino({ level: 'silent' }),
    rateLimit: rateLimit ?? { perClientId: generous, perAddress: generous },
  });
}

/** Connects once (no reconnects); rejects with mqtt.js' error, whose `code` is the CONNACK return code. */
export function connectOnce(port: number, options: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

/** Resolves with the CONNACK return code of a refused connection (fails if it was accepted). */
export async function refusalCode(port: number, options: IClientOptions): Promise<number | undefined> {
  try {
    const client = await connectOnce(port, options);
    await client.endAsync();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  throw new Error('connection was accepted');
}

export function asGateway(id: keyof typeof SECRETS, extra: IClientOptions = {}): IClientOptions {
  return { clientId: id, username: id, password: SECRETS[id], ...extra };
}
