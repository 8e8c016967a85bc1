import type Docker from 'dockerode';
import { LABEL, networkName, volumeName } from '../../domain/core/labels.js';
import { DEFAULT_REPLICA_SECURITY } from '../../domain/governance/policy.js';
import type { ObservedReplica, ReplicaSpec, ReplicaState } from '../../domain/core/runtime.js';

/**
 * Port names are not an engine concept, so they ride along in a label set at create time:
 * JSON of [{name, containerPort, protocol}]. listReplicas reads them back exactly.
 */
export const PORTS_LABEL = 'io.gureum.ports';

/**
 * The Gureum installation that owns a container or volume, when the driver is given one (see
 * DockerDriverOptions.installation): installations sharing an engine then leave each other's
 * objects alone. A driver without one sees only objects without this label.
 */
export const INSTALLATION_LABEL = 'io.gureum.installation';

export function scopeLabels(installation: string | undefined): Record<string, string> {
  return installation ? { [INSTALLATION_LABEL]: installation } : {};
}

/** Engine label filters that select one installation's objects (none: filtered on the client). */
export function scopeFilters(installation: string | undefined): string[] {
  return installation ? [`${INSTALLATION_LABEL}=${installation}`] : [];
}

/** Whether an object belongs to this installation; without one, an empty value is the same as none. */
export function inScope(labels: Record<string, string> | null | undefined, installation: string | undefined): boolean {
  return (labels?.[INSTALLATION_LABEL] ?? '') === (installation ?? '');
}

interface LabelledPort {
  name: string;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

const NS_PER_SECOND = 1_000_000_000;
/** Docker's "never happened" timestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const STATES: ReadonlySet<string> = new Set<ReplicaState>(['created', 'running', 'restarting', 'exited', 'dead', 'paused', 'removing']);

/** The labels every replica carries, derived from the spec; spec.labels (the domain's set) wins on overlap. */
export function replicaLabels(spec: ReplicaSpec, installation?: string): Record<string, string> {
  const ports: LabelledPort[] = spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }));
  return {
    [LABEL.managed]: 'true',
    [LABEL.project]: spec.project,
    [LABEL.instance]: spec.instance,
    [LABEL.instanceId]: spec.instanceId,
    [LABEL.component]: spec.component,
    [LABEL.replica]: String(spec.index),
    [LABEL.specHash]: spec.specHash,
    ...spec.labels,
    [PORTS_LABEL]: JSON.stringify(ports),
    // Always set, empty without an installation: a container inherits its image's labels, and an
    // image labelled with another installation must not make the replica invisible to this one.
    [INSTALLATION_LABEL]: installation ?? '',
  };
}

/**
 * The create options of a replica. Every replica drops all capabilities and gets back exactly
 * its spec's set, cannot gain privileges (setuid binaries, file capabilities), and has a
 * process limit; a spec without security gets the hardened default.
 */
export function toCreateOptions(spec: ReplicaSpec, installation?: string, volumeSources: ReadonlyMap<string, string> = new Map()): Docker.ContainerCreateOptions {
  const network = networkName(spec.project, installation);
  const security = spec.security ?? DEFAULT_REPLICA_SECURITY;
  const hostNetwork = security.hostNetwork;
  const exposed: Record<string, object> = {};
  const bindings: Docker.PortMap = {};
  for (const p of spec.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    if (p.hostPort !== undefined) bindings[key] = [{ HostIp: '0.0.0.0', HostPort: String(p.hostPort) }];
    else if (p.publish) bindings[key] = [{ HostIp: '0.0.0.0', HostPort: '' }];
  }
  const hc = spec.healthCheck;
  return {
    name: spec.name,
    // The engine refuses a host name of its own on the host network.
    ...(hostNetwork ? {} : { Hostname: spec.hostname }),
    Image: spec.image,
    ...(security.user !== undefined ? { User: security.user } : {}),
    Labels: replicaLabels(spec, installation),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...(spec.command ? { Entrypoint: spec.command } : {}),
    ...(spec.args ? { Cmd: spec.args } : {}),
    ExposedPorts: exposed,
    Tty: false,
    OpenStdin: false,
    ...(hc
      ? {
          Healthcheck: {
            Test: ['CMD', ...hc.command],
            Interval: hc.intervalSeconds * NS_PER_SECOND,
            Timeout: hc.timeoutSeconds * NS_PER_SECOND,
            StartPeriod: hc.startPeriodSeconds * NS_PER_SECOND,
            Retries: hc.retries,
          },
        }
      : {}),
    HostConfig: {
      ...(hostNetwork ? {} : { PortBindings: bindings }),
      ...(spec.cpus !== undefined ? { NanoCpus: Math.round(spec.cpus * NS_PER_SECOND) } : {}),
      // Swap equal to memory: no swap on top, so a limit bites where the user set it.
      ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes, MemorySwap: spec.memoryBytes } : {}),
      // Gureum's reconciler is the single controller of restarts.
      RestartPolicy: { Name: 'no' },
      // docker-init as PID 1: reaps zombies and forwards SIGTERM (a shell as PID 1 ignores it).
      Init: true,
      Mounts: [
        ...spec.mounts.map((m) => ({
          Type: 'volume' as const,
          Source: volumeSources.get(m.volume) ?? volumeName(m.project, m.volume, installation),
          Target: m.mountPath,
          ReadOnly: m.readOnly,
        })),
        ...(spec.binds ?? []).map((b) => ({ Type: 'bind' as const, Source: b.hostPath, Target: b.mountPath, ReadOnly: b.readOnly })),
      ],
      NetworkMode: hostNetwork ? 'host' : network,
      CapDrop: ['ALL'],
      CapAdd: [...security.capAdd],
      SecurityOpt: ['no-new-privileges:true'],
      PidsLimit: security.pidsLimit,
      Privileged: security.privileged,
      ...(security.hostPid ? { PidMode: 'host' } : {}),
      ...(security.hostIpc ? { IpcMode: 'host' } : {}),
    },
    ...(hostNetwork ? {} : { NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: spec.aliases } } } }),
  };
}

