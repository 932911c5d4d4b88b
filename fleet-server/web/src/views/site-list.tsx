// #/sites: the sites this user may see, each a link to its site view.
import { api } from '../api/client.js';
import type { Site } from '../api/types.js';
import { href } from '../lib/router.js';
import { useLoad } from './use-load.js';

export function SiteList() {
  const loaded = useLoad(() => api<{ items: Site[] }>('/sites'), []);
  return (
    <>
      <h1>Sites</h1>
      {loaded.error !== null && <p role="alert">Could not load the sites: {loaded.error}</p>}
      {loaded.data === null ? (
        loaded.error === null && <p role="status">Loading…</p>
      ) : (
        <ul class="site-list">
          {loaded.data.items.map((s) => (
            <li key={s.id}>
              <a href={href.site(s.id)}>{s.name}</a> <span class="muted">({s.timezone})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
