import type { IClientOptions } from 'mqtt';
import { isGatewayId } from '@edgefleet/protocol';
import { checkBackoffPolicy, DEFAULT_BACKOFF } from './reconnect-backoff.js';
import type { BackoffPolicy } from './reconnect-backoff.js';
import { DEFAULT_DRAIN_LIMITS } from './outbox-drainer.js';
import type { DrainLimits } from './outbox-drainer.js';
import { UplinkError } from './uplink-error.js';

/** What the composition root hands the uplink, from gateway.yaml and the credentials file. */
export interface UplinkOptions {
  /** mqtt://host:port or mqtts://host:port */
  url: string;
  /** MQTT client id; default the gateway id, so the broker keeps the same persistent session. */
  clientId?: string;
  username?: string;
  password?: string;
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean };
  /** Seconds between PINGREQs when idle; default 30. */
  keepaliveS?: number;
  /** Give up on a CONNACK after this long; default 10 s. */
  connectTimeoutMs?: number;
  limits?: Partial<DrainLimits>;
  backoff?: Partial<BackoffPolicy>;
  /** stop(): how long to keep draining before the offline status and DISCONNECT; default 3 s. */
  stopDeadlineMs?: number;
}

export interface ResolvedUplinkOptions {
  url: string;
  clientId: string;
  limits: DrainLimits;
  backoff: BackoffPolicy;
  stopDeadlineMs: number;
}

const URL_SCHEMES = ['mqtt:', 'mqtts:'];

/** Applies defaults and refuses what cannot work, naming the option. */
export function resolveUplinkOptions(gatewayId: string, options: UplinkOptions): ResolvedUplinkOptions {
  const problems: string[] = [];
  if (!isGatewayId(gatewayId)) problems.push(`gateway id "${gatewayId}" is not a lower-case slug`);
  let scheme = '';
  try {
    scheme = new URL(options.url).protocol;
  } catch {
    problems.push(`url "${options.url}" is not a URL`);
  }
  if (scheme !== '' && !URL_SCHEMES.includes(scheme)) problems.push(`url "${options.url}": scheme must be mqtt:// or mqtts://`);
  const limits = { ...DEFAULT_DRAIN_LIMITS, ...options.limits };
  // protocol/ caps: TelemetryBatch ≤ 10,000 items, EventBatch ≤ 1,000.
  if (!Number.isInteger(limits.window) || limits.window < 1) problems.push(`limits.window must be an integer >= 1 (got ${limits.window})`);
  if (!Number.isInteger(limits.telemetryBatch) || limits.telemetryBatch < 1 || limits.telemetryBatch > 10_000) problems.push(`limits.telemetryBatch must be 1..10000 (got ${limits.telemetryBatch})`);
  if (!Number.isInteger(limits.eventBatch) || limits.eventBatch < 1 || limits.eventBatch > 1_000) problems.push(`limits.eventBatch must be 1..1000 (got ${limits.eventBatch})`);
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  try {
    checkBackoffPolicy(backoff);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) throw new UplinkError('UPLINK_OPTIONS_INVALID', `uplink options: ${problems.join('; ')}`);
  return { url: options.url, clientId: options.clientId ?? gatewayId, limits, backoff, stopDeadlineMs: options.stopDeadlineMs ?? 3_000 };
}

/**
 * mqtt.js options: MQTT 3.1.1 (aedes speaks nothing newer), a persistent session under a
 * stable client id, no automatic reconnect (the uplink runs its own backoff) and no QoS 0
 * offline queue (a health message is worth nothing once stale).
 */
export function buildClientOptions(options: UplinkOptions, resolved: ResolvedUplinkOptions, will: { topic: string; payload: string }): IClientOptions {
  return {
    protocolVersion: 4,
    clean: false,
    clientId: resolved.clientId,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.tls ?? {}),
    keepalive: options.keepaliveS ?? 30,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    reconnectPeriod: 0,
    // With reconnectPeriod 0 this only keeps a refused CONNACK from suppressing our own retries.
    reconnectOnConnackError: true,
    resubscribe: false,
    queueQoSZero: false,
    will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
  };
}
