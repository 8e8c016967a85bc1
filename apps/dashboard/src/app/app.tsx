import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type GureumClient } from '@gureum/contract';
import { clearBoot, takeBoot, takeBootValue } from '../api/boot.js';
import { createClient, csrfStore } from '../api/client.js';
import { EventHub } from '../api/event-hub.js';
import type { WhoamiOut } from '../api/types.js';
import { Loading } from '../ui/status.js';
import { SignedIn } from './signed-in.js';

// Its own chunk (it validates with the contract's zod schema): a signed-in first visit never loads it.
const LoginPage = lazy(() => import('../pages/login.page.js'));

type Auth = { state: 'loading' } | { state: 'out'; error?: unknown } | { state: 'in'; whoami: WhoamiOut; client: GureumClient; hub: EventHub };

/** The whole page: the login form until there is a session, then the signed-in shell. */
export function App() {
  const ended = useCallback(() => setAuth({ state: 'out', error: new ApiError(401, 'UNAUTHENTICATED', 'the session ended') }), []);
  const signedIn = useCallback((client: GureumClient, whoami: WhoamiOut): Auth => ({ state: 'in', whoami, client, hub: new EventHub(client, ended) }), [ended]);
  // Who is signed in has usually arrived before the first render (src/main.tsx waits briefly).
  const [auth, setAuth] = useState<Auth>(() => {
    const whoami = takeBootValue<WhoamiOut>('whoami');
    return whoami ? signedIn(createClient(csrfStore.get()), whoami) : { state: 'loading' };
  });

  const start = useCallback(
    async (csrf: string | null) => {
      const client = createClient(csrf);
      try {
        setAuth(signedIn(client, await (takeBoot<WhoamiOut>('whoami') ?? client.call('whoami', {}))));
      } catch (err) {
        setAuth(err instanceof ApiError && err.status === 401 ? { state: 'out' } : { state: 'out', error: err });
      }
    },
    [signedIn],
  );

  const firstState = useRef(auth.state);
  useEffect(() => {
    if (firstState.current === 'loading') void start(csrfStore.get());
  }, [start]);

  const signOut = useCallback(async () => {
    if (auth.state === 'in') {
      auth.hub.stop();
      await auth.client.call('logout', {}).catch(() => undefined);
    }
    csrfStore.set(null);
    setAuth({ state: 'out' });
  }, [auth]);

  switch (auth.state) {
    case 'loading':
      return <Loading what="Opening Gureum" />;
    case 'out':
      return (
        <Suspense fallback={<Loading what="Opening Gureum" />}>
          <LoginPage
            error={auth.error}
            onSignedIn={(csrf) => {
              clearBoot();
              csrfStore.set(csrf);
              return start(csrf);
            }}
          />
        </Suspense>
      );
    case 'in':
      return <SignedIn whoami={auth.whoami} client={auth.client} hub={auth.hub} onSignOut={signOut} />;
  }
}
