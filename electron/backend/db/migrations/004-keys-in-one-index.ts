import type { Migration } from '../migration';

/**
 * Every correlation key in correlation_key, including the (most common) key that is the attribute's own value.
 *
 * Until now those self keys were found through a partial index on attribute.value. An index on the attribute
 * table is grown in the order attributes are written, which for values is random: on a large import that one
 * index cost as much as all the rest of the merge (see db/queries/bulk-merge.ts). Rows of correlation_key are written
 * sorted by key within each step, so its key index is grown in runs. The price is the value stored a second time;
 * `attribute.correlates` keeps saying whether the value is its own key.
 */
export const migration004: Migration = {
  version: 4,
  name: 'keys-in-one-index',
  up(db) {
    db.exec(`
      INSERT INTO correlation_key (key, attribute_id, event_id)
        SELECT value, id, event_id FROM attribute WHERE correlates = 1 ORDER BY value, id;
      DROP INDEX attribute_value_key;
    `);
  },
};
