import { Settings, type SettingsPatch } from '@gureum/contract';
import type { Store } from '../../store/store.js';
import type { EventService } from '../core/event.service.js';

/** Settings whose value is an object: a patch replaces each field it gives, and keeps the others. */
const OBJECT_SETTINGS = ['defaultQuota', 'defaultResources', 'webhooks'] as const;

/**
 * The admin's settings of the installation (who creates projects, what a new project and a
 * component without limits start with, where webhooks may go). Read where they apply, from
 * the store, so every server process and every transaction sees the same ones.
 */
export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly events: EventService,
  ) {}

  async get(store: Store = this.store): Promise<Settings> {
    return Settings.parse(await store.settings.all());
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const { after, changed } = await this.store.transaction(async (trx) => {
      const before = await this.get(trx);
      const next: Record<string, unknown> = { ...before };
      for (const key of Object.keys(patch) as (keyof SettingsPatch)[]) {
        const given = patch[key];
        next[key] = (OBJECT_SETTINGS as readonly string[]).includes(key) ? { ...(before[key] as object), ...(given as object) } : given;
      }
      const after = Settings.parse(next);
      const changed = (Object.keys(after) as (keyof Settings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      const at = new Date().toISOString();
      for (const key of changed) await trx.settings.put(key, after[key], at);
      return { after, changed };
    });
    await this.events.record('settings.updated', {
      message: changed.length > 0 ? `settings changed: ${changed.join(', ')}` : 'settings set (unchanged)',
      data: { changed },
    });
    return after;
  }
}
