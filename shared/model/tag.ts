/**
 * A tag attached to an event or attribute. Galaxy clusters are not modelled separately: the feed format only
 * carries them as tags named `misp-galaxy:<type>="<value>"`, and MISP's feed import ignores `Galaxy` arrays.
 */
export interface Tag {
  readonly name: string;
  /** `#rrggbb`; absent when the source gave none (the feed writer then uses PyMISP's `#ffffff`). */
  readonly colour?: string;
  /** Attached locally only: meant never to leave the instance, so the feed writer drops it by default. */
  readonly local: boolean;
  /** false means MISP would never export it; true or absent means exportable. */
  readonly exportable?: boolean;
  readonly relationshipType?: string;
}

export const GALAXY_TAG_PREFIX = 'misp-galaxy:';

export function isGalaxyTag(tag: Pick<Tag, 'name'>): boolean {
  return tag.name.startsWith(GALAXY_TAG_PREFIX);
}

/** Tag name for a galaxy cluster, the only form in which clusters travel in feeds. */
export function galaxyTagName(galaxyType: string, clusterValue: string): string {
  return `${GALAXY_TAG_PREFIX}${galaxyType}="${clusterValue}"`;
}

/** MISP matches tag names case-insensitively, so two tags are the same tag when their keys are equal. */
export function tagKey(name: string): string {
  return name.toLowerCase();
}

/** The tags that may leave this instance in a feed: never non-exportable ones, local ones only on request. */
export function exportableTags(tags: readonly Tag[], keepLocal = false): Tag[] {
  return tags.filter((t) => t.exportable !== false && (keepLocal || !t.local));
}

/** Adds a tag unless one with the same (case-insensitive) name is already there; returns a new list. */
export function withTag(tags: readonly Tag[], tag: Tag): Tag[] {
  const key = tagKey(tag.name);
  return tags.some((t) => tagKey(t.name) === key) ? [...tags] : [...tags, tag];
}
