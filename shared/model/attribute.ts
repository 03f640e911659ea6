import type { WithAnalystData } from './analyst-data';
import type { Distribution } from './levels';
import type { Tag } from './tag';

/**
 * One indicator or piece of context. Field names are camelCase versions of MISP's; the feed reader and writer
 * translate. Optional fields are absent when the source did not carry them, which matters because PyMISP only
 * writes `deleted`, `first_seen`, `last_seen` and `data` when they are present.
 */
export interface Attribute extends WithAnalystData {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  /** Composite types (`filename|md5`, `ip-dst|port`...) keep both halves joined by one `|`, as MISP does. */
  readonly value: string;
  readonly toIds: boolean;
  readonly comment: string;
  /** Last modification, Unix seconds. MISP only takes an update when this grows. */
  readonly timestamp: number;
  readonly distribution?: Distribution;
  /** Only meaningful with distribution 4. */
  readonly sharingGroupId?: number;
  /** ISO 8601 text as carried by the source (MISP writes microseconds and an offset). */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Soft deletion: MISP feeds revoke items by keeping them with `deleted: true` and a newer timestamp. */
  readonly deleted?: boolean;
  readonly disableCorrelation: boolean;
  /** Set on object attributes only: the attribute's role in its object template (`filename`, `ip`...). */
  readonly objectRelation?: string;
  /** Base64 payload of `attachment` and `malware-sample` attributes. */
  readonly data?: string;
  readonly tags: readonly Tag[];
}
