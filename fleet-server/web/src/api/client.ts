// fetch with the session's bearer token. A 401 anywhere drops the token and tells the app
// (back to sign-in with a message); other failures throw ApiError with the API's error code.

import { ApiError } from './api-error.js';

export { ApiError, errorText } from './api-error.js';

const TOKEN_KEY = 'edgefleet.token';
const KIND_KEY = 'edgefleet.tokenKind';

export type TokenKind = 'session' | 'pasted';


let onUnauthenticated: (message: string) => void = () => {};

export function setUnauthenticatedHandler(fn: (message: string) => void): void {
  onUnauthenticated = fn;
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function getTokenKind(): TokenKind {
  return sessionStorage.getItem(KIND_KEY) === 'session' ? 'session' : 'pasted';
}

export function setToken(token: string, kind: TokenKind): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(KIND_KEY, kind);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(KIND_KEY);
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(res.status, body.error?.code ?? 'HTTP', body.error?.message ?? res.statusText);
  } catch {
    return new ApiError(res.status, 'HTTP', `HTTP ${res.status}`);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = getToken();
  if (init.auth !== false && token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    // fetch rejects only when no answer came (offline, server down): say that, not "Failed to fetch".
    throw new ApiError(0, 'NETWORK', 'no answer from the fleet server');
  }
  if (res.status === 401 && init.auth !== false) {
    const err = await errorOf(res);
    clearToken();
    onUnauthenticated('Your session has ended. Please sign in again.');
    throw err;
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

