import type { Store } from '../../store/store.js';
import type { ProjectRecord, RenderedComponent } from '../core/records.js';

/**
 * A check every launch and change of an instance passes inside its transaction (quota,
 * container policy, secrets exist). Throwing refuses the request with nothing written.
 */
export interface LaunchGuard {
  check(store: Store, project: ProjectRecord, components: RenderedComponent[], selfId: string | undefined): Promise<void>;
}
