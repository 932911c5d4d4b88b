// Sign in with user and password (POST /session → a 12 h token) or a pasted API token.
import { useState } from 'preact/hooks';
import { api, ApiError, clearToken, errorText, setToken } from '../api/client.js';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (token: string) => void }) {
  const [useToken, setUseToken] = useState(false);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (useToken) {
        const t = token.trim();
        if (t === '') throw new Error('Enter an API token.');
        setToken(t, 'pasted');
        // Checks the token; a 401 clears it again.
        await api('/me', { auth: true });
        onSignedIn(t);
      } else {
        const res = await api<{ token: string }>('/session', { method: 'POST', body: { user, password }, auth: false });
        setToken(res.token, 'session');
        onSignedIn(res.token);
      }
    } catch (err) {
      clearToken();
      if (err instanceof ApiError && err.status === 401) setError(useToken ? 'That token is not valid.' : 'Wrong user or password.');
      else if (err instanceof ApiError && err.status === 429) setError('Too many attempts. Wait a minute and try again.');
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in</h1>
        <p class="brand-line">EdgeFleet cockpit</p>
        {notice !== null && error === null && <p class="notice">{notice}</p>}
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {useToken ? (
          <label>
            API token
            <input name="token" type="password" autoComplete="off" value={token} onInput={(e) => setTokenText(e.currentTarget.value)} required />
          </label>
        ) : (
          <>
            <label>
              User
              <input name="user" autoComplete="username" value={user} onInput={(e) => setUser(e.currentTarget.value)} required />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
            </label>
          </>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
        <button
          type="button"
          class="link"
          aria-pressed={useToken}
          onClick={() => {
            setUseToken(!useToken);
            setError(null);
          }}
        >
          Use an API token
        </button>
      </form>
    </main>
  );
}
