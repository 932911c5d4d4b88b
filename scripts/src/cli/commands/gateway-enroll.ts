import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import * as z from 'zod';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { ApiClient } from '../fleet-api/api-client.js';
import { parseServerUrl } from '../fleet-api/server-options.js';
import { refuseExisting, TargetExistsError, writeFilesAtomically } from '../fleet-api/write-files-atomically.js';

interface EnrollOptions {
  server?: string;
  token: string;
  config: string;
  credentials?: string;
  dataDir: string;
  force?: boolean;
  json?: boolean;
}

/** What POST /enroll answers (docs/api.md); checked, so a wrong server cannot make us write junk. */
const EnrollReply = z.object({
  gatewayId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  site: z.string(),
  name: z.string(),
  secret: z.string().min(16),
  mqtt: z.object({ url: z.string().regex(/^mqtts?:\/\/[^/\s]+$/), username: z.string().min(1) }),
});
type EnrollReply = z.infer<typeof EnrollReply>;

/** gateway.yaml as `fleet gateway` reads it: the local part only; the server pushes buses and devices. */
export function gatewayYaml(reply: EnrollReply, credentialsFile: string, dataDir: string, server: string, at: Date): string {
  const doc = {
    gateway: { id: reply.gatewayId },
    uplink: { url: reply.mqtt.url, credentialsFile },
    dataDir,
  };
  return [
    `# Written by fleet gateway enroll at ${at.toISOString()} from ${server}`,
    `# (gateway "${reply.name}", site ${reply.site}). Every field: docs/gateway-config.md.`,
    '# No buses or devices: the fleet server pushes them (fleet device add).',
    stringify(doc).trimEnd(),
    '',
  ].join('\n');
}

/**
 * Checked before the token is spent: a token traded for files that cannot be written is lost.
 * Returns the directories it had to create, so a failed enrollment can take them away again.
 */
async function checkWritable(dirs: readonly string[]): Promise<string[]> {
  const created: string[] = [];
  for (const dir of dirs) {
    const probe = path.join(dir, `.fleet-enroll-${process.pid}.probe`);
    try {
      const first = await mkdir(dir, { recursive: true });
      if (first !== undefined) created.push(first);
      await (await open(probe, 'wx', 0o600)).close();
      await rm(probe, { force: true });
    } catch (err) {
      await removeCreated(created);
      throw new CliError(`cannot write in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.failure, 'run it where you may write, or pass --config /writable/path/gateway.yaml');
    }
  }
  return created;
}

/** Removes directories this command created (they hold nothing of anyone else). */
async function removeCreated(dirs: readonly string[]): Promise<void> {
  for (const dir of [...dirs].reverse()) await rm(dir, { recursive: true, force: true });
}

/**
 * `fleet gateway enroll` — on the box: trades the one-time token for the gateway's identity and
 * secret, writes gateway.yaml and its credentials file (0600) together or not at all.
 */
export function registerEnrollCommand(gateway: Command): void {
  gateway
    .command('enroll')
    .description("On the gateway box: trade a one-time enrollment token for the gateway's identity and write gateway.yaml + credentials")
    .option('--server <url>', 'fleet server HTTP address, as printed by fleet gateway provision (default: EDGEFLEET_SERVER)')
    .requiredOption('--token <token>', 'the enrollment token from fleet gateway provision')
    .option('--config <file>', 'where to write gateway.yaml', 'gateway.yaml')
    .option('--credentials <file>', 'where to write the credentials (default: credentials.yaml next to gateway.yaml)')
    .option('--data-dir <dir>', "the gateway's dataDir, relative to gateway.yaml", 'data')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', `
Then run: fleet gateway --config gateway.yaml
Example: fleet gateway enroll --server http://fleet.example.com:8080 --token efe_...
Exit codes: 0 enrolled, 1 a file exists (see --force) or cannot be written, 2 bad option,
7 server unreachable, 8 token unknown, expired or already used.`)
    .action(async (opts: EnrollOptions) => {
      const serverText = opts.server ?? (process.env.EDGEFLEET_SERVER || undefined);
      if (serverText === undefined) throw usageError('fleet gateway enroll needs --server <url>', 'the provision output shows the whole command');
      const server = parseServerUrl(serverText);
      const configFile = path.resolve(opts.config);
      const credentialsFile = path.resolve(opts.credentials ?? path.join(path.dirname(configFile), 'credentials.yaml'));
      if (configFile === credentialsFile) throw usageError('--config and --credentials must be different files');
      try {
        if (opts.force !== true) await refuseExisting([configFile, credentialsFile]);
      } catch (err) {
        if (err instanceof TargetExistsError) throw new CliError(`${err.file} already exists; nothing written and the token is still unused`, EXIT.failure, 'pass --force to replace it, or --config another/path.yaml');
        throw err;
      }
      const createdDirs = await checkWritable([...new Set([path.dirname(configFile), path.dirname(credentialsFile)])]);

      let reply: EnrollReply;
      try {
        const { body } = await new ApiClient(server, undefined).request<unknown>('POST', '/enroll', { token: opts.token.trim() });
        const parsed = EnrollReply.safeParse(body);
        if (!parsed.success) throw new CliError(`${server} answered the enrollment with an unexpected reply`, EXIT.server, 'is --server the fleet server?');
        reply = parsed.data;
      } catch (err) {
        await removeCreated(createdDirs);
        throw err;
      }

      const relativeCredentials = path.relative(path.dirname(configFile), credentialsFile);
      try {
        // Credentials first: gateway.yaml, once it exists, never names a missing file.
        await writeFilesAtomically([
          { path: credentialsFile, text: stringify({ username: reply.mqtt.username, password: reply.secret }), mode: 0o600 },
          { path: configFile, text: gatewayYaml(reply, relativeCredentials, opts.dataDir, server, new Date()), mode: 0o644 },
        ], { overwrite: opts.force === true });
      } catch (err) {
        await removeCreated(createdDirs);
        throw new CliError(`enrolled as ${reply.gatewayId}, but writing the files failed: ${(err as Error).message}; nothing was written`, EXIT.failure,
          `the token is spent: provision again with fleet gateway provision --id ${reply.gatewayId} --replace`);
      }
      const written = { gatewayId: reply.gatewayId, site: reply.site, config: configFile, credentials: credentialsFile, broker: reply.mqtt.url };
      process.stdout.write(opts.json === true
        ? `${JSON.stringify(written, null, 2)}\n`
        : `enrolled as gateway ${reply.gatewayId} (site ${reply.site}); wrote ${configFile} and ${credentialsFile} (0600)\nstart it with: fleet gateway --config ${path.relative(process.cwd(), configFile) || configFile}\n`);
    });
}