function timeOrNull(value: string | undefined): string | null {
  return !value || value === ZERO_TIME || value.startsWith('0001-') ? null : value;
}

function parsePortsLabel(value: string | undefined): LabelledPort[] | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as LabelledPort[]) : null;
  } catch {
    return null;
  }
}

function toHealth(status: string | undefined): ObservedReplica['health'] {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : 'none';
}

/** The engine's port map ("8080/tcp" -> bindings) joined with the names from the ports label. */
function observedPorts(info: Docker.ContainerInspectInfo, labels: Record<string, string>): ObservedReplica['ports'] {
  const map: Record<string, { HostIp?: string; HostPort?: string }[] | null> = info.NetworkSettings?.Ports ?? {};
  const named =
    parsePortsLabel(labels[PORTS_LABEL]) ??
    Object.keys(map).map((key) => {
      const [port, protocol] = key.split('/');
      return { name: `${port}-${protocol}`, containerPort: Number(port), protocol: protocol === 'udp' ? 'udp' : 'tcp' };
    });
  return named.map((p) => {
    const bindings = map[`${p.containerPort}/${p.protocol}`] ?? [];
    // One entry per address family may appear; the IPv4 one is the one users dial.
    const binding = bindings.find((b) => b.HostIp === '0.0.0.0' || b.HostIp === '') ?? bindings[0];
    const hostPort = binding?.HostPort ? Number(binding.HostPort) : undefined;
    return hostPort
      ? { name: p.name, containerPort: p.containerPort, protocol: p.protocol, hostIp: binding?.HostIp || '0.0.0.0', hostPort }
      : { name: p.name, containerPort: p.containerPort, protocol: p.protocol };
  });
}

export function toObservedReplica(info: Docker.ContainerInspectInfo, node: string | null): ObservedReplica {
  const labels = info.Config?.Labels ?? {};
  const project = labels[LABEL.project] ?? '';
  const status = info.State.Status;
  const state = (STATES.has(status) ? status : 'dead') as ReplicaState;
  const index = Number(labels[LABEL.replica]);
  const networks = (info.NetworkSettings?.Networks ?? {}) as Record<string, Docker.NetworkInfo | undefined>;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    project,
    instance: labels[LABEL.instance] ?? '',
    instanceId: labels[LABEL.instanceId] ?? '',
    component: labels[LABEL.component] ?? '',
    index: Number.isInteger(index) ? index : 0,
    specHash: labels[LABEL.specHash] ?? '',
    state,
    exitCode: state === 'exited' || state === 'dead' ? info.State.ExitCode : null,
    oomKilled: info.State.OOMKilled,
    health: toHealth(info.State.Health?.Status),
    startedAt: timeOrNull(info.State.StartedAt),
    finishedAt: state === 'running' ? null : timeOrNull(info.State.FinishedAt),
    node,
    // Replicas made before names carried the installation are on the unscoped name.
    ip: (networks[networkName(project, labels[INSTALLATION_LABEL] || undefined)] ?? networks[networkName(project)])?.IPAddress || null,
    ports: observedPorts(info, labels),
    image: info.Config?.Image ?? info.Image,
  };
}
