import type { Command } from 'commander';
import { CliError, EXIT } from '../cli-error.js';
import { ApiClient } from '../fleet-api/api-client.js';
import { credentialsPath, writeStoredLogin } from '../fleet-api/credentials-file.js';
import { parseServerUrl } from '../fleet-api/server-options.js';

interface LoginOptions {
  server: string;
  token?: string;
}

interface Me {
  user: { id: string; name: string; role: string; sites: string[] };
}

/** Reads a token piped on stdin (so it lands in neither argv nor shell history). */
async function tokenFromStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? undefined : text;
}

/** `fleet login --server URL` — checks a token with GET /me and stores it (0600) for later commands. */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('Check an API token against a fleet server and store both for the other commands')
    .requiredOption('--server <url>', 'fleet server HTTP address, e.g. http://fleet.example.com:8080')
    .option('--token <token>', 'API token (default: EDGEFLEET_TOKEN, else read from stdin)')
    .addHelpText('after', `
Stored in $XDG_CONFIG_HOME/edgefleet/credentials.json (default ~/.config/...), mode 0600.
The first token of a new server is in <dataDir>/admin-token on the server.
Example: fleet login --server http://fleet.example.com:8080 < admin-token
Exit codes: 0 logged in, 2 bad option, 7 server unreachable, 8 token refused.`)
    .action(async (opts: LoginOptions) => {
      const server = parseServerUrl(opts.server);
      const token = opts.token ?? (process.env.EDGEFLEET_TOKEN || undefined) ?? (await tokenFromStdin());
      if (token === undefined) throw new CliError('no token given', EXIT.usage, 'pass --token, set EDGEFLEET_TOKEN or pipe it: fleet login --server URL < admin-token');
      const me = await new ApiClient(server, token).get<Me>('/me');
      const file = credentialsPath();
      await writeStoredLogin(file, { server, token, user: me.user.id, savedAt: new Date().toISOString() });
      process.stdout.write(`logged in to ${server} as ${me.user.id} (${me.user.role}); token stored in ${file}\n`);
    });
}
