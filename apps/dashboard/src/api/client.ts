import { GureumClient } from '@gureum/contract';

const CSRF_KEY = 'gureum.csrf';

/**
 * The CSRF token of the session. Login answers it once; it is kept so that a reload (the
 * cookie survives it) can still write. Losing it only costs a new login.
 */
export const csrfStore = {
  get(): string | null {
    try {
      return localStorage.getItem(CSRF_KEY);
    } catch {
      return null;
    }
  },
  set(value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(CSRF_KEY);
      else localStorage.setItem(CSRF_KEY, value);
    } catch {
      // storage disabled: the token lives as long as this page
    }
  },
};

/** fetch for the typed client: the session cookie goes along, and writes carry the CSRF header. */
export function sessionFetch(fetchImpl: typeof fetch = fetch): typeof fetch {
  return (input, init) => fetchImpl(input, { ...init, credentials: 'same-origin' });
}

/** The typed client of this page's Gureum, authenticated by the session cookie. */
export function createClient(csrf: string | null, baseUrl = location.origin, fetchImpl?: typeof fetch): GureumClient {
  return new GureumClient({ baseUrl, fetch: sessionFetch(fetchImpl), headers: csrf ? { 'x-csrf-token': csrf } : {} });
}
