import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Event, EventType, GureumClient, Instance, ReplicaStatus } from '@gureum/contract';
import { waitFor } from '../support/harness.js';

const run = promisify(execFile);

/** Runs the docker CLI; answers stdout, trimmed. Throws with stderr when the command fails. */
export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    return stdout.trim();
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** The parts of `docker inspect` these tests read. */
export interface ContainerInfo {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; StartedAt: string; ExitCode: number; OOMKilled: boolean };
  Config: { Env: string[]; Labels: Record<string, string> };
  HostConfig: { NanoCpus: number; Memory: number; RestartPolicy: { Name: string } };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

export async function inspect(id: string): Promise<ContainerInfo> {
  const [info] = JSON.parse(await docker('inspect', id)) as ContainerInfo[];
  if (!info) throw new Error(`no container ${id}`);
  return info;
}

/** Ids of every container (running or not) of an instance, from the engine itself. */
export async function containersOf(project: string, instance: string): Promise<string[]> {
  const out = await docker('ps', '-aq', '--no-trunc', '--filter', `label=io.gureum.project=${project}`, '--filter', `label=io.gureum.instance=${instance}`);
  return out === '' ? [] : out.split('\n');
}

/** Ids of the running containers of an instance. */
export async function runningContainersOf(project: string, instance: string): Promise<string[]> {
  const out = await docker('ps', '-q', '--no-trunc', '--filter', `label=io.gureum.project=${project}`, '--filter', `label=io.gureum.instance=${instance}`, '--filter', 'status=running');
  return out === '' ? [] : out.split('\n');
}

/** Runs a command inside a container; answers its exit code and output (never throws on a non-zero exit). */
export async function dockerExec(id: string, ...command: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('docker', ['exec', id, ...command], { timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as Error & { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

export function getInstance(client: GureumClient, project: string, instance: string): Promise<Instance> {
  return client.call('getInstance', { params: { project, instance } });
}

/** Polls the instance until `test` holds; answers the instance that passed. */
export async function waitForInstance(client: GureumClient, project: string, instance: string, test: (i: Instance) => boolean, what: string, timeoutMs = 30_000): Promise<Instance> {
  let last: Instance | undefined;
  try {
    return await waitFor(
      async () => {
        last = await getInstance(client, project, instance);
        return test(last) ? last : undefined;
      },
      { what, timeoutMs, intervalMs: 200 },
    );
  } catch (err) {
    const seen = last ? ` (last seen: phase ${last.phase}, reason ${last.reason}, replicas ${JSON.stringify(last.replicas.map((r) => [r.index, r.state, r.restartCount, r.containerId?.slice(0, 12)]))})` : '';
    throw new Error(`${(err as Error).message}${seen}`);
  }
}

/** Every replica desired is running the current spec. */
export function allRunning(n: number): (i: Instance) => boolean {
  return (i) => i.phase === 'running' && i.replicas.length === n && i.replicas.every((r) => r.state === 'running' && r.current);
}

export function replica(i: Instance, index: number, component = 'main'): ReplicaStatus {
  const r = i.replicas.find((x) => x.component === component && x.index === index);
  if (!r) throw new Error(`instance ${i.name} has no replica ${component}/${index}`);
  return r;
}

export function eventsOf(client: GureumClient, project: string, instance: string, type?: EventType): Promise<Event[]> {
  return client.call('listEvents', { query: { project, instance, limit: 1000, ...(type && { type }) } });
}
