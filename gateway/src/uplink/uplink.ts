import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { GatewayHealth } from '@edgefleet/protocol';
import type { DownlinkChannel, GatewayStatus } from '@edgefleet/protocol';
import type { OutboxApi } from '../outbox/outbox-types.js';
import { buildStatus } from './gateway-status.js';
import type { ConfigStatus } from './gateway-status.js';
import { OutboxDrainer } from './outbox-drainer.js';
import type { DrainStats } from './outbox-drainer.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { attemptAfterClose, reconnectDelay } from './reconnect-backoff.js';
import { UplinkError } from './uplink-error.js';
import { buildClientOptions, resolveUplinkOptions } from './uplink-options.js';
import { REAL_TIMERS, withDeadline } from './uplink-timers.js';
import type { UplinkTimers } from './uplink-timers.js';
import type { ResolvedUplinkOptions, UplinkOptions } from './uplink-options.js';
import { assertUplinkTopic, downlinkChannelOf, topicsOf } from './uplink-topics.js';
import type { GatewayTopics } from './uplink-topics.js';

export interface UplinkDeps {
  gatewayId: string;
  outbox: OutboxApi;
  logger: Logger;
  softwareVersion: string;
  now?: () => number;
  /** [0, 1) for the reconnect jitter. */
  random?: () => number;
  timers?: UplinkTimers;
  /** The config version reported in status until the downlink reports another. */
  configStatus?: ConfigStatus;
  /** Messages on this gateway's config and cmd topics (the Downlink's handle()). */
  onDownlink?: (channel: DownlinkChannel, payload: Buffer) => Promise<void> | void;
}

export interface UplinkStats extends DrainStats {
  connected: boolean;
  connects: number;
  /** Reconnect attempts scheduled since start. */
  reconnects: number;
  /** Client 'error' events: failed attempts, refused CONNACKs, socket errors. */
  errors: number;
  healthSent: number;
  healthSkipped: number;
  /** Messages received on topics other than this gateway's config/cmd. */
  foreignMessages: number;
}

/**
 * The MQTT uplink (ARCHITECTURE.md "The uplink"): keeps one broker connection with its own
 * backoff, publishes the retained status, drains the outbox through OutboxDrainer, sends
 * health, and passes downlink messages on.
 */
export class Uplink {
  private readonly deps: UplinkDeps;
  private readonly options: UplinkOptions;
  private readonly resolved: ResolvedUplinkOptions;
  private readonly topics: GatewayTopics;
  private readonly now: () => number;
  private readonly timers: UplinkTimers;
  private readonly drainer: OutboxDrainer;
  private client: MqttClient | undefined;
  private configStatus: ConfigStatus | undefined;
  private reconnectTimer: unknown;
  private attempt = 0;
  private connectedAt: number | undefined;
  private stopping = false;
  private unsubscribeAppend: (() => void) | undefined;
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private readonly counters = { connects: 0, reconnects: 0, errors: 0, healthSent: 0, healthSkipped: 0, foreignMessages: 0 };

  constructor(deps: UplinkDeps, options: UplinkOptions) {
    this.deps = deps;
    this.options = options;
    this.resolved = resolveUplinkOptions(deps.gatewayId, options);
    this.topics = topicsOf(deps.gatewayId);
    this.now = deps.now ?? Date.now;
    this.timers = deps.timers ?? REAL_TIMERS;
    this.configStatus = deps.configStatus;
    this.drainer = new OutboxDrainer({
      gatewayId: deps.gatewayId,
      outbox: deps.outbox,
      publish: (message) => this.publishQos1(message),
      now: this.now,
      logger: deps.logger,
      limits: this.resolved.limits,
    });
  }

