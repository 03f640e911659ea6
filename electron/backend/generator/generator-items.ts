/** What the generator's callers may give with an item, besides what the item is. */

/** What may come with an attribute besides its type and value. */
export interface AttributeData {
  readonly category?: string;
  readonly comment?: string;
  readonly toIds?: boolean;
  readonly distribution?: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly tags?: readonly string[];
  readonly disableCorrelation?: boolean;
}

export interface ObjectData {
  readonly comment?: string;
  readonly distribution?: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}
