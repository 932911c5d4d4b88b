import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { durationMs, parseYamlConfig } from '@edgefleet/device-profiles';
import type { ProfileRegistry } from '@edgefleet/device-profiles';
import { GatewayError } from '../errors.js';
import type { GatewayConfig, TlsPaths } from './gateway-config.js';
import { gatewayFileSchema, managedPart } from './gateway-file-schema.js';
import type { GatewayFile } from './gateway-file-schema.js';
import { Credentials } from './local-schema.js';
import { longDurationMs } from './long-duration.js';
import { parseSize } from './size.js';

/**
 * Reads gateway.yaml: YAML → schema → cross-checks → credentials → resolved, frozen config.
 * Throws ConfigFileError (from @edgefleet/device-profiles; code CONFIG_YAML or CONFIG_INVALID)
 * listing every issue with file, line, column and field; GatewayError CONFIG_UNREADABLE when a
 * file cannot be read at all.
 */
export async function loadGatewayConfig(file: string, registry: ProfileRegistry): Promise<GatewayConfig> {
  const absolute = path.resolve(file);
  const baseDir = path.dirname(absolute);
  const text = await readText(absolute, 'config file');
  const parsed = parseYamlConfig(text, absolute, gatewayFileSchema({ baseDir, registry }));
  const credentialsFile = parsed.uplink.credentialsFile === undefined ? undefined : path.resolve(baseDir, parsed.uplink.credentialsFile);
  const credentials = credentialsFile === undefined
    ? undefined
    : parseYamlConfig(await readText(credentialsFile, 'credentials file'), credentialsFile, Credentials);
  return deepFreeze(resolveConfig(parsed, absolute, { credentialsFile, credentials }));
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new GatewayError('CONFIG_UNREADABLE', `cannot read ${what} ${file}: ${reason}`, { cause: err });
  }
}

function resolveConfig(
  parsed: GatewayFile,
  file: string,
  secrets: Pick<GatewayConfig['uplink'], 'credentials' | 'credentialsFile'>,
): GatewayConfig {
  const baseDir = path.dirname(file);
  const resolve = (p: string): string => path.resolve(baseDir, p);
  const dataDir = resolve(parsed.dataDir);
  const { uplink, outbox } = parsed;
  return {
    file,
    gateway: { id: parsed.gateway.id },
    uplink: {
      url: uplink.url,
      clientId: uplink.clientId ?? parsed.gateway.id,
      ...dropUndefined(secrets),
      ...(uplink.tls ? { tls: resolveTls(uplink.tls, resolve) } : {}),
      keepaliveSeconds: Math.round(durationMs(uplink.keepalive) / 1000),
    },
    outbox: {
      path: outbox.path === undefined ? path.join(dataDir, 'outbox.sqlite') : resolve(outbox.path),
      maxBytes: parseSize(outbox.maxSize),
      maxAgeMs: longDurationMs(outbox.maxAge),
    },
    dataDir,
    log: { level: parsed.log.level },
    health: { intervalMs: durationMs(parsed.health.interval) },
    managed: managedPart(parsed),
  };
}

function resolveTls(tls: TlsPaths, resolve: (p: string) => string): TlsPaths {
  const out: TlsPaths = {};
  if (tls.ca !== undefined) out.ca = resolve(tls.ca);
  if (tls.cert !== undefined) out.cert = resolve(tls.cert);
  if (tls.key !== undefined) out.key = resolve(tls.key);
  return out;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
