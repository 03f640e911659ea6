import type { Migration } from '../migration';

/**
 * The attribute uuid index keyed by the uuid's 16 bytes instead of its 36 characters (see ATTRIBUTE_UUID_KEY).
 *
 * Attribute uuids are random, so every merge step of a large import grows this index all over; half-size entries
 * mean half the pages to touch and to write at each commit. The index is still unique, so uniqueness (and INSERT
 * OR IGNORE dropping a taken uuid) is unchanged: stored uuids are canonical lowercase, so two uuids that differ as
 * text differ as bytes too. A uuid that is not hex (none is stored by Ferry) keys by its text and stays unique.
 */
export const migration005: Migration = {
  version: 5,
  name: 'attribute-uuid-as-bytes',
  up(db) {
    db.exec(`
      DROP INDEX attribute_uuid;
      CREATE UNIQUE INDEX attribute_uuid ON attribute (coalesce(unhex(replace(uuid, '-', '')), uuid));
    `);
  },
};
