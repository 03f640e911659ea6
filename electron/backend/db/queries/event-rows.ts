/** Model ↔ row conversions for the columns SQLite stores as integers or nullable text. */
export const bool = (b: boolean | undefined): number => (b ? 1 : 0);
export const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
