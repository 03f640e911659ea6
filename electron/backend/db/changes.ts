/**
 * What a write changed, collected by the writer step by step and pushed to clients as one `library.changed` event
 * after the commit (coalesced: a long import sends a few events a second, not one per step).
 */
import type { LibraryChangedEvent } from '../../../shared/ipc/wire';

/** Past this many uuids an event says 'all': a client refreshes everything as cheaply as it reads a long list. */
const MAX_LISTED_EVENTS = 500;

export interface Changes {
  feeds?: boolean;
  /** uuids of events added, changed or deleted. */
  events?: Iterable<string> | 'all';
  imports?: boolean;
  cache?: boolean;
  reference?: boolean;
  keys?: boolean;
  exports?: boolean;
}

export class ChangeSet {
  private feeds = false;
  private events: Set<string> | 'all' = new Set();
  private imports = false;
  private cache = false;
  private reference = false;
  private keys = false;
  private exports = false;
  private external = false;

  get isEmpty(): boolean {
    return !this.feeds && !this.imports && !this.cache && !this.reference && !this.keys && !this.exports && !this.external && this.events !== 'all' && this.events.size === 0;
  }

  add(c: Changes): void {
    if (c.feeds) this.feeds = true;
    if (c.imports) this.imports = true;
    if (c.cache) this.cache = true;
    if (c.reference) this.reference = true;
    if (c.keys) this.keys = true;
    if (c.exports) this.exports = true;
    if (c.events === 'all') this.events = 'all';
    else if (c.events && this.events !== 'all') {
      for (const uuid of c.events) this.events.add(uuid);
      if (this.events.size > MAX_LISTED_EVENTS) this.events = 'all';
    }
  }

  /** Another process committed: it cannot tell us what, so everything may have changed. */
  addExternal(): void {
    this.external = true;
    this.add({ feeds: true, events: 'all', imports: true, cache: true, reference: true, keys: true, exports: true });
  }

  /** The event to push, and an empty set for what comes next. */
  take(): LibraryChangedEvent | null {
    if (this.isEmpty) return null;
    const event: LibraryChangedEvent = {
      type: 'library.changed',
      feeds: this.feeds,
      events: this.events === 'all' ? 'all' : [...this.events],
      imports: this.imports,
      cache: this.cache,
      reference: this.reference,
      keys: this.keys,
      exports: this.exports,
      external: this.external,
    };
    this.feeds = this.imports = this.cache = this.reference = this.keys = this.exports = this.external = false;
    this.events = new Set();
    return event;
  }
}
