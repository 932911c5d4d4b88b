import type { Command } from 'commander';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { ApiClient } from './api-client.js';
import { credentialsPath, readStoredLogin } from './credentials-file.js';

export interface ServerCliOptions {
  server?: string;
  token?: string;
}

/** --server and --token on a command that talks to the fleet server. */
export function addServerOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'fleet server HTTP address (default: EDGEFLEET_SERVER, else the one of fleet login)')
    .option('--token <token>', 'API token (default: EDGEFLEET_TOKEN, else the one of fleet login)');
}

/** "fleet.example.com:8080" → "http://fleet.example.com:8080"; anything but http(s) is refused. */
export function parseServerUrl(text: string, option = '--server'): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw usageError(`${option} must be a URL such as http://fleet.example.com:8080, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`${option} must be an http:// or https:// URL, got "${text}"`);
  return url.href.replace(/\/$/, '');
}

/**
 * The server and token, each from (first found) the option, the environment
 * (EDGEFLEET_SERVER / EDGEFLEET_TOKEN), the file `fleet login` wrote. The token of the file is
 * used only for the server it was issued by.
 */
export async function apiClientFor(opts: ServerCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
  const stored = await readStoredLogin(credentialsPath(env));
  const serverText = opts.server ?? (env.EDGEFLEET_SERVER || undefined) ?? stored?.server;
  if (serverText === undefined) throw new CliError('no fleet server given', EXIT.usage, 'fleet login --server URL, or --server URL, or EDGEFLEET_SERVER');
  const server = parseServerUrl(serverText);
  const token = opts.token ?? (env.EDGEFLEET_TOKEN || undefined) ?? (stored && parseServerUrl(stored.server) === server ? stored.token : undefined);
  if (token === undefined) throw new CliError(`not logged in to ${server}`, EXIT.auth, `fleet login --server ${server}`);
  return new ApiClient(server, token);
}
