/**
 * Top-level domains the freetext detector accepts when it decides whether `a.b.xyz` is a domain or a file name.
 *
 * MISP checks the last label against IANA's list of TLDs (loaded from the "TLDs as known by IANA" warninglist),
 * falling back to a built-in list of 22 generic TLDs plus every two-letter pair when that warninglist is missing.
 * The fallback misses the new generic TLDs that dominate abuse feeds (`.xyz`, `.top`, `.sbs`…), so MISP then files
 * `paypal-receipt.xyz` as a file name; shipping all ~1,450 IANA names would make this module mostly data.
 *
 * The compromise here, written for this project:
 * - every two-letter TLD actually delegated to a country or territory (not all 676 letter pairs, so `config.js`
 *   or `notes.rb` stay file names);
 * - the legacy generic and sponsored TLDs, `onion` (which MISP adds), and a few hundred of the new generic and
 *   brand TLDs that registrars sell widely and threat feeds actually show;
 * - any IDN TLD in punycode form (`xn--…`), since those are country or script variants, not file extensions.
 * A caller holding the full IANA list (the backend can read it from the warninglists folder) passes it to the
 * detector instead, which then behaves exactly like a MISP with warninglists loaded.
 */

const COUNTRY_CODE_TLDS =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bv bw by bz ' +
  'ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo ' +
  'fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je ' +
  'jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp ' +
  'mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py ' +
  'qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm ' +
  'tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';

const LEGACY_GENERIC_TLDS =
  'aero arpa asia biz cat com coop edu gov info int jobs mil mobi museum name net org post pro tel travel xxx onion';

// New generic and brand TLDs, alphabetical. Chosen for how often they are registered and how often they show up
// in phishing and malware feeds; extend freely, the cost is one string.
const NEW_GENERIC_TLDS =
  'abogado academy accountant accountants actor adult africa agency airforce amazon android apartments app apple ' +
  'archi army art associates attorney auction audio author auto autos aws baby band bank bar barcelona bargains ' +
  'bayern bbc beauty beer berlin best bet bible bid bike bingo bio black blackfriday blog blue bnpparibas boats ' +
  'bond boo book boston boutique box broker brussels build builders business buzz bzh cab cafe cal cam camera ' +
  'camp canon capital car cards care career careers cars casa case cash casino catering cba center ceo cfd ' +
  'channel charity chat cheap christmas chrome church city claims cleaning click clinic clothing cloud club coach ' +
  'codes coffee college cologne community company compare computer condos construction consulting contact ' +
  'contractors cooking cool corsica country coupon coupons courses credit creditcard cricket cruises cymru cyou ' +
  'dad dance data date dating day deal deals degree delivery democrat dental dentist design dev diamonds diet ' +
  'digital direct directory discount diy doctor docs dog domains download drive dubai earth eco education email ' +
  'energy engineer engineering enterprises equipment esq estate eus events exchange expert exposed express fail ' +
  'faith family fan fans farm fashion fast film finance financial fish fit fitness flights florist flowers fly ' +
  'foo food football forex forsale forum foundation free frl fun fund furniture futbol fyi gal gallery game games ' +
  'garden gay gdn gift gifts gives glass gle global gmail gmbh gold golf goog google graphics gratis green gripe ' +
  'group guide guitars guru hair hamburg haus health healthcare help hiphop hiv hockey holdings holiday homes ' +
  'horse hospital host hosting hot house how icu immo immobilien inc industries ing ink institute insure ' +
  'international investments irish ist istanbul jetzt jewelry juegos kaufen kim kitchen kiwi krd land lat law ' +
  'lawyer lease legal lgbt life lighting limited limo link live living llc llp loan loans lol london love ltd ' +
  'luxe luxury madrid maison makeup management market marketing markets mba media meet melbourne meme memorial ' +
  'men menu miami microsoft mobile moda moe moi mom money monster mortgage moscow motorcycles mov movie music ' +
  'nagoya navy network new news nexus ngo ninja now nrw nyc observer office okinawa one ong onl online ooo organic ' +
  'osaka ovh page paris partners parts party pet phd photo photography photos pics pictures pink pizza place ' +
  'play plumbing plus poker porn press prime productions prof promo properties property protection pub qpon ' +
  'quebec quest racing radio realestate realty recipes red rehab reise reisen ren rent rentals repair report ' +
  'republican rest restaurant review reviews rich rio rip rocks rodeo rsvp ruhr run saarland sale salon sarl ' +
  'sbs school schule science scot search security select services sex sexy shoes shop shopping show singles site ' +
  'ski skin soccer social software solar solutions soy spa space sport store stream studio study style sucks ' +
  'supplies supply support surf surgery swiss sydney systems taipei tattoo tax taxi team tech technology tennis ' +
  'theater tickets tienda tips tires today tokyo tools top tours town toys trade trading training tube uno ' +
  'university vacations vegas ventures vet viajes video villas vin vip vision vlaanderen vodka vote voting voto ' +
  'voyage wales wang watch webcam website wed wedding wien wiki win windows wine work works world wtf xin xyz ' +
  'yachts yandex yoga you youtube zip zone zuerich';

/** The built-in TLD set, lower-case. */
export const BUILTIN_TLDS: ReadonlySet<string> = new Set(
  [COUNTRY_CODE_TLDS, LEGACY_GENERIC_TLDS, NEW_GENERIC_TLDS].join(' ').split(' '),
);

/** True when `label` (any case) is in `tlds`, or is a punycode IDN TLD. */
export function isKnownTld(label: string, tlds: ReadonlySet<string> = BUILTIN_TLDS): boolean {
  const lower = label.toLowerCase();
  return tlds.has(lower) || /^xn--[a-z0-9-]+$/.test(lower);
}
