import type { Migration } from '../migration';
import { migration001 } from './001-settings';
import { migration002 } from './002-library';
import { migration003 } from './003-cache-sets';
import { migration004 } from './004-keys-in-one-index';
import { migration005 } from './005-attribute-uuid-as-bytes';
import { migration006 } from './006-key-index-by-hash';
import { migration007 } from './007-keys-and-exports';
import { migration008 } from './008-tag-order';
import { migration009 } from './009-analyst-data';

/** In order; each version one more than the last (checked by the migration tests). */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009];
