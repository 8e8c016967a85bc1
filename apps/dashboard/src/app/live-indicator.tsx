import { useSyncExternalStore } from 'react';
import { useSession } from './session.js';

const LABELS = { live: 'Live', connecting: 'Connecting…', down: 'Offline, retrying' } as const;

/** Whether lists are being kept live right now (the event stream is connected). */
export function LiveIndicator() {
  const { hub } = useSession();
  const state = useSyncExternalStore(
    (cb) => hub.onState(cb),
    () => hub.state,
  );
  return (
    <span role="status" className={`badge ${state === 'live' ? 'phase-running' : 'phase-degraded'}`} title="Live updates from the event stream">
      {LABELS[state]}
    </span>
  );
}
