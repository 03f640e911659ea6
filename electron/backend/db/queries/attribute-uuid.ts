/**
 * How the attribute uuid index is keyed (db/migrations/005-attribute-uuid-as-bytes.ts): by the uuid's bytes. A
 * lookup of attributes by uuid must compare this expression, not the column, or SQLite cannot use the index.
 */
export function attributeUuidKey(column: string): string {
  return `coalesce(unhex(replace(${column}, '-', '')), ${column})`;
}
