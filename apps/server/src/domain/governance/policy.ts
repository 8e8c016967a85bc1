import { rootProblem, type UnknownUser, type UserIds } from './user-ids.js';
import path from 'node:path';
import { Policy } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { LaunchGuard } from '../instances/launch-guard.js';
import type { ProjectRecord, RenderedComponent } from '../core/records.js';
import type { ReplicaSecurity, Runtime } from '../core/runtime.js';

/**
 * The capabilities every replica keeps: Docker's default set without NET_RAW (raw sockets:
 * packet spoofing, ARP tricks on the project network) and MKNOD (device nodes). Replicas run
 * with CapDrop ALL and CapAdd exactly this set, plus what a component asks for and the
 * project's policy allows (allowCapabilities). README.md, "Container policy", says the same.
 */
export const DEFAULT_CAPABILITIES: readonly string[] = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'AUDIT_WRITE'];

/** The engine sockets no replica may mount unless the policy lists the exact path. */
export const DOCKER_SOCKETS: readonly string[] = ['/var/run/docker.sock', '/run/docker.sock'];

export interface PolicyOptions {
  /** More engine sockets to protect (e.g. the one Gureum itself talks to). */
  engineSockets?: readonly string[];
  /**
   * Follows symlinks of a host path as the engine will when it mounts it (default: none
   * followed). Given for a local engine, whose filesystem this process sees.
   */
  resolveHostPath?: (p: string) => string;
}

export type PolicyRule = 'privileged' | 'hostNetwork' | 'hostPid' | 'hostIpc' | 'capability' | 'hostPath' | 'dockerSocket' | 'root' | 'hostPort';

/** Host ports below this are the privileged ones (ssh, http, https, ...). */
export const LOW_PORT_LIMIT = 1024;

export interface PolicyViolation {
  component: string;
  rule: PolicyRule;
  message: string;
}

/** The policy in force: the admin's relaxations over the defaults (nothing relaxed). */
export function effectivePolicy(stored: Partial<Policy>): Policy {
  const parsed = Policy.safeParse(stored);
  // A stored policy this version cannot read relaxes nothing.
  return parsed.success ? parsed.data : Policy.parse({});
}

/** Capability names as Docker takes them: upper case, without the CAP_ prefix. */
export function normaliseCapability(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}

/**
 * Root as written, without the image's files: "root", "0", "0:0", "root:staff", no user at all
 * (the image default), and a group of 0 or root ("1000:0", "app:root"). Names the image maps to
 * 0 need its passwd and group files: see `resolveUserIds`.
 */
export function isRootUser(user: string | undefined): boolean {
  const [uid = '', gid] = (user ?? '').split(':').map((p) => p.trim());
  const zero = (id: string) => id === 'root' || /^0+$/.test(id);
  return uid === '' || zero(uid) || (gid !== undefined && zero(gid));
}

