import { randomBytes } from 'node:crypto';
import type { LiveViewer } from './live-event.js';

/** Long enough to open the stream right after asking, short enough that a leaked URL is dead. */
export const TICKET_TTL_MS = 30_000;
/** Outstanding tickets kept at most; past it the oldest are forgotten (each costs a bearer call to get). */
const MAX_TICKETS = 10_000;
/**
 * Outstanding tickets per user; past it that user's oldest are forgotten. A page needs one at a
 * time; the cap keeps one signed-in user from pushing everyone else's tickets out of MAX_TICKETS.
 */
export const MAX_TICKETS_PER_USER = 20;

interface Ticket {
  viewer: LiveViewer;
  expiresAt: number;
}

/**
 * Single-use tickets for GET /events. EventSource cannot send an Authorization header, and a
 * bearer token in the URL would end up in access logs and browser history; a ticket there is
 * worth nothing after 30 s or one use. In memory: the stream is opened on the instance that
 * issued it (one server, or sticky sessions behind a balancer).
 */
export class LiveTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly now: () => number) {}

  issue(viewer: LiveViewer): { ticket: string; expiresAt: number } {
    const now = this.now();
    this.prune(now);
    const mine = [...this.tickets].filter(([, t]) => t.viewer.userId === viewer.userId);
    for (const [key] of mine.slice(0, Math.max(0, mine.length - MAX_TICKETS_PER_USER + 1))) this.tickets.delete(key);
    const ticket = `eft_${randomBytes(24).toString('base64url')}`;
    const expiresAt = now + TICKET_TTL_MS;
    this.tickets.set(ticket, { viewer, expiresAt });
    return { ticket, expiresAt };
  }

  /** The ticket's viewer, once: a used, unknown or expired ticket gives undefined. */
  redeem(ticket: string): LiveViewer | undefined {
    const found = this.tickets.get(ticket);
    if (found === undefined) return undefined;
    this.tickets.delete(ticket);
    return found.expiresAt > this.now() ? found.viewer : undefined;
  }

  private prune(now: number): void {
    for (const [key, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(key);
    // Map iteration is insertion order: the first keys are the oldest.
    for (const key of this.tickets.keys()) {
      if (this.tickets.size < MAX_TICKETS) break;
      this.tickets.delete(key);
    }
  }
}
