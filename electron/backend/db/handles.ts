/**
 * Branded connection handles. A `ReadHandle` is a read-only connection on a committed WAL snapshot; a `WriteHandle`
 * is the one write connection, handed out only inside a write step (see writer.ts). Query functions that write take
 * a `WriteHandle`, so passing a read handle to them does not compile; the read connections are also opened
 * read-only, so SQLite refuses a write that slips past the types.
 */
import type Database from 'better-sqlite3';

declare const readBrand: unique symbol;
declare const writeBrand: unique symbol;

export type ReadHandle = Database.Database & { readonly [readBrand]: true };
export type WriteHandle = ReadHandle & { readonly [writeBrand]: true };

/** Only the modules that open connections brand them. */
export const asReadHandle = (db: Database.Database) => db as ReadHandle;
export const asWriteHandle = (db: Database.Database) => db as WriteHandle;