/** Lexically normalised absolute path without a trailing slash ("/a/../b/" -> "/b"). */
export function normaliseHostPath(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** Whether mounting `mount` exposes `target` (the same path, or a directory above it). */
function covers(mount: string, target: string): boolean {
  return mount === '/' || mount === target || target.startsWith(mount + '/');
}

/**
 * What in one component the policy refuses. `ids`: what its replicas would run as, resolved
 * with the image's own files, when the image is on the engine (checked only when allowRoot is
 * false; without them, the user as written is).
 */
export function componentViolations(policy: Policy, c: RenderedComponent, ids?: UserIds | UnknownUser, options: PolicyOptions = {}): PolicyViolation[] {
  const found: PolicyViolation[] = [];
  const add = (rule: PolicyRule, message: string) => found.push({ component: c.name, rule, message: `component ${c.name}: ${message}` });
  const s = c.security ?? {};
  if (s.privileged && !policy.allowPrivileged) add('privileged', 'privileged containers are not allowed');
  if (s.hostNetwork && !policy.allowHostNetwork) add('hostNetwork', 'the host network is not allowed');
  if (s.hostPid && !policy.allowHostPid) add('hostPid', 'the host PID namespace is not allowed');
  if (s.hostIpc && !policy.allowHostIpc) add('hostIpc', 'the host IPC namespace is not allowed');
  const allowedCaps = new Set([...DEFAULT_CAPABILITIES, ...policy.allowCapabilities.map(normaliseCapability)]);
  for (const cap of s.capAdd ?? []) {
    if (!allowedCaps.has(normaliseCapability(cap))) add('capability', `capability ${normaliseCapability(cap)} is not allowed`);
  }
  // Compared after symlinks are followed (both sides): a link under an allowed prefix that
  // points at / or the engine socket is what it points at. The socket is also checked as
  // written, so a directory above it is caught whichever way it is named.
  const resolve = (p: string): string | null => {
    try {
      return normaliseHostPath(options.resolveHostPath ? options.resolveHostPath(p) : p);
    } catch {
      return null; // a symlink loop: allows nothing
    }
  };
  const allowedPaths = policy.allowHostPaths.map(resolve).filter((p) => p !== null);
  const sockets = [...DOCKER_SOCKETS, ...(options.engineSockets ?? [])].map(normaliseHostPath);
  const resolvedSockets = sockets.map((sock) => resolve(sock) ?? sock);
  for (const m of c.hostMounts ?? []) {
    const written = normaliseHostPath(m.hostPath);
    const p = resolve(m.hostPath);
    if (p === null) {
      add('hostPath', `host path ${m.hostPath} cannot be resolved (symlink loop)`);
      continue;
    }
    const via = p === written ? '' : ` (through a symlink to ${p})`;
    const socket = sockets.find((sock, i) => (covers(written, sock) || covers(p, resolvedSockets[i]!)) && !allowedPaths.includes(resolvedSockets[i]!));
    if (socket !== undefined) add('dockerSocket', `host path ${m.hostPath} exposes the engine socket ${socket}${via}`);
    else if (!allowedPaths.some((allowed) => covers(allowed, p))) add('hostPath', `host path ${m.hostPath}${via} is not under a path the policy allows`);
  }
  for (const port of c.ports) {
    if (port.hostPort === undefined) continue;
    if (!policy.allowHostPorts) add('hostPort', `fixed host port ${port.hostPort}/${port.protocol} (port ${port.name}) is not allowed: leave hostPort out for an engine-chosen one`);
    else if (port.hostPort < LOW_PORT_LIMIT && !policy.allowLowHostPorts) add('hostPort', `host port ${port.hostPort}/${port.protocol} (port ${port.name}) is below ${LOW_PORT_LIMIT}, which the policy does not allow`);
  }
  if (!policy.allowRoot) {
    const problem = ids !== undefined ? rootProblem(ids) : s.user !== undefined && isRootUser(s.user) ? `user ${s.user} is root` : undefined;
    if (problem !== undefined) add('root', `${ids !== undefined && s.user === undefined ? `image ${c.image}: ` : ''}${problem}, which the policy forbids (set security.user to a non-root uid:gid)`);
  }
  return found;
}

export function policyError(violations: PolicyViolation[]): DomainError {
  return new DomainError('POLICY_VIOLATION', `the project's container policy refuses this: ${violations.map((v) => v.message).join('; ')}`, { violations });
}

/** How replicas of a component that passed the policy are confined. */
export function replicaSecurity(policy: Policy, c: RenderedComponent): ReplicaSecurity {
  const s = c.security ?? {};
  const extras = (s.capAdd ?? []).map(normaliseCapability).filter((cap) => policy.allowCapabilities.map(normaliseCapability).includes(cap));
  return {
    privileged: s.privileged === true && policy.allowPrivileged,
    hostNetwork: s.hostNetwork === true && policy.allowHostNetwork,
    hostPid: s.hostPid === true && policy.allowHostPid,
    hostIpc: s.hostIpc === true && policy.allowHostIpc,
    capAdd: [...new Set([...DEFAULT_CAPABILITIES, ...extras])],
    ...(s.user !== undefined && { user: s.user }),
    pidsLimit: policy.pidsLimit,
    noNewPrivileges: true,
  };
}

/** The security of a replica whose spec says nothing: the hardened default. */
export const DEFAULT_REPLICA_SECURITY: ReplicaSecurity = replicaSecurity(effectivePolicy({}), { name: '', image: '', env: {}, ports: [], replicas: 0, volumes: [] });

/**
 * Refuses a launch or change that the project's container policy does not allow. With
 * allowRoot false and no user set, the image's own USER decides when the image is on the
 * engine; otherwise the reconciler checks it before it creates replicas.
 */
export class PolicyGuard implements LaunchGuard {
  constructor(
    private readonly runtime: Pick<Runtime, 'userIds'>,
    private readonly options: PolicyOptions = {},
  ) {}

  async check(_store: Store, project: ProjectRecord, components: RenderedComponent[]): Promise<void> {
    const policy = effectivePolicy(project.policy);
    const violations: PolicyViolation[] = [];
    for (const c of components) {
      const ids = policy.allowRoot ? undefined : await this.userIds(c.imageId ?? c.image, c.security?.user);
      violations.push(...componentViolations(policy, c, ids, this.options));
    }
    if (violations.length > 0) throw policyError(violations);
  }

  /** What the component would run as, or undefined when the image is not on the engine (or the engine does not answer). */
  private async userIds(image: string, user: string | undefined): Promise<UserIds | UnknownUser | undefined> {
    try {
      return (await this.runtime.userIds(image, user)) ?? undefined;
    } catch (err) {
      if (isDomainError(err)) return undefined;
      throw err;
    }
  }
}
