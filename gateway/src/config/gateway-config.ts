import type { ManagedConfig } from '@edgefleet/protocol';
import type { Credentials } from './local-schema.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** TLS material for mqtts://, as absolute paths (read at connect time, so certificates can rotate). */
export interface TlsPaths {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface UplinkConfig {
  url: string;
  /** Defaults to the gateway id: a persistent session needs the same id on every connect. */
  clientId: string;
  /** Read from credentialsFile at load. */
  credentials?: Credentials;
  credentialsFile?: string;
  tls?: TlsPaths;
  keepaliveSeconds: number;
}

export interface OutboxConfig {
  /** Absolute path of the SQLite file. */
  path: string;
  maxBytes: number;
  maxAgeMs: number;
}

/**
 * gateway.yaml, validated, resolved (absolute paths, milliseconds, bytes) and deeply frozen.
 * `managed` is the part the fleet server may replace (ManagedConfig, in its wire form: its
 * durations stay strings, converted with durationMs where used).
 */
export interface GatewayConfig {
  /** Absolute path of the file it came from. */
  file: string;
  gateway: { id: string };
  uplink: UplinkConfig;
  outbox: OutboxConfig;
  /** Absolute; holds the applied managed config and learned device limits. */
  dataDir: string;
  log: { level: LogLevel };
  health: { intervalMs: number };
  managed: ManagedConfig;
}
