import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TWILIO_SID = 'AC0123456789';

export interface ProviderRequest {
  to: string;
  body: string;
  /** performance.now() when the request's headers arrived: the moment the provider has it. */
  at: number;
}

export interface FakeTwilio {
  url: string;
  requests: ProviderRequest[];
  /** Resolves with the first request (already received or arriving) that `match` accepts. */
  next(match: (r: ProviderRequest) => boolean): Promise<ProviderRequest>;
  close(): Promise<void>;
}

/** A Twilio-compatible Messages endpoint on 127.0.0.1, port 0, that answers 201 at once. */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: ProviderRequest[] = [];
  const waiters = new Set<{ match: (r: ProviderRequest) => boolean; resolve: (r: ProviderRequest) => void }>();
  const server = http.createServer((req, res) => {
    const at = performance.now();
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${FAKE_TWILIO_SID}/Messages.json`) {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(raw);
      const request = { to: form.get('To') ?? '', body: form.get('Body') ?? '', at };
      requests.push(request);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${requests.length}` }));
      for (const w of waiters) {
        if (!w.match(request)) continue;
        waiters.delete(w);
        w.resolve(request);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next: (match) => {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.add({ match, resolve }));
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
