import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, type GureumClient } from '@gureum/contract';
import { clearBoot, takeBoot } from '../api/boot.js';
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
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });

  const start = useCallback(async (csrf: string | null) => {
    const client = createClient(csrf);
    try {
      const whoami = await (takeBoot<WhoamiOut>('whoami') ?? client.call('whoami', {}));
      const hub = new EventHub(client, () => setAuth({ state: 'out', error: new ApiError(401, 'UNAUTHENTICATED', 'the session ended') }));
      setAuth({ state: 'in', whoami, client, hub });
    } catch (err) {
      setAuth(err instanceof ApiError && err.status === 401 ? { state: 'out' } : { state: 'out', error: err });
    }
  }, []);

  useEffect(() => {
    void start(csrfStore.get());
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
