import { performance } from 'node:perf_hooks';

export interface StreamedAlert {
  id: number;
  device: string;
  /** Wall-clock ms (performance.timeOrigin-based) when the frame arrived. */
  receivedAt: number;
}

export interface AlertStream {
  /** Resolves with the first alert event (already received or arriving) for the device. */
  alertFor(device: string): Promise<StreamedAlert>;
  close(): void;
}

/** The alert in an `alert` frame's data: the alert itself or `{ alert }`. */
function alertOf(data: unknown): { id: number; device: string } | undefined {
  const d = data as { alert?: unknown } | null;
  const a = (d !== null && typeof d === 'object' && 'alert' in d ? d.alert : d) as { id?: unknown; device?: unknown } | null;
  return a !== null && typeof a === 'object' && typeof a.id === 'number' && typeof a.device === 'string' ? { id: a.id, device: a.device } : undefined;
}

/**
 * A plain HTTP client of the live stream (docs/api.md "Live events": a ticket for the token,
 * then GET /api/v1/events?ticket=): the bench's baseline for how fast the server pushes an alert,
 * without a browser or a page render.
 */
export async function openAlertStream(base: string, token: string): Promise<AlertStream> {
  const ticketRes = await fetch(`${base}/api/v1/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  if (!ticketRes.ok) throw new Error(`cockpit: POST /events/ticket: ${ticketRes.status} ${await ticketRes.text()}`);
  const { ticket } = (await ticketRes.json()) as { ticket: string };
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/events?ticket=${encodeURIComponent(ticket)}`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || res.body === null) throw new Error(`cockpit: GET /events: ${res.status}`);
  const seen: StreamedAlert[] = [];
  const waiting = new Set<(a: StreamedAlert) => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const receivedAt = performance.timeOrigin + performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (name !== 'alert' || data === undefined) continue;
          const alert = alertOf(JSON.parse(data));
          if (!alert) continue;
          const streamed = { ...alert, receivedAt };
          seen.push(streamed);
          for (const w of waiting) w(streamed);
        }
      }
    } catch {
      // Aborted by close(), or the server stopped: waiting callers time out on their own.
    }
  })();
  return {
    alertFor: (device) => {
      const hit = seen.find((a) => a.device === device);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => {
        const w = (a: StreamedAlert): void => {
          if (a.device !== device) return;
          waiting.delete(w);
          resolve(a);
        };
        waiting.add(w);
      });
    },
    close: () => abort.abort(),
  };
}
