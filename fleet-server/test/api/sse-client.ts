/** One parsed Server-Sent Events frame. */
export interface SseEvent {
  event: string;
  data: unknown;
  /** The frame's own `id:` line, if it had one. */
  id?: string;
}

/**
 * A real SSE client over HTTP (Node's fetch, reading the body stream) that parses frames as
 * EventSource does (WHATWG HTML §9.2): `id:`, `event:`, `data:` (JSON here), `retry:`, `:` comments.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  /** As EventSource's last event ID buffer: the newest `id:` seen, '' before any. */
  lastEventId = '';
  /** Resolves when the server ended the response (or the connection dropped). */
  readonly closed: Promise<void>;
  private taken = 0;
  private readonly wake = new Set<() => void>();

  private constructor(readonly status: number, readonly headers: Headers, private readonly controller: AbortController, body: ReadableStream<Uint8Array>) {
    this.closed = this.read(body);
  }

  /** Opens the stream (`headers` added to the request); a non-200 answer is returned as { status, body } instead. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient | { status: number; body: unknown; headers: Headers }> {
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream', ...headers } });
    if (res.status !== 200 || !res.body) return { status: res.status, body: await res.json(), headers: res.headers };
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) throw new Error(`not an event stream: ${res.headers.get('content-type')}`);
    return new SseClient(res.status, res.headers, controller, res.body);
  }

  /**
   * The next event (in arrival order, after those already taken) named `name` and matching
   * `match`; events skipped on the way stay readable in `events`.
   */
  next<T = Record<string, unknown>>(name: string, match: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.taken; i < this.events.length; i++) {
          const e = this.events[i]!;
          if (e.event === name && match(e.data as T)) {
            this.taken = i + 1;
            done();
            resolve(e.data as T);
            return true;
          }
        }
        return false;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no "${name}" event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.wake.delete(listener);
      };
      this.wake.add(listener);
      check();
    });
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close(), or the server dropped the connection: both end the stream.
    }
    for (const l of [...this.wake]) l();
  }

  private frame(text: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = this.lastEventId = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
    }
    if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')), ...(id === undefined ? {} : { id }) });
    for (const l of [...this.wake]) l();
  }
}
