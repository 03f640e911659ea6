/**
 * What MISP does to a feed event before saving it (Feed::__prepareEvent, MISP 2.5.1; misp-feed-spec §2.5), so that an
 * event imported here looks as it would in a MISP instance fed the same feed.
 */
import type { Attribute } from '../model/attribute';
import type { Event } from '../model/event';
import type { FeedSettings } from '../model/feed-settings';
import type { Distribution } from '../model/levels';
import { withTag } from '../model/tag';

const INHERIT: Distribution = 5;

/** Items already at 5 are kept as they are (a reader told to, or a feed that wrote 5, saves a copy of each). */
function inheritAll(event: Event): Pick<Event, 'attributes' | 'objects'> {
  const inherit = (a: Attribute): Attribute => (a.distribution === INHERIT ? a : { ...a, distribution: INHERIT });
  return {
    attributes: event.attributes.map(inherit),
    objects: event.objects.map((o) =>
      o.distribution === INHERIT && o.attributes.every((a) => a.distribution === INHERIT) ? o : { ...o, distribution: INHERIT, attributes: o.attributes.map(inherit) },
    ),
  };
}

export function applyFeedSettings(event: Event, feed: Pick<FeedSettings, 'distribution' | 'sharingGroupId' | 'defaultTag' | 'settings'>): Event {
  let out: Event = event;
  // Distribution: "5" on a feed means keep the event's own when it has one; otherwise the feed's value wins and every
  // attribute and object is set to inherit from the event.
  if (!(feed.distribution === INHERIT && event.distribution !== undefined)) {
    const distribution: Distribution = feed.distribution === INHERIT ? 0 : feed.distribution;
    const { sharingGroupId: _dropped, ...rest } = out;
    out = {
      ...rest,
      distribution,
      ...(distribution === 4 && feed.sharingGroupId !== null ? { sharingGroupId: feed.sharingGroupId } : {}),
      ...inheritAll(out),
    };
    // A sharing group that does not exist here falls back to "your organisation only", as in MISP.
    if (distribution === 4 && feed.sharingGroupId === null) out = { ...out, distribution: 0 };
  }
  if (feed.defaultTag) {
    out = { ...out, tags: withTag(out.tags, { name: feed.defaultTag.name, colour: feed.defaultTag.colour, local: false, exportable: feed.defaultTag.exportable }) };
  }
  if (feed.settings.disableCorrelation) out = { ...out, disableCorrelation: true };
  if (feed.settings.unpublishEvent) out = { ...out, published: false };
  return out;
}
