import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

/** The admin's settings, each a JSON value under its key (parsed by the settings service). */
export class SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<Record<string, unknown>> {
    const rows = await this.db.selectFrom('settings').select(['key', 'value']).execute();
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async put(key: string, value: unknown, at: string): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('settings')
      .values({ key, value: json, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
      .execute();
  }
}
