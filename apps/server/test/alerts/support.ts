import { createHmac } from 'node:crypto';
import http from 'node:http';
import { ApiError, type Event } from '@gureum/contract';
import { TEST_IMAGE, type TestGureum } from '../support/harness.js';

/** One request a receiver got. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP webhook receiver on loopback that answers the statuses it is told, in order. */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Statuses for the next requests; when empty, 200. */
  answers: number[];
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether the request's signature header is the HMAC-SHA256 of its body under `secret`, as a receiver checks it. */
export function signedWith(r: Received, secret: string): boolean {
  return r.headers['x-gureum-signature'] === `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
}

/** The status and code of a refused call. */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error('the call was not refused');
}

/**
 * A CPU burner: each replica spins while /load/on exists in the shared project volume (so the
 * test starts and stops the load of every replica, present or future, with one exec) and
 * sleeps otherwise. `cpus` bounds what each replica can take of the machine.
 */
export function burnerApp(name: string, cpus: number) {
  return {
    name,
    title: `burner ${name}`,
    components: [
      {
        name: 'main',
        image: TEST_IMAGE,
        command: ['sh', '-c', 'while :; do if [ -e /load/on ]; then :; else sleep 1; fi; done'],
        resources: { cpus, memoryBytes: 64 * 1024 * 1024 },
        volumes: [{ volume: '{{instance}}-load', mountPath: '/load' }],
      },
    ],
  };
}

/** A Gureum environment that samples every second and decides every 2 s on 6 s of figures, so autoscaling tests stay short. */
export const FAST_AUTOSCALING = { GUREUM_METRICS_INTERVAL_SECONDS: '1', GUREUM_AUTOSCALE_INTERVAL_SECONDS: '2', GUREUM_AUTOSCALE_WINDOW_SECONDS: '6' } as const;

/** The `instance.autoscaled` events of one instance, oldest first. */
export async function autoscaledEvents(g: TestGureum, project: string, instance: string): Promise<Event[]> {
  return (await g.client.call('listEvents', { query: { project, instance, type: 'instance.autoscaled', limit: 500 } })).filter((e) => e.instance === instance);
}

/** Test receivers listen on loopback, which webhooks may not reach by default: the admin allows it. */
export async function allowLoopbackWebhooks(g: TestGureum): Promise<void> {
  await g.client.call('updateSettings', { body: { webhooks: { allow: ['127.0.0.0/8', '::1/128'] } } });
}