  /** Connects in the background and keeps reconnecting with backoff; network errors never throw. */
  start(): void {
    if (this.client !== undefined) throw new Error('uplink already started');
    this.unsubscribeAppend = this.deps.outbox.onAppend(() => this.drainer.kick());
    const client = mqtt.connect(this.resolved.url, this.clientOptions());
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('close', () => this.onClose());
    client.on('error', (err) => {
      this.counters.errors += 1;
      this.deps.logger.warn({ err: err.message, code: (err as { code?: unknown }).code }, 'uplink: connection error');
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  /** Called with true after each CONNACK (once the status is sent) and false on each loss. */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  isConnected(): boolean {
    return this.client?.connected === true;
  }

  /** The config version applied or rejected last; republished in the retained status at once. */
  setConfigStatus(config: ConfigStatus): void {
    this.configStatus = config;
    const client = this.client;
    if (client?.connected === true && !this.stopping) this.publishStatus(client, 'online');
  }

  /** QoS 0 on the health topic: a lost one is replaced by the next. False when not sent. */
  publishHealth(health: GatewayHealth): boolean {
    const client = this.client;
    const parsed = GatewayHealth.safeParse(health);
    if (!parsed.success) {
      this.deps.logger.error({ issues: parsed.error.issues }, 'uplink: health message fails the wire schema; not sent');
      this.counters.healthSkipped += 1;
      return false;
    }
    if (client?.connected !== true || this.stopping) {
      this.counters.healthSkipped += 1;
      return false;
    }
    const topic = this.topics.health;
    assertUplinkTopic(this.deps.gatewayId, topic);
    client.publish(topic, JSON.stringify(parsed.data), { qos: 0, retain: false });
    this.counters.healthSent += 1;
    return true;
  }

  stats(): UplinkStats {
    return { ...this.drainer.stats(), ...this.counters, connected: this.isConnected() };
  }

  /**
   * Drains what it can within stopDeadlineMs, publishes the retained offline status (reason
   * "shutdown") and ends the session with a DISCONNECT, so the broker discards the last will.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.unsubscribeAppend?.();
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const client = this.client;
    if (client === undefined) return;
    const deadline = this.now() + this.resolved.stopDeadlineMs;
    if (client.connected) {
      this.deps.outbox.flush();
      this.drainer.kick();
      await withDeadline(this.drainer.whenIdle(), deadline - this.now());
    }
    this.drainer.stop();
    if (client.connected) {
      await withDeadline(this.publishStatus(client, 'offline', 'shutdown'), deadline - this.now());
      // Un-acked publishes would hold end() back indefinitely; their rows stay in the outbox.
      dropUnackedPublishes(client);
      await withDeadline(client.endAsync(), Math.max(deadline - this.now(), 500));
    }
    if (client.disconnected) return;
    // A graceful end that missed its deadline leaves mqtt.js "disconnecting", where end()
    // is a no-op: close the socket ourselves (the broker then publishes the will).
    if (client.disconnecting) client.stream?.destroy();
    else await withDeadline(client.endAsync(true), 1_000);
  }

  private clientOptions(): IClientOptions {
    return buildClientOptions(this.options, this.resolved, { topic: this.topics.status, payload: this.statusPayload('offline', 'lastwill') });
  }

  private statusPayload(state: GatewayStatus['state'], reason?: string): string {
    return JSON.stringify(
      buildStatus({
        gatewayId: this.deps.gatewayId,
        state,
        ts: this.now(),
        ...(reason === undefined ? {} : { reason }),
        softwareVersion: this.deps.softwareVersion,
        ...(this.configStatus === undefined ? {} : { config: this.configStatus }),
      }),
    );
  }

  private publishStatus(client: MqttClient, state: GatewayStatus['state'], reason?: string): Promise<void> {
    const topic = this.topics.status;
    assertUplinkTopic(this.deps.gatewayId, topic);
    return client.publishAsync(topic, this.statusPayload(state, reason), { qos: 1, retain: true }).then(
      () => undefined,
      (err: unknown) => this.deps.logger.warn({ err, state }, 'uplink: status publish failed'),
    );
  }

  private onConnect(client: MqttClient): void {
    if (this.stopping) return;
    this.counters.connects += 1;
    this.connectedAt = this.now();
    this.deps.logger.info({ url: this.resolved.url, clientId: this.resolved.clientId, connects: this.counters.connects }, 'uplink: connected');
    // Written in this order on one connection: status online, subscriptions, then the backlog.
    void this.publishStatus(client, 'online');
    client.subscribeAsync({ [this.topics.config]: { qos: 1 }, [this.topics.cmd]: { qos: 1 } }).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'uplink: subscribing to config/cmd failed (broker ACL?); the downlink is deaf until the next connect');
    });
    this.drainer.resume();
    this.notifyConnection(true);
  }

  private notifyConnection(connected: boolean): void {
    for (const listener of this.connectionListeners) {
      try {
        listener(connected);
      } catch (err) {
        this.deps.logger.error({ err }, 'uplink: connection listener threw');
      }
    }
  }

  private onClose(): void {
    this.drainer.suspend();
    if (this.client !== undefined) dropUnackedPublishes(this.client);
    const connectedFor = this.connectedAt === undefined ? undefined : this.now() - this.connectedAt;
    if (this.connectedAt !== undefined) {
      this.deps.logger.warn({ connectedForMs: connectedFor }, 'uplink: connection lost');
      this.notifyConnection(false);
    }
    this.connectedAt = undefined;
    if (this.stopping || this.reconnectTimer !== undefined) return;
    this.attempt = attemptAfterClose(this.attempt, connectedFor, this.resolved.backoff);
    const delay = reconnectDelay(this.attempt, this.resolved.backoff, this.deps.random ?? Math.random);
    this.attempt += 1;
    this.counters.reconnects += 1;
    this.deps.logger.info({ delayMs: delay, attempt: this.attempt }, 'uplink: reconnect scheduled');
    this.reconnectTimer = this.timers.setTimeout(() => this.reconnect(), delay);
  }

  private reconnect(): void {
    this.reconnectTimer = undefined;
    const client = this.client;
    if (client === undefined || this.stopping) return;
    // The will is fixed per CONNECT: refresh its timestamp for this session.
    client.options.will = this.clientOptions().will;
    client.reconnect();
  }

  private onMessage(topic: string, payload: Buffer): void {
    const channel = downlinkChannelOf(this.deps.gatewayId, topic);
    if (channel === undefined) {
      this.counters.foreignMessages += 1;
      this.deps.logger.warn({ topic }, 'uplink: message on a topic this gateway did not subscribe to; ignored');
      return;
    }
    try {
      const done = this.deps.onDownlink?.(channel, payload);
      if (done !== undefined) done.catch((err: unknown) => this.deps.logger.error({ err, topic }, 'uplink: downlink handler failed'));
    } catch (err) {
      this.deps.logger.error({ err, topic }, 'uplink: downlink handler threw');
    }
  }

  private publishQos1(message: OutgoingMessage): Promise<void> {
    const client = this.client;
    if (client?.connected !== true) return Promise.reject(new UplinkError('UPLINK_NOT_CONNECTED', `not connected: ${message.channel} message not sent`));
    assertUplinkTopic(this.deps.gatewayId, message.topic);
    return client.publishAsync(message.topic, message.payload, { qos: 1, retain: false }).then(() => undefined);
  }
}

/**
 * Forgets mqtt.js's un-acked QoS 1 publishes (their promises reject; the drainer ignores a
 * past generation). MQTT 3.1.1 §4.4 would re-send them with their old packet ids before
 * anything else — stale telemetry ahead of the alarms raised during the outage. Their rows
 * are still in the outbox and go again, events first, as new packets; the server dedups by
 * seq. It also keeps abandoned payloads from piling up across reconnects.
 */
function dropUnackedPublishes(client: MqttClient): void {
  for (const [id, pending] of Object.entries(client.outgoing)) {
    if (pending.cmd === 'publish') client.removeOutgoingMessage(Number(id));
  }
}
