import type { Handlers } from '../bind.js';
import type { Services } from '../context.js';
import { streamLogs } from '../logs.stream.js';

type InstanceHandlers = Pick<Handlers, 'listInstances' | 'createInstance' | 'getInstance' | 'updateInstance' | 'deleteInstance' | 'startInstance' | 'stopInstance' | 'restartInstance' | 'instanceLogs'>;

export function instanceHandlers(s: Services): InstanceHandlers {
  return {
    listInstances: ({ params }) => s.instances.list(params.project),
    createInstance: ({ params, body }) => s.instances.create(params.project, body),
    getInstance: ({ params }) => s.instances.get(params.project, params.instance),
    updateInstance: ({ params, body }) => s.instances.update(params.project, params.instance, body),
    deleteInstance: ({ params }) => s.instances.delete(params.project, params.instance),
    startInstance: ({ params }) => s.instances.setRunState(params.project, params.instance, 'start'),
    stopInstance: ({ params }) => s.instances.setRunState(params.project, params.instance, 'stop'),
    restartInstance: ({ params }) => s.instances.setRunState(params.project, params.instance, 'restart'),
    instanceLogs: async ({ params, query }, { request, reply }) => {
      const instance = await s.instances.require(params.project, params.instance);
      await streamLogs(s.runtime, instance, query, request, reply, await s.secrets.values(params.project));
    },
  };
}
