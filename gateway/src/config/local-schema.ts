import * as z from 'zod';
import { Duration, Id } from '@edgefleet/protocol';
import { LONG_DURATION_PATTERN } from './long-duration.js';
import { SIZE_PATTERN } from './size.js';

/** A file path as written; relative paths are resolved against the config file's directory. */
const FilePath = z.string().min(1);

const Size = z.string().regex(SIZE_PATTERN, 'must be a size such as "512KB", "64MB" or "1GB"');
const LongDuration = z.string().regex(LONG_DURATION_PATTERN, 'must be a duration such as "12h" or "7d"');

export const UPLINK_SCHEMES = ['mqtt:', 'mqtts:'] as const;

function isBrokerUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (UPLINK_SCHEMES as readonly string[]).includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

export const TlsFiles = z.strictObject({
  /** CA bundle that signs the broker's certificate (default: the system's CAs). */
  ca: FilePath.optional(),
  /** Client certificate and key, for brokers that authenticate gateways by certificate. */
  cert: FilePath.optional(),
  key: FilePath.optional(),
});

export const Uplink = z.strictObject({
  url: z.string().refine(isBrokerUrl, 'must be an mqtt:// or mqtts:// URL with a host, e.g. "mqtts://fleet.example.com:8883"'),
  /** Stable across restarts, since the session is persistent (clean: false). Default: the gateway id. */
  clientId: z.string().min(1).max(128).optional(),
  /** YAML or JSON file with `username` and `password`, kept out of gateway.yaml. */
  credentialsFile: FilePath.optional(),
  tls: TlsFiles.optional(),
  keepalive: Duration.default('60s'),
});

export const Outbox = z.strictObject({
  /** SQLite file. Default: outbox.sqlite inside dataDir. */
  path: FilePath.optional(),
  maxSize: Size.default('64MB'),
  maxAge: LongDuration.default('7d'),
});

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** The sections that stay on the box: identity, uplink and storage are never pushed by the server. */
export const LocalSections = {
  gateway: z.strictObject({ id: Id }),
  uplink: Uplink,
  outbox: Outbox.prefault({}),
  dataDir: FilePath.default('data'),
  log: z.strictObject({ level: LogLevel.default('info') }).prefault({}),
  health: z.strictObject({ interval: Duration.default('60s') }).prefault({}),
};

/** The credentials file: YAML or JSON (JSON is YAML). */
export const Credentials = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
});
export type Credentials = z.infer<typeof Credentials>;
