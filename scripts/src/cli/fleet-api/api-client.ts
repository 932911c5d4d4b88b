import { CliError, EXIT } from '../cli-error.js';

/** The error shape of every /api/v1 failure (docs/api.md "Errors"). */
interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { issues?: { field: string; message: string }[] } };
}

export interface ApiReply<T> {
  status: number;
  body: T;
}

const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'fleet login --server URL (or set EDGEFLEET_TOKEN)',
  FORBIDDEN: 'ask an admin for a token with the engineer or admin role',
  ENROLL_TOKEN_INVALID: 'copy the whole token printed by fleet gateway provision',
  ENROLL_TOKEN_EXPIRED: 'ask for a new one: fleet gateway provision --site S --name N',
  ENROLL_TOKEN_USED: 'each token works once; ask for a new one: fleet gateway provision ... --replace',
  RATE_LIMITED: 'wait a minute and try again',
  GATEWAY_UNREACHABLE: 'is the gateway online? fleet status',
  VERSION_MISMATCH: 'someone changed the gateway\'s config meanwhile: look at it again (fleet device list --gateway …) and retry',
};

/** A refusal of the API: the one-line CliError plus the stable code, for callers that branch on it. */
export class ApiRefusal extends CliError {
  constructor(
    message: string,
    exitCode: number,
    hint: string | undefined,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message, exitCode, hint);
    this.name = 'ApiRefusal';
  }
}

/** Exit code of an API refusal: who you are → auth; what you sent → usage; the server's fault → server. */
function exitCodeOf(status: number, code: string | undefined): number {
  if (status === 401 || status === 403 || code?.startsWith('ENROLL_TOKEN_') === true) return EXIT.auth;
  if (status === 400) return EXIT.usage;
  if (status >= 500) return EXIT.server;
  return EXIT.failure;
}

/** "ECONNREFUSED", "ENOTFOUND fleet.example" ... from undici's `fetch failed` and its cause. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/**
 * A small JSON client for the fleet server's /api/v1. Every failure becomes a one-line CliError:
 * an unreachable server names the URL and why, an API refusal carries the server's own message
 * (which names the field) and a hint.
 */
export class ApiClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<T>(method: string, route: string, body?: unknown, options: { waitMs?: number; accept?: number[]; headers?: Record<string, string> } = {}): Promise<ApiReply<T>> {
    const url = new URL(`api/v1${route}`, this.server.endsWith('/') ? this.server : `${this.server}/`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    let res: Response;
    try {
      res = await fetch(url, {
        method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A request that waits for a gateway (?wait=) may hold the connection that long.
        signal: AbortSignal.timeout(this.timeoutMs + (options.waitMs ?? 0)),
      });
    } catch (err) {
      throw new CliError(`cannot reach ${this.server}: ${networkReason(err)}`, EXIT.server, 'check --server (or EDGEFLEET_SERVER) and that fleet server is running there');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new CliError(`${this.server} answered ${res.status} with something that is not JSON`, EXIT.server, 'is --server the fleet server\'s HTTP address?');
    }
    if (res.ok || options.accept?.includes(res.status) === true) return { status: res.status, body: json as T };
    const error = (json as ApiErrorBody).error;
    const message = error?.message ?? `HTTP ${res.status}`;
    throw new ApiRefusal(message, exitCodeOf(res.status, error?.code), error?.code === undefined ? undefined : HINTS[error.code], res.status, error?.code);
  }

  get<T>(route: string): Promise<T> {
    return this.request<T>('GET', route).then((r) => r.body);
  }

  post<T>(route: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', route, body ?? {}).then((r) => r.body);
  }
}
