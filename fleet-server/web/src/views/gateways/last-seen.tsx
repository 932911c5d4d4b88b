// "Last seen" of a gateway: "now" while it is online (its broker session is up), a live timer
// since it was last heard from when offline, "never" when it never connected.
import type { Gateway } from '../../api/types.js';
import { formatTime } from '../../lib/format.js';
import { useNow } from '../../live/hooks.js';
import { LiveTimer } from '../live-timer.js';

function Ago({ since }: { since: number }) {
  const now = useNow();
  return (
    <>
      <LiveTimer since={since} /> ago <span class="muted">({formatTime(since, now)})</span>
    </>
  );
}

export function LastSeen({ status, at }: { status: Gateway['status']; at: number | null }) {
  if (status === 'online') return <>now (online)</>;
  if (at === null) return <>never</>;
  return <Ago since={at} />;
}
