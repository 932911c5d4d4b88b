import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import { runFleet, type FleetRun } from './run-fleet.js';

/**
 * A real fleet server (SQLite in a temp dir, ports 0) and the real `fleet` binary against it, for
 * the `fleet user ...` tests. Server and token reach the CLI through the environment; HOME and
 * the config dir are inside the temp dir.
 */
export interface UserCliServer {
  dir: string;
  serverUrl: string;
  adminToken: string;
  fleet(args: string[], options?: { stdin?: string; token?: string; server?: string }): Promise<FleetRun>;
  /** No EDGEFLEET_* from the caller's shell; HOME and the config dir inside the temp dir. */
  env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** One API call as a client makes it; any status comes back (no throw). */
  apiCall(method: string, route: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: unknown }>;
  signIn(user: string, password: string): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

export async function startUserCliServer(prefix: string): Promise<UserCliServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const server = await startServer(
    serverConfigSchema.parse({ dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'silent' } }),
    { logger: pino({ level: 'silent' }) },
  );
  const serverUrl = `http://127.0.0.1:${server.httpPort}`;
  const adminToken = (await readFile(path.join(dir, 'server', 'admin-token'), 'utf8')).trim();

  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const { EDGEFLEET_SERVER: _s, EDGEFLEET_TOKEN: _t, ...rest } = process.env;
    return { ...rest, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), NO_COLOR: '1', ...extra };
  };

  const apiCall: UserCliServer['apiCall'] = async (method, route, options = {}) => {
    const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${serverUrl}/api/v1${route}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  return {
    dir, serverUrl, adminToken, env, apiCall,
    fleet: (args, options = {}) => runFleet(args, {
      env: env({ EDGEFLEET_SERVER: options.server ?? serverUrl, EDGEFLEET_TOKEN: options.token ?? adminToken }), cwd: dir,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    }),
    signIn: (user, password) => apiCall('POST', '/session', { body: { user, password } }),
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
