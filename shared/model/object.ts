import type { WithAnalystData } from './analyst-data';
import type { Attribute } from './attribute';
import type { Distribution } from './levels';

/** A typed link from an object to another object or attribute of the same event. */
export interface ObjectReference {
  readonly uuid: string;
  /** The object the reference lives in (its source). */
  readonly objectUuid: string;
  /** The target; MISP silently drops references whose target is not in the same event. */
  readonly referencedUuid: string;
  /** Free text; misp-objects' relationships list is recommended (`related-to`, `drops`...). */
  readonly relationshipType: string;
  readonly comment: string;
  readonly timestamp: number;
  readonly deleted?: boolean;
}

/**
 * A group of attributes built from a misp-objects template (`file`, `domain-ip`...). Named MispObject so it does
 * not shadow the global `Object`.
 */
export interface MispObject extends WithAnalystData {
  readonly uuid: string;
  readonly name: string;
  readonly metaCategory: string;
  readonly description: string;
  readonly templateUuid: string;
  readonly templateVersion: number;
  readonly comment: string;
  readonly timestamp: number;
  readonly distribution?: Distribution;
  readonly sharingGroupId?: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly deleted?: boolean;
  /** Each carries `objectRelation`. */
  readonly attributes: readonly Attribute[];
  readonly references: readonly ObjectReference[];
}
