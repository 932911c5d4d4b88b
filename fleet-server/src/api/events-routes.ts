import type { FastifyInstance } from 'fastify';
import type { LiveViewer } from '../live/live-event.js';
import { principalOf } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';

const TICKET_REFUSED = 'unknown, used or expired ticket; get a new one with POST /api/v1/events/ticket';

/**
 * Live events for the dashboard (docs/api.md "Live events"): POST /events/ticket (any role) gives
 * a single-use 30 s ticket bound to the caller's token; GET /events?ticket= (public: the ticket
 * is the credential, since EventSource cannot send an Authorization header) answers a
 * text/event-stream the hub writes to until the client leaves, the token dies or the server stops;
 * with `&lastEventId=` it first replays what the page missed, or says `reset`.
 */
export function registerEventsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { live, store } = deps;
  // preClose, not onClose: fastify's close first waits for the HTTP server, which a stream would hold.
  app.addHook('preClose', async () => live.stop());

  app.post('/events/ticket', async (req, reply) => {
    const p = principalOf(req);
    const viewer: LiveViewer = { userId: p.user.id, tokenId: p.tokenId, role: p.user.role, sites: p.user.sites };
    return reply.code(201).send(live.tickets.issue(viewer));
  });

  // compress: false, though hijack below already skips every onSend hook: an encoder buffers
  // (gzip holds bytes until its window fills), and each event must reach the browser at once.
  app.get('/events', { config: { public: true }, compress: false }, async (req, reply) => {
    const { ticket, lastEventId } = (req.query ?? {}) as { ticket?: unknown; lastEventId?: unknown };
    if (typeof ticket !== 'string' || ticket === '') throw new ApiError('UNAUTHENTICATED', 'missing ticket (GET /api/v1/events?ticket=…)');
    const issued = live.tickets.redeem(ticket);
    // The token may have died in the seconds since the ticket was issued; role and sites are read fresh.
    const user = issued && (await live.isTokenLive(issued)) ? await store.getUser(issued.userId) : undefined;
    if (!issued || !user) throw new ApiError('UNAUTHENTICATED', TICKET_REFUSED);
    if (!live.hub.mayOpen(user.id)) {
      void reply.header('retry-after', '3');
      throw new ApiError('RATE_LIMITED', `too many live streams open for user ${user.id}; close a tab`);
    }
    const viewer: LiveViewer = { userId: user.id, tokenId: issued.tokenId, role: user.role, sites: user.sites };
    // From here the response is ours (fastify 5 reply.hijack): no serializer, no onSend hooks.
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // One stream per connection: when it ends the socket goes too, so a stopping server does
      // not wait for an idle keep-alive socket (http/close-keep-alive.ts).
      connection: 'close',
      // nginx buffers proxied responses by default; an event must not sit there.
      'x-accel-buffering': 'no',
    });
    // The page passes its last id in the query: each reconnect is a new EventSource (a new ticket),
    // which sends no Last-Event-ID header of its own; the header is honoured for other clients.
    const header = req.headers['last-event-id'];
    live.hub.open(viewer, reply.raw, {
      hello: { user: { id: user.id, name: user.name, role: user.role, sites: user.sites }, at: deps.now() },
      lastEventId: typeof lastEventId === 'string' ? lastEventId : typeof header === 'string' ? header : undefined,
    });
  });
}
