import { LABEL, volumeName } from '../../domain/core/labels.js';
import type { DockerEngine } from './docker-engine.js';
import { DomainError } from '../../domain/core/errors.js';
import { statusOfEngineError } from './docker-errors.js';
import { inScope, scopeFilters, scopeLabels } from './docker-mapping.js';

/** The part of the engine's /system/df answer read here. */
interface DfAnswer {
  Volumes?: { Labels?: Record<string, string> | null; UsageData?: { Size?: number } | null }[] | null;
}

/** Project-scoped named volumes, labelled so that listVolumes finds exactly Gureum's. */
export class DockerVolumes {
  constructor(
    private readonly engine: DockerEngine,
    private readonly installation: string | undefined,
  ) {}

  /** Engine names of volumes made before names carried the installation, adopted by their label. */
  private readonly adopted = new Map<string, string>();

  private ours(labels: Record<string, string> | null | undefined, project: string, volume: string): boolean {
    return labels?.[LABEL.managed] === 'true' && labels[LABEL.project] === project && labels[LABEL.volume] === volume && inScope(labels, this.installation);
  }

  /** Labels of the engine's volume `name`; undefined when there is none. */
  private async labelsOf(name: string): Promise<Record<string, string> | null | undefined> {
    try {
      const info = await this.engine.withDeadline((signal) => this.engine.docker.getVolume(name).inspect({ abortSignal: signal }));
      return info.Labels ?? null;
    } catch (err) {
      if (statusOfEngineError(err) === 404) return undefined;
      throw this.engine.error(err, `inspect volume ${name}`);
    }
  }

  /**
   * The engine name of a project's volume: `volumeName` with the installation, or, for a volume
   * this installation made before its names carried it, that older name (known by its label).
   */
  async engineName(project: string, volume: string): Promise<string> {
    if (this.installation === undefined) return volumeName(project, volume);
    const key = `${project}/${volume}`;
    const known = this.adopted.get(key);
    if (known) return known;
    const legacy = volumeName(project, volume);
    if (this.ours(await this.labelsOf(legacy), project, volume)) {
      this.adopted.set(key, legacy);
      return legacy;
    }
    return volumeName(project, volume, this.installation);
  }

  /** Creates the volume if it is not there; answers its engine name. One of another installation, or not Gureum's, is refused. */
  async ensureVolume(project: string, volume: string): Promise<string> {
    const name = await this.engineName(project, volume);
    // Creating an existing volume answers the existing one: idempotent in the engine itself.
    await this.engine.call(`create volume ${volume} of project ${project}`, (signal) =>
      this.engine.docker.createVolume({
        Name: name,
        Labels: { [LABEL.managed]: 'true', [LABEL.project]: project, [LABEL.volume]: volume, ...scopeLabels(this.installation) },
        abortSignal: signal,
      }),
    );
    if (!this.ours(await this.labelsOf(name), project, volume)) {
      throw new DomainError('VOLUME_EXISTS', `the engine's volume ${name} was not made by this Gureum for volume ${volume} of project ${project} (another installation's, or made by hand): refusing to use it`);
    }
    return name;
  }

  /** Removes the project's volume; one that is not this installation's is left alone. */
  async removeVolume(project: string, volume: string): Promise<void> {
    const name = await this.engineName(project, volume);
    const labels = await this.labelsOf(name);
    if (labels === undefined || !this.ours(labels, project, volume)) return;
    this.adopted.delete(`${project}/${volume}`);
    try {
      await this.engine.withDeadline((signal) => this.engine.docker.getVolume(name).remove({ abortSignal: signal }));
    } catch (err) {
      if (statusOfEngineError(err) === 404) return;
      throw this.engine.error(err, `remove volume ${volume} of project ${project}`, { 409: 'VOLUME_IN_USE' });
    }
  }

  /**
   * What `docker system df -v` shows: the engine walks each local volume's directory. The
   * local driver has no cheaper way, and no per-volume call (API < 1.42 cannot limit df to
   * volumes); it is one request for all volumes, made periodically, not per GET.
   */
  async usage(): Promise<{ project: string; volume: string; usedBytes: number | null }[]> {
    // dockerode's df takes options (the abort signal), though its types say it does not.
    const df = this.engine.docker.df.bind(this.engine.docker) as unknown as (opts: { abortSignal: AbortSignal }) => Promise<DfAnswer>;
    const answer = await this.engine.call('measure volumes', (signal) => df({ abortSignal: signal }));
    return (answer.Volumes ?? []).flatMap((v) => {
      const labels = v.Labels ?? undefined;
      if (labels?.[LABEL.managed] !== 'true' || !inScope(labels, this.installation)) return [];
      const project = labels[LABEL.project];
      const volume = labels[LABEL.volume];
      const size = v.UsageData?.Size;
      return project && volume ? [{ project, volume, usedBytes: typeof size === 'number' && size >= 0 ? size : null }] : [];
    });
  }

  async listVolumes(): Promise<{ project: string; volume: string }[]> {
    const answer = await this.engine.call('list volumes', (signal) =>
      this.engine.docker.listVolumes({ filters: { label: [`${LABEL.managed}=true`, ...scopeFilters(this.installation)] }, abortSignal: signal }),
    );
    return (answer.Volumes ?? []).flatMap((v) => {
      if (!inScope(v.Labels, this.installation)) return [];
      const project = v.Labels?.[LABEL.project];
      const volume = v.Labels?.[LABEL.volume];
      return project && volume ? [{ project, volume }] : [];
    });
  }
}
