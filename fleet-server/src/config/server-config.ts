import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { parseYamlConfig } from '@edgefleet/device-profiles';
import { Id } from '@edgefleet/protocol';
import { escalationPolicySchema } from '../alerts/policy-schema.js';
import { thresholdRuleSchema } from '../alerts/threshold-rules.js';
import { smsProviderConfigSchema } from '../notify/provider-config.js';
import { retentionConfigSchema } from '../retention/retention-config.js';
import { isTimeZone } from '../time/zoned-day.js';
import { compressionConfigSchema } from '../http/compression-config.js';
import { brokerTlsConfigSchema } from './broker-tls-config.js';
import { storeConfigSchema, storeSelection } from './store-config.js';

const Host = z.string().min(1);
const Port = z.int().min(0).max(65_535);

/** `scrypt$N$r$p$salt$hash`, as printed by hashSecret: server.yaml never holds a secret. */
const SecretHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/, 'a scrypt hash from hashSecret (scrypt$N$r$p$salt$hash)');

const Contact = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  /** E.164, e.g. "+4915112345678". */
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +4915112345678'),
  role: z.string().min(1).default('technician'),
  escalationOrder: z.int().min(1).default(1),
});

/** With no steps nobody is texted: a site without a policy only records its alerts. */
const NO_ESCALATION = { steps: [] };

const Site = z.strictObject({
  id: Id,
  name: z.string().min(1),
  /** IANA zone, e.g. "Europe/Berlin": SMS times, quiet hours and the dashboard's "today" follow it. */
  timezone: z.string().min(1).default('UTC'),
  contacts: z.array(Contact).default([]),
  escalation: escalationPolicySchema.default(NO_ESCALATION),
}).superRefine((site, ctx) => {
  // Checked here, not on the field, so the message names the site: a typo must stop the start,
  // not fall back to UTC (or fail every overview) at run time.
  if (!isTimeZone(site.timezone)) {
    ctx.addIssue({ code: 'custom', path: ['timezone'], message: `site "${site.id}": unknown time zone "${site.timezone}"; expected an IANA zone such as "Europe/Berlin" or "UTC"` });
  }
});

const Alerts = z.strictObject({
  /** How often escalation steps, repeats and the server rules are evaluated. */
  tickIntervalMs: z.int().min(100).default(5_000),
  /** Where SMS ack links point: the address people's phones reach the HTTP listener at. */
  publicBaseUrl: z.url().default('http://127.0.0.1:8080'),
  /** HMAC key for ack links (>= 16 chars); absent: a random key per start, so links die on restart. */
  ackSecret: z.string().min(16).optional(),
  /** How long an ack link acknowledges. */
  ackLinkTtlMs: z.int().min(1_000).default(24 * 3_600_000),
  /** Server-side thresholds on telemetry points (docs/alerts.md). */
  thresholds: z.array(thresholdRuleSchema).default([]),
});

/** When a command that got no result is marked 'unanswered' (downlink/command-results.ts). */
const Commands = z.strictObject({
  /** Grace after the command's expiry: a command taken just before it may still be running. */
  replyGraceMs: z.int().min(0).default(30_000),
  sweepIntervalMs: z.int().min(100).default(5_000),
});

const GatewayEntry = z.strictObject({
  id: Id,
  secretHash: SecretHash,
  site: Id.default('default'),
  name: z.string().min(1).optional(),
});

