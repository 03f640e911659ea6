import type { JsonRecord, WithAnalystData } from './analyst-data';
import type { Attribute } from './attribute';
import type { Analysis, Distribution, ThreatLevel } from './levels';
import type { MispObject } from './object';
import type { Tag } from './tag';

/** An organisation as feeds carry it: MISP resolves it by uuid first, then by name. */
export interface Orgc {
  readonly name: string;
  readonly uuid?: string;
}

/** A Markdown write-up attached to an event. */
export interface EventReport extends WithAnalystData {
  readonly uuid: string;
  readonly name: string;
  readonly content: string;
  readonly timestamp: number;
  readonly distribution?: Distribution;
  readonly sharingGroupId?: number;
  readonly deleted?: boolean;
}

export interface Event extends WithAnalystData {
  readonly uuid: string;
  readonly info: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** Last modification, Unix seconds; must grow on every change or MISP consumers will not update. */
  readonly timestamp: number;
  /** 0 when never published. */
  readonly publishTimestamp: number;
  readonly published: boolean;
  readonly analysis: Analysis;
  readonly threatLevelId: ThreatLevel;
  /** Absent in most feeds: the consuming MISP sets it from its feed configuration. */
  readonly distribution?: Distribution;
  readonly sharingGroupId?: number;
  /** Uuid of the event this one extends, or ''. */
  readonly extendsUuid: string;
  /** Signed-sync flag; the feed path never checks signatures. */
  readonly protected: boolean;
  readonly disableCorrelation?: boolean;
  /** Creator organisation. Absent only when the source had none; such an event cannot be written to a feed. */
  readonly orgc?: Orgc;
  /** Owner organisation on the exporting instance (REST exports only; never written to feeds). */
  readonly org?: Orgc;
  readonly tags: readonly Tag[];
  readonly attributes: readonly Attribute[];
  readonly objects: readonly MispObject[];
  readonly reports: readonly EventReport[];
  /**
   * MISP's CryptographicKey entries (the keys a protected event is signed with), as the source wrote them less
   * their local ids. Kept and written back; the feed path never checks them. Absent when the source had none.
   */
  readonly cryptographicKeys?: readonly JsonRecord[];
}
