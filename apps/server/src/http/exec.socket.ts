import { routes } from '@gureum/contract';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { DomainError } from '../domain/core/errors.js';
import type { ExecSession } from '../domain/core/runtime.js';
import type { Services } from './context.js';
import { endWhenCredentialLost } from './credential-watch.js';
import { toHttpError } from './errors.js';

/**
 * What a terminal sends when it hangs up: Ctrl-C (SIGINT to the foreground job) then Ctrl-D
 * (end of input, so a shell at its prompt exits). The engine has no way to kill an exec, and
 * does not end one when its connection closes.
 */
const HANGUP = '\x03\x04';
/** How long a hung-up session may take to end before its connection is cut. */
const HANGUP_GRACE_MS = 5_000;

type ClientMessage = { data: Buffer; isBinary: boolean };

/**
 * The exec WebSocket: binary frames carry terminal bytes both ways; a text frame from the
 * client may be {"type":"resize","cols":N,"rows":N}; the server's last frame is the text
 * {"type":"exit","code":N} (or {"type":"error",...}) before it closes.
 */
export function registerExec(app: FastifyInstance, s: Services): void {
  const route = routes.instanceExec;
  app.route(
    {
      method: 'GET',
      url: route.path,
      config: { routeId: 'instanceExec' },
      // An upgrade refused before the WebSocket plugin saw it (401 from the auth hook) leaves
      // the raw socket open: nothing else closes it, and it would hold the server's close.
      onResponse: (request, reply, done) => {
        if (reply.statusCode !== 101 && request.headers.upgrade !== undefined && !request.raw.socket.destroyed) request.raw.socket.destroy();
        done();
      },
      wsHandler: (socket: WebSocket, request) => {
      // Input may arrive while the session is being set up: keep it until there is a session.
      const early: ClientMessage[] = [];
      let onMessage = (data: Buffer, isBinary: boolean): void => {
        early.push({ data, isBinary });
      };
      socket.on('message', (data: Buffer, isBinary: boolean) => onMessage(data, isBinary));
      // Every attempt that passed authorization is audited once: opened, or failed with its code.
      let audited = false;
      const audit = (status: number, code: string | null) => {
        audited = true;
        const params = request.params as { project?: string };
        return s.audit.record({ actor: request.principal?.userName ?? null, token: request.principal?.token?.name ?? 'session', address: request.ip, action: 'exec.open', method: 'GET', path: request.url.split('?')[0]!, project: params.project ?? null, status, outcome: code === null ? 'ok' : 'failed', code });
      };
      void (async () => {
        try {
          const params = route.params.parse(request.params);
          const query = route.query.parse(request.query);
          const command = parseCommand(query.command);
          const instance = await s.instances.get(params.project, params.instance);
          const replica = instance.replicas.find(
            (r) => r.containerId !== null && r.state === 'running' && (query.component === undefined || r.component === query.component) && (query.replica === undefined || r.index === query.replica),
          );
          if (!replica) throw new DomainError('REPLICA_NOT_FOUND', `instance ${instance.name} has no running replica${query.component ? ` of ${query.component}` : ''}${query.replica !== undefined ? `/${query.replica}` : ''}`);
          await audit(101, null);
          const session = await s.runtime.exec(replica.containerId!, {
            command,
            tty: true,
            ...(query.cols !== undefined && { cols: query.cols }),
            ...(query.rows !== undefined && { rows: query.rows }),
          });
          session.stream.on('data', (chunk: Buffer) => {
            if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
          });
          session.stream.on('error', () => undefined); // the end is read from wait()
          onMessage = (data, isBinary) => handleInput(session, data, isBinary);
          for (const m of early.splice(0)) handleInput(session, m.data, m.isBinary);
          if (socket.readyState !== socket.OPEN) hangUp(session); // the client left during set-up
          else socket.once('close', () => hangUp(session));
          // The terminal closes once its credential no longer holds (revoked, role gone, ...).
          const unwatch = endWhenCredentialLost(request, (refusal) => {
            const { body } = toHttpError(refusal);
            if (socket.readyState !== socket.OPEN) return;
            socket.send(JSON.stringify({ type: 'error', ...body.error }));
            socket.close(1008, body.error.code);
          });
          socket.once('close', unwatch);
          const code = await session.wait();
          if (socket.readyState === socket.OPEN) {
            socket.send(JSON.stringify({ type: 'exit', code }));
            socket.close(1000, 'exited');
          }
        } catch (err) {
          const { status, body } = toHttpError(err);
          if (!audited) await audit(status, body.error.code).catch((e: unknown) => request.log.error({ err: e }, 'could not write the audit log'));
          if (socket.readyState === socket.OPEN) {
            socket.send(JSON.stringify({ type: 'error', ...body.error }));
            socket.close(1011, body.error.code);
          }
        }
      })();
      },
      // Fetched as plain HTTP (no Upgrade): say what it takes, in the API's envelope.
      handler: () => {
        throw new DomainError('UPGRADE_REQUIRED', `${route.path} is a WebSocket: connect with Upgrade: websocket`);
      },
    },
  );
}

function handleInput(session: ExecSession, data: Buffer, isBinary: boolean): void {
  if (session.stream.writableEnded) return;
  if (isBinary) return void session.stream.write(data);
  let msg: { type?: string; cols?: number; rows?: number; data?: string };
  try {
    msg = JSON.parse(data.toString('utf8')) as typeof msg;
  } catch {
    return void session.stream.write(data); // plain text typed by a client that sends text frames
  }
  if (msg.type === 'resize' && Number.isInteger(msg.cols) && Number.isInteger(msg.rows) && msg.cols! > 0 && msg.rows! > 0) void session.resize(msg.cols!, msg.rows!).catch(() => undefined);
  else if (msg.type === 'input' && typeof msg.data === 'string') session.stream.write(msg.data);
}

/** The client went: hang the terminal up, and cut the connection if the process lingers. */
function hangUp(session: ExecSession): void {
  if (session.stream.destroyed) return;
  if (!session.stream.writableEnded) session.stream.end(HANGUP);
  const timer = setTimeout(() => session.stream.destroy(), HANGUP_GRACE_MS);
  timer.unref();
  session.stream.once('close', () => clearTimeout(timer));
}

function parseCommand(command: string | undefined): string[] {
  if (!command) return ['/bin/sh'];
  if (command.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(command);
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'command must be a JSON array of strings or a single program');
    }
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => typeof p === 'string')) return parsed;
    throw new DomainError('VALIDATION_FAILED', 'command must be a JSON array of strings');
  }
  return [command];
}
