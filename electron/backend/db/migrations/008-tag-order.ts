import type { Migration } from '../migration';

/**
 * Tags keep the order the source gave them. The join tables are keyed (owner, tag), which orders them by tag id,
 * that is by when each tag was first seen in the library; an export then wrote an event's tags in another order
 * than the feed that brought it. Rows stored before this keep position 0 and their old order.
 */
export const migration008: Migration = {
  version: 8,
  name: 'tag-order',
  up(db) {
    db.exec(`
      ALTER TABLE event_tag ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE attribute_tag ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