/** server.yaml (docs/server-config.md). */
export const serverConfigSchema = z
  .strictObject({
    dataDir: z.string().min(1),
    /** Legacy spelling of `store: { kind: sqlite, file }`; relative paths are relative to dataDir. */
    database: z.string().min(1).optional(),
    /** Default: SQLite at dataDir/edgefleet.sqlite. */
    store: storeConfigSchema.optional(),
    broker: z
      .strictObject({
        host: Host.default('0.0.0.0'), port: Port.default(1883), tls: brokerTlsConfigSchema.optional(),
        /**
         * The broker URL handed to gateways at enrollment (`fleet gateway enroll`). Absent: the
         * host the gateway reached the HTTP API at, with this broker's port (mqtts and the TLS port when tls is set).
         */
        publicUrl: z.string().regex(/^mqtts?:\/\/[^/\s]+$/, 'mqtt://host[:port] or mqtts://host[:port]').optional(),
      })
      .default({ host: '0.0.0.0', port: 1883 }),
    http: z.strictObject({
      host: Host.default('127.0.0.1'), port: Port.default(8080),
      /** The web dashboard at `/` (docs/dashboard.md); `dir` default: fleet-server/web/dist of this package. */
      dashboard: z.strictObject({ enabled: z.boolean().default(true), dir: z.string().min(1).optional() }).prefault({}),
      /** br/gzip of API and /metrics replies (http/compression.ts); the dashboard's own gzip follows it. */
      compression: compressionConfigSchema.prefault({}),
    }).prefault({}),
    sites: z.array(Site).default([{ id: 'default', name: 'Default site', timezone: 'UTC', contacts: [], escalation: NO_ESCALATION }]),
    gateways: z.array(GatewayEntry).default([]),
    sms: smsProviderConfigSchema.default({ kind: 'console' }),
    alerts: Alerts.prefault({}),
    commands: Commands.prefault({}),
    /** Hourly rollups and pruning (retention/); prefault: the section's own defaults apply. */
    retention: retentionConfigSchema.prefault({}),
    log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({ level: 'info' }),
  })
  .superRefine((c, ctx) => {
    if (c.database !== undefined && c.store !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['database'], message: 'set either database (legacy) or store, not both: move it to store.file' });
    }
    const sites = new Set(c.sites.map((s) => s.id));
    const seen = new Set<string>();
    const contactIds = new Set<string>();
    c.sites.forEach((site, i) => site.contacts.forEach((contact, j) => {
      // Contact ids are global in the store, so a clash would silently move a contact between sites.
      if (contactIds.has(contact.id)) ctx.addIssue({ code: 'custom', path: ['sites', i, 'contacts', j, 'id'], message: `contact "${contact.id}" is listed twice` });
      contactIds.add(contact.id);
    }));
    c.gateways.forEach((g, i) => {
      if (seen.has(g.id)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'id'], message: `gateway "${g.id}" is listed twice` });
      seen.add(g.id);
      if (!sites.has(g.site)) ctx.addIssue({ code: 'custom', path: ['gateways', i, 'site'], message: `unknown site "${g.site}"` });
    });
    const thresholdIds = new Set<string>();
    c.alerts.thresholds.forEach((t, i) => {
      // The id is the alert's rule: two thresholds with one id would share (and fight over) one alert.
      if (thresholdIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['alerts', 'thresholds', i, 'id'], message: `threshold "${t.id}" is listed twice` });
      thresholdIds.add(t.id);
    });
  });

export type ServerConfig = z.output<typeof serverConfigSchema>;

/** Parses server.yaml text; errors name the file, line and field (ConfigFileError). */
export function parseServerConfig(text: string, file: string): ServerConfig {
  const config = parseYamlConfig(text, file, serverConfigSchema);
  // dataDir (and a dashboard dir) are relative to the config file, so a config can be moved with its data.
  const relative = (p: string): string => path.resolve(path.dirname(file), p);
  const { dashboard } = config.http;
  return {
    ...config,
    dataDir: relative(config.dataDir),
    http: { ...config.http, dashboard: dashboard.dir === undefined ? dashboard : { ...dashboard, dir: relative(dashboard.dir) } },
  };
}

export async function loadServerConfig(file: string): Promise<ServerConfig> {
  return parseServerConfig(await readFile(file, 'utf8'), file);
}

/** The SQLite file the server opens; undefined when the store is PostgreSQL. */
export function databasePath(config: ServerConfig): string | undefined {
  const selected = storeSelection(config);
  return selected.kind === 'sqlite' ? selected.path : undefined;
}
