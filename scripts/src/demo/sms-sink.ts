import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '@edgefleet/fleet-server';

/** One text as the server's webhook provider sent it. */
export interface DemoSms {
  to: string;
  body: string;
  /** The ack link in the body, if any. */
  ackLink: string | undefined;
}

export interface SmsSink {
  /** Where the server's `sms: { kind: webhook }` provider posts. */
  url: string;
  secret: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The demo's "phone network": a local HTTP endpoint for the server's real webhook SMS provider
 * (signed POST {to, body, id}), so each text travels the same sender, retry and audit path as in
 * production and the demo prints it the moment the provider accepts it.
 */
export async function startSmsSink(onSms: (sms: DemoSms) => void): Promise<SmsSink> {
  const secret = randomBytes(24).toString('base64url');
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      // A request without our signature is not from the fleet server: refuse it like a provider would.
      if (!verifyWebhookSignature(raw, req.headers[SIGNATURE_HEADER] as string | undefined, secret)) {
        res.writeHead(401).end();
        return;
      }
      const msg = JSON.parse(raw) as { to: string; body: string; id: string };
      onSms({ to: msg.to, body: msg.body, ackLink: /https?:\/\/\S+\/ack\/\S+/.exec(msg.body)?.[0] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `demo-${msg.id}` }));
    }, () => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    secret,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
