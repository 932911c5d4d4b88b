import { CliError } from '../cli/cli-error.js';

/** Calls a running sim's control interface; errors come back as CliErrors with the sim's message. */
export async function controlRequest(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(`cannot reach the sim's control interface at ${base} (${cause}); is \`fleet sim\` running? pass --control URL`);
  }
  const payload: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const message = (payload as { error?: { message?: string } } | undefined)?.error?.message ?? res.statusText;
    throw new CliError(`${method} ${path}: ${res.status} ${message}`);
  }
  return payload;
}

/** ["code=2", "ms=300", "bays=3"] → { code: 2, ms: 300, bays: 3 }; non-numbers stay strings. */
export function parseParams(pairs: readonly string[]): Record<string, number | string | boolean> {
  const params: Record<string, number | string | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--param must be key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    params[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return params;
}
