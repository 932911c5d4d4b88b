import { describe, expect, it } from 'vitest';
import { LiveTickets, MAX_TICKETS_PER_USER, TICKET_TTL_MS } from '../../src/live/live-tickets.js';
import type { LiveViewer } from '../../src/live/live-event.js';

const viewer = (userId: string): LiveViewer => ({ userId, tokenId: `tok_${userId}`, role: 'manager', sites: ['north'] });

describe('LiveTickets', () => {
  it('redeems a ticket once, and not after its 30 s', () => {
    let now = 1_000;
    const tickets = new LiveTickets(() => now);
    const a = tickets.issue(viewer('mona'));
    expect(a.expiresAt).toBe(1_000 + TICKET_TTL_MS);
    expect(tickets.redeem(a.ticket)?.userId).toBe('mona');
    expect(tickets.redeem(a.ticket)).toBeUndefined();
    const b = tickets.issue(viewer('mona'));
    now += TICKET_TTL_MS;
    expect(tickets.redeem(b.ticket)).toBeUndefined();
  });

  it("keeps a user's newest tickets only, so one user flooding cannot push out another user's ticket", () => {
    const tickets = new LiveTickets(() => 5_000);
    const other = tickets.issue(viewer('ann'));
    const flood = Array.from({ length: 10_001 }, () => tickets.issue(viewer('mona')).ticket);
    expect(tickets.redeem(other.ticket)?.userId).toBe('ann');
    // The flooder's oldest are gone, its newest MAX_TICKETS_PER_USER still work.
    expect(tickets.redeem(flood[0]!)).toBeUndefined();
    expect(tickets.redeem(flood[flood.length - MAX_TICKETS_PER_USER - 1]!)).toBeUndefined();
    expect(tickets.redeem(flood[flood.length - MAX_TICKETS_PER_USER]!)?.userId).toBe('mona');
    expect(tickets.redeem(flood[flood.length - 1]!)?.userId).toBe('mona');
  });
});
