// Time elapsed since a moment, ticking live (the one shared ticker of live/hooks.ts useNow), as a
// <time> with its ISO duration and the moment itself on hover.
import { formatElapsed, isoDuration } from '../lib/format.js';
import { useNow } from '../live/hooks.js';

export function LiveTimer({ since }: { since: number }) {
  const ms = useNow() - since;
  return (
    <time dateTime={isoDuration(ms)} title={new Date(since).toLocaleString()}>
      {formatElapsed(ms)}
    </time>
  );
}
