import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';

type GovernanceHandlers = Pick<Handlers, 'listSecrets' | 'putSecret' | 'deleteSecret' | 'getPolicy' | 'putPolicy' | 'getSettings' | 'updateSettings'>;

/** Secrets (write-only values), the container policy of a project, and the installation's settings. */
export function governanceHandlers(s: Services): GovernanceHandlers {
  return {
    listSecrets: ({ params }) => s.secrets.list(params.project),
    putSecret: ({ params, body }) => s.secrets.put(params.project, params.secret, body.value),
    deleteSecret: async ({ params }) => {
      await s.secrets.delete(params.project, params.secret);
      return { deleted: true as const };
    },
    getPolicy: ({ params }) => s.policies.get(params.project),
    putPolicy: ({ params, body }) => s.policies.put(params.project, body),
    getSettings: () => s.settings.get(),
    updateSettings: ({ body }) => s.settings.update(body),
  };
}
