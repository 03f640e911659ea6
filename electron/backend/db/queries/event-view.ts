/**
 * Where a stored event came from, as loadEvent (event-load.ts) reports it beside the model event. The event view
 * itself is paged in SQL (event-page.ts); no model → view mapping is needed any more.
 */
export interface EventMeta {
  readonly feedId: number | null;
  readonly feedName: string | null;
  readonly locallyEdited: boolean;
}
