import { routes } from '@gureum/contract';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { DomainError } from '../domain/errors.js';
import type { Services } from './context.js';
import { toHttpError } from './errors.js';

/**
 * The exec WebSocket: binary frames carry terminal bytes both ways; a text frame from the
 * client may be {"type":"resize","cols":N,"rows":N}; the server's last frame is the text
 * {"type":"exit","code":N} (or {"type":"error",...}) before it closes.
 */
export function registerExec(app: FastifyInstance, s: Services): void {
  const route = routes.instanceExec;
  app.get(route.path, { websocket: true, config: { routeId: 'instanceExec' } }, (socket: WebSocket, request) => {
    void (async () => {
      try {
        const params = route.params.parse(request.params);
        const query = route.query.parse(request.query);
        const instance = await s.instances.get(params.project, params.instance);
        const replica = instance.replicas.find(
          (r) => r.containerId !== null && r.state === 'running' && (query.component === undefined || r.component === query.component) && (query.replica === undefined || r.index === query.replica),
        );
        if (!replica) throw new DomainError('REPLICA_NOT_FOUND', `instance ${instance.name} has no running replica${query.component ? ` of ${query.component}` : ''}${query.replica !== undefined ? `/${query.replica}` : ''}`);
        const audit = (status: number, outcome: 'ok' | 'failed', code: string | null) =>
          s.audit.record({ actor: request.principal?.userName ?? null, token: request.principal?.token?.name ?? 'session', address: request.ip, action: 'exec.open', method: 'GET', path: request.url.split('?')[0]!, project: params.project, status, outcome, code });
        const session = await s.runtime.exec(replica.containerId!, {
          command: parseCommand(query.command),
          tty: true,
          ...(query.cols !== undefined && { cols: query.cols }),
          ...(query.rows !== undefined && { rows: query.rows }),
        });
        await audit(101, 'ok', null);
        session.stream.on('data', (chunk: Buffer) => {
          if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
        });
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          if (isBinary) return void session.stream.write(data);
          try {
            const msg = JSON.parse(data.toString('utf8')) as { type?: string; cols?: number; rows?: number; data?: string };
            if (msg.type === 'resize' && msg.cols && msg.rows) void session.resize(msg.cols, msg.rows).catch(() => {});
            else if (msg.type === 'input' && typeof msg.data === 'string') session.stream.write(msg.data);
          } catch {
            session.stream.write(data);
          }
        });
        socket.on('close', () => session.stream.destroy());
        const code = await session.wait();
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify({ type: 'exit', code }));
          socket.close(1000, 'exited');
        }
      } catch (err) {
        const { body } = toHttpError(err);
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify({ type: 'error', ...body.error }));
          socket.close(1011, body.error.code);
        }
      }
    })();
  });
}

function parseCommand(command: string | undefined): string[] {
  if (!command) return ['/bin/sh'];
  if (command.startsWith('[')) {
    const parsed = JSON.parse(command) as unknown;
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => typeof p === 'string')) return parsed;
    throw new DomainError('VALIDATION_FAILED', 'command must be a JSON array of strings');
  }
  return [command];
}
