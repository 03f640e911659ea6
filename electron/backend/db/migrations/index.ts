import type { Migration } from '../migration';
import { migration001 } from './001-settings';

/** In order; each version one more than the last (checked by the migration tests). */
export const MIGRATIONS: readonly Migration[] = [migration001];
