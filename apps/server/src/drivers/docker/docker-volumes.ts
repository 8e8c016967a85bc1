import { LABEL, volumeName } from '../../domain/core/labels.js';
import type { DockerEngine } from './docker-engine.js';
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

  async ensureVolume(project: string, volume: string): Promise<void> {
    const name = volumeName(project, volume);
    // Creating an existing volume answers the existing one: idempotent in the engine itself.
    await this.engine.call(`create volume ${volume} of project ${project}`, (signal) =>
      this.engine.docker.createVolume({
        Name: name,
        Labels: { [LABEL.managed]: 'true', [LABEL.project]: project, [LABEL.volume]: volume, ...scopeLabels(this.installation) },
        abortSignal: signal,
      }),
    );
  }

  async removeVolume(project: string, volume: string): Promise<void> {
    const name = volumeName(project, volume);
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
