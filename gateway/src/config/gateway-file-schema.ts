import { statSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { ProfileRegistry } from '@edgefleet/device-profiles';
import { ManagedConfig } from '@edgefleet/protocol';
import type { ManagedConfig as ManagedConfigData } from '@edgefleet/protocol';
import { checkManagedConfig } from './check-managed.js';
import type { ConfigIssue } from './check-managed.js';
import { LocalSections } from './local-schema.js';

/** What loading needs besides the text: where relative paths start, and the known profiles. */
export interface FileSchemaContext {
  baseDir: string;
  registry: ProfileRegistry;
}

/** gateway.yaml's shape, before cross-checks: the local sections plus the managed ones at top level. */
export const GatewayFileShape = z.strictObject({ ...LocalSections, ...ManagedConfig.shape });
export type GatewayFile = z.infer<typeof GatewayFileShape>;

/**
 * The full file schema: shape, then the cross-checks as located issues (each carries a path,
 * so parseYamlConfig points at the offending line). Built per load because the checks depend
 * on the config file's directory and on the profile registry.
 */
export function gatewayFileSchema(context: FileSchemaContext): z.ZodType<GatewayFile> {
  return GatewayFileShape.superRefine((file, ctx) => {
    for (const issue of [...checkLocalFiles(file, context.baseDir), ...checkManagedConfig(managedPart(file), context.registry)]) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
}

export function managedPart(file: GatewayFile): ManagedConfigData {
  return { buses: file.buses, devices: file.devices, polling: file.polling, schedules: file.schedules };
}

function checkLocalFiles(file: GatewayFile, baseDir: string): ConfigIssue[] {
  const { uplink } = file;
  const issues: ConfigIssue[] = [];
  const requireFile = (value: string | undefined, at: (string | number)[]): void => {
    if (value === undefined) return;
    const resolved = path.resolve(baseDir, value);
    if (!statSync(resolved, { throwIfNoEntry: false })?.isFile()) issues.push({ path: at, message: `file not found: ${resolved}` });
  };
  requireFile(uplink.credentialsFile, ['uplink', 'credentialsFile']);
  if (uplink.tls) {
    if (new URL(uplink.url).protocol !== 'mqtts:') {
      issues.push({ path: ['uplink', 'tls'], message: 'tls is set but the url is not mqtts://: the files would be ignored' });
    }
    requireFile(uplink.tls.ca, ['uplink', 'tls', 'ca']);
    requireFile(uplink.tls.cert, ['uplink', 'tls', 'cert']);
    requireFile(uplink.tls.key, ['uplink', 'tls', 'key']);
    if ((uplink.tls.cert === undefined) !== (uplink.tls.key === undefined)) {
      issues.push({ path: ['uplink', 'tls'], message: 'a client certificate needs both cert and key' });
    }
  }
  return issues;
}
