import { once } from 'node:events';
import net from 'node:net';
import { CliError, EXIT } from '../cli/cli-error.js';

/** A port the demo was told to use (by flag) is taken: one line and a way out, never a stack trace. */
export function portInUse(port: number, flag: string): CliError {
  return new CliError(`port ${port} is in use`, EXIT.failure, `pass ${flag} 0 to let the demo pick a free port, or stop what listens there (ss -ltnp 'sport = :${port}')`);
}

/**
 * Binds `port` on `host` and releases it: a free port when `port` is 0, or proof that the
 * requested one is free now. The demo needs the HTTP port before the server starts, because the
 * SMS ack links (alerts.publicBaseUrl) must name it.
 */
export async function claimPort(host: string, port: number, flag: string): Promise<number> {
  const server = net.createServer();
  server.listen({ host, port, exclusive: true });
  try {
    await once(server, 'listening');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(port, flag);
    throw new CliError(`cannot listen on ${host}:${port} (${flag}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.failure);
  }
  const got = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return got;
}

/** "--mqtt-port 1883" → 1883; anything but 0..65535 is a usage error naming the flag. */
export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new CliError(`${flag} must be a port number 0..65535 (0 = a free port), got "${text}"`, EXIT.usage);
  return port;
}
