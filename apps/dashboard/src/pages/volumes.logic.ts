import { ApiError, VolumeCreate, type Event } from '@gureum/contract';
import { checkForm } from '../ui/check-form.js';
import { parseSize } from '../ui/parse-size.js';

export interface VolumeForm {
  name: string;
  /** "10GiB"; empty: no declared size. */
  size: string;
}

export const EMPTY_VOLUME_FORM: VolumeForm = { name: '', size: '' };

/** The createVolume body of a form, checked with the contract's schema. */
export function volumeBody(form: VolumeForm) {
  const size = form.size.trim();
  const sizeBytes = size === '' ? undefined : parseSize(size);
  return checkForm(VolumeCreate, { name: form.name.trim(), ...(sizeBytes !== undefined && { sizeBytes }) }, size !== '' && sizeBytes === undefined ? { sizeBytes: 'write a size like 512MiB or 10GiB' } : {});
}

/** Events after which a project's volume list (or who mounts them) may have changed. */
export function touchesVolumes(project: string): (e: Event) => boolean {
  return (e) => e.project === project && (e.type.startsWith('volume.') || e.type === 'instance.created' || e.type === 'instance.deleted' || e.type === 'instance.updated');
}

/** Why a volume could not be deleted, in words, when the API says it is mounted. */
export function volumeDeleteProblem(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'VOLUME_IN_USE') return undefined;
  const instances = (err.details as { instances?: unknown } | undefined)?.instances;
  const names = Array.isArray(instances) ? instances.filter((x): x is string => typeof x === 'string') : [];
  const who = names.length === 0 ? 'an instance' : names.length === 1 ? `instance ${names[0]}` : `instances ${names.join(', ')}`;
  return `This volume is still mounted by ${who}. Delete ${names.length > 1 ? 'those instances' : 'that instance'} (or remove the volume from ${names.length > 1 ? 'their' : 'its'} app) first; the data stays until then.`;
}
