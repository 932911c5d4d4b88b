// "Last seen" of a gateway: "now" while it is online (its broker session is up), a live timer
// since it was last heard from when offline, "never" when it never connected.
import type { Gateway } from '../../api/types.js';
import { formatElapsed, formatTime, isoDuration } from '../../lib/format.js';
import { useNow } from '../../live/hooks.js';

function Ago({ since }: { since: number }) {
  const now = useNow();
  const ms = now - since;
  return (
    <>
      <time dateTime={isoDuration(ms)} title={new Date(since).toLocaleString()}>
        {formatElapsed(ms)}
      </time>{' '}
      ago <span class="muted">({formatTime(since, now)})</span>
    </>
  );
}

export function LastSeen({ status, at }: { status: Gateway['status']; at: number | null }) {
  if (status === 'online') return <>now (online)</>;
  if (at === null) return <>never</>;
  return <Ago since={at} />;
}
