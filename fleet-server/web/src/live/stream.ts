// The page's one live stream: the LiveStream logic with the real ticket request and EventSource.
import { api } from '../api/client.js';
import { LiveStream, type SourceLike } from './live-stream.js';

export type { LiveStatus } from './live-stream.js';

export const live = new LiveStream({
  ticket: async () => (await api<{ ticket: string }>('/events/ticket', { method: 'POST', body: {} })).ticket,
  open: (url) => new EventSource(url) as SourceLike,
});
