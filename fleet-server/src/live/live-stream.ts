import type { ServerResponse } from 'node:http';
import { sseFrame } from './live-event.js';
import type { LiveEventName, LiveViewer } from './live-event.js';

/**
 * One open event stream: a hijacked HTTP response written frame by frame. A client that does not
 * read (a laptop gone to sleep, a stalled proxy) would make the server buffer every event for it
 * without end, so once more than `maxBufferedBytes` wait in its socket the stream is dropped; the
 * page reconnects and is replayed what it missed, or reloads its view (docs/dashboard.md "Live updates").
 */
export class LiveStream {
  private closed = false;

  constructor(
    readonly viewer: LiveViewer,
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
    private readonly onDropped: (stream: LiveStream) => void,
  ) {}

  get isOpen(): boolean {
    return !this.closed && !this.res.destroyed;
  }

  /** Writes raw SSE text; false when the stream is closed or was dropped for a full buffer. */
  write(text: string): boolean {
    if (!this.isOpen) return false;
    this.res.write(text);
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.closed = true;
      // destroy, not end: end() would queue behind the very bytes the client does not read.
      this.res.destroy();
      this.onDropped(this);
      return false;
    }
    return true;
  }

  send(name: LiveEventName, data: unknown, id?: string): boolean {
    return this.write(sseFrame(name, data, id));
  }

  /** Says why (`event: end`) and ends the response; the socket closes after it (Connection: close). */
  end(reason: string): void {
    if (!this.isOpen) return;
    this.send('end', { reason });
    this.closed = true;
    this.res.end();
  }
}
