/**
 * MISP's attribute type table: for every type the categories it may be filed under, the category and `to_ids`
 * flag MISP picks when a producer leaves them out, whether the value is composite (`a|b`), and how it takes
 * part in correlation.
 *
 * The rows carry the facts of PyMISP's describeTypes.json (194 types, 16 categories) as TypeScript data so
 * that shared/ needs no file access at run time; tests/unit/misp/types.test.ts compares them with that file
 * whenever ../shared is present, so a drift shows up as a failing test rather than as silent disagreement.
 */

/** MISP's 16 attribute categories, in MISP's own order (the order its UI and describeTypes.json use). */
export const CATEGORIES = [
  'Internal reference',
  'Targeting data',
  'Antivirus detection',
  'Payload delivery',
  'Artifacts dropped',
  'Payload installation',
  'Persistence mechanism',
  'Network activity',
  'Payload type',
  'Attribution',
  'External analysis',
  'Financial fraud',
  'Support Tool',
  'Social network',
  'Person',
  'Other',
] as const;

/** One of MISP's attribute categories. */
export type Category = (typeof CATEGORIES)[number];

// Two-letter names for the categories, only so that each table row below fits on one readable line.
const IR = 'Internal reference';
const TD = 'Targeting data';
const AV = 'Antivirus detection';
const PD = 'Payload delivery';
const AD = 'Artifacts dropped';
const PI = 'Payload installation';
const PM = 'Persistence mechanism';
const NA = 'Network activity';
const PT = 'Payload type';
const AT = 'Attribution';
const EA = 'External analysis';
const FF = 'Financial fraud';
const ST = 'Support Tool';
const SN = 'Social network';
const PE = 'Person';
const OT = 'Other';

/** [type, default category, default to_ids (0/1), allowed categories in CATEGORIES order] */
type TypeRow = readonly [string, Category, 0 | 1, readonly Category[]];

// Order follows describeTypes.json, which is also the order MISP lists types in its UI.
const TYPE_ROWS = [
  ['md5', PD, 1, [PD, AD, PI, EA]],
  ['sha1', PD, 1, [PD, AD, PI, EA]],
  ['sha256', PD, 1, [PD, AD, PI, EA]],
  ['filename', PD, 1, [PD, AD, PI, PM, EA]],
  ['pdb', AD, 0, [AD]],
  ['filename|md5', PD, 1, [PD, AD, PI, EA]],
  ['filename|sha1', PD, 1, [PD, AD, PI, EA]],
  ['filename|sha256', PD, 1, [PD, AD, PI, EA]],
  ['ip-src', NA, 1, [PD, NA, EA]],
  ['ip-dst', NA, 1, [PD, NA, EA]],
  ['hostname', NA, 1, [PD, NA, EA]],
  ['domain', NA, 1, [PD, NA, EA]],
  ['domain|ip', NA, 1, [NA, EA]],
  ['email', SN, 1, [PD, NA, AT, SN, PE]],
  ['email-src', PD, 1, [PD, NA, SN]],
  ['eppn', NA, 1, [NA, SN]],
  ['email-dst', NA, 1, [PD, NA, SN]],
  ['email-subject', PD, 0, [PD, NA]],
  ['email-attachment', PD, 1, [PD]],
  ['email-body', PD, 0, [PD]],
  ['float', OT, 0, [OT]],
  ['git-commit-id', IR, 0, [IR]],
  ['url', NA, 1, [PD, NA, EA]],
  ['http-method', NA, 0, [NA]],
  ['user-agent', NA, 0, [PD, NA, EA]],
  ['ja3-fingerprint-md5', NA, 1, [PD, NA, EA]],
  ['jarm-fingerprint', NA, 1, [PD, NA, EA]],
  ['favicon-mmh3', NA, 1, [NA]],
  ['hassh-md5', NA, 1, [PD, NA, EA]],
  ['hasshserver-md5', NA, 1, [PD, NA, EA]],
  ['regkey', PM, 1, [AD, PM, EA]],
  ['regkey|value', PM, 1, [AD, PM, EA]],
  ['AS', NA, 0, [PD, NA, EA]],
  ['snort', NA, 1, [NA, EA]],
  ['suricata', NA, 1, [NA, EA]],
  ['bro', NA, 1, [NA, EA]],
  ['zeek', NA, 1, [NA, EA]],
  ['community-id', NA, 1, [NA, EA]],
  ['dom-hash', NA, 1, [NA, EA]],
  ['pattern-in-file', PI, 1, [PD, AD, PI, NA, EA]],
  ['pattern-in-traffic', NA, 1, [PD, PI, NA, EA]],
  ['pattern-in-memory', PI, 1, [AD, PI, EA]],
  ['filename-pattern', PI, 1, [PD, AD, PI, NA, EA]],
  ['pgp-public-key', PE, 0, [AD, SN, PE, OT]],
  ['pgp-private-key', PE, 0, [AD, SN, PE, OT]],
  ['ssh-fingerprint', NA, 0, [NA]],
  ['yara', PI, 1, [PD, AD, PI]],
  ['stix2-pattern', PI, 1, [PD, AD, PI, NA]],
  ['sigma', PI, 1, [PD, AD, PI]],
  ['gene', AD, 0, [AD]],
  ['kusto-query', AD, 0, [AD]],
  ['mime-type', AD, 0, [PD, AD, PI]],
  ['identity-card-number', PE, 0, [PE]],
  ['cookie', NA, 0, [AD, NA]],
  ['vulnerability', EA, 0, [PD, PI, EA]],
  ['cpe', EA, 0, [PD, PI, EA, OT]],
  ['weakness', EA, 0, [PD, PI, EA]],
  ['attachment', EA, 0, [AV, PD, AD, PI, NA, EA, ST]],
  ['malware-sample', PD, 1, [PD, AD, PI, EA]],
  ['link', EA, 0, [IR, AV, PD, EA, ST]],
  ['comment', OT, 0, [IR, TD, AV, PD, AD, PI, PM, NA, PT, AT, EA, FF, ST, SN, PE, OT]],
  ['text', OT, 0, [IR, AV, PD, AD, PI, PM, NA, PT, AT, EA, FF, ST, SN, PE, OT]],
  ['hex', OT, 0, [IR, AV, PD, AD, PI, PM, NA, FF, ST, OT]],
  ['other', OT, 0, [IR, AV, PD, AD, PI, PM, NA, PT, AT, EA, FF, ST, SN, PE, OT]],
  ['named pipe', AD, 0, [AD]],
  ['mutex', AD, 1, [AD]],
  ['process-state', AD, 0, [AD]],
  ['target-user', TD, 0, [TD]],
  ['target-email', TD, 0, [TD]],
  ['target-machine', TD, 0, [TD]],
  ['target-org', TD, 0, [TD]],
  ['target-location', TD, 0, [TD]],
  ['target-external', TD, 0, [TD]],
  ['btc', FF, 1, [FF]],
  ['dash', FF, 1, [FF]],
  ['xmr', FF, 1, [FF]],
  ['iban', FF, 1, [FF]],
  ['bic', FF, 1, [FF]],
  ['bank-account-nr', FF, 1, [FF]],
  ['aba-rtn', FF, 1, [FF]],
  ['bin', FF, 1, [FF]],
  ['cc-number', FF, 1, [FF]],
  ['prtn', FF, 1, [FF]],
  ['phone-number', PE, 0, [FF, PE, OT]],
  ['threat-actor', AT, 0, [AT]],
  ['campaign-name', AT, 0, [AT]],
  ['campaign-id', AT, 0, [AT]],
  ['malware-type', PD, 0, [PD, PI]],
  ['uri', NA, 1, [NA]],
  ['authentihash', PD, 1, [PD, AD, PI]],
  ['vhash', PD, 1, [PD, AD, PI]],
  ['ssdeep', PD, 1, [PD, AD, PI]],
  ['imphash', PD, 1, [PD, AD, PI]],
  ['telfhash', PD, 1, [PD, AD, PI]],
  ['pehash', PD, 1, [PD, PI]],
  ['impfuzzy', PD, 1, [PD, AD, PI]],
  ['sha224', PD, 1, [PD, AD, PI]],
  ['sha384', PD, 1, [PD, AD, PI]],
  ['sha512', PD, 1, [PD, AD, PI]],
  ['sha512/224', PD, 1, [PD, AD, PI]],
  ['sha512/256', PD, 1, [PD, AD, PI]],
  ['sha3-224', PD, 1, [PD, AD, PI, EA]],
  ['sha3-256', PD, 1, [PD, AD, PI, EA]],
  ['sha3-384', PD, 1, [PD, AD, PI, EA]],
  ['sha3-512', PD, 1, [PD, AD, PI, EA]],
  ['tlsh', PD, 1, [PD, PI]],
  ['cdhash', PD, 1, [PD, AD, PI]],
  ['filename|authentihash', PD, 1, [PD, AD, PI]],
  ['filename|vhash', PD, 1, [PD, AD, PI]],
  ['filename|ssdeep', PD, 1, [PD, AD, PI]],
  ['filename|imphash', PD, 1, [PD, AD, PI]],
  ['filename|impfuzzy', PD, 1, [PD, AD, PI]],
  ['filename|pehash', PD, 1, [PD, AD, PI]],
  ['filename|sha224', PD, 1, [PD, AD, PI]],
  ['filename|sha384', PD, 1, [PD, AD, PI]],
  ['filename|sha512', PD, 1, [PD, AD, PI]],
  ['filename|sha512/224', PD, 1, [PD, AD, PI]],
  ['filename|sha512/256', PD, 1, [PD, AD, PI]],
  ['filename|sha3-224', PD, 1, [PD, AD, PI, EA]],
  ['filename|sha3-256', PD, 1, [PD, AD, PI, EA]],
  ['filename|sha3-384', PD, 1, [PD, AD, PI, EA]],
  ['filename|sha3-512', PD, 1, [PD, AD, PI, EA]],
  ['filename|tlsh', PD, 1, [PD, AD, PI]],
  ['windows-scheduled-task', AD, 0, [AD]],
  ['windows-service-name', AD, 0, [AD]],
  ['windows-service-displayname', AD, 0, [AD]],
  ['whois-registrant-email', AT, 0, [PD, AT, SN]],
  ['whois-registrant-phone', AT, 0, [AT]],
  ['whois-registrant-name', AT, 0, [AT]],
  ['whois-registrant-org', AT, 0, [AT]],
  ['whois-registrar', AT, 0, [AT]],
  ['whois-creation-date', AT, 0, [AT]],
  ['x509-fingerprint-sha1', NA, 1, [PD, AD, PI, NA, AT, EA]],
  ['x509-fingerprint-md5', NA, 1, [PD, AD, PI, NA, AT, EA]],
  ['x509-fingerprint-sha256', NA, 1, [PD, AD, PI, NA, AT, EA]],
  ['dns-soa-email', AT, 0, [AT]],
  ['size-in-bytes', OT, 0, [OT]],
  ['counter', OT, 0, [OT]],
  ['integer', OT, 0, [OT]],
  ['datetime', OT, 0, [OT]],
  ['port', NA, 0, [NA, OT]],
  ['ip-dst|port', NA, 1, [PD, NA, EA]],
  ['ip-src|port', NA, 1, [PD, NA, EA]],
  ['hostname|port', NA, 1, [PD, NA]],
  ['mac-address', NA, 0, [PD, NA, EA]],
  ['mac-eui-64', NA, 0, [PD, NA, EA]],
  ['email-dst-display-name', PD, 0, [PD]],
  ['email-src-display-name', PD, 0, [PD]],
  ['email-header', PD, 0, [PD]],
  ['email-reply-to', PD, 0, [PD]],
  ['email-x-mailer', PD, 0, [PD]],
  ['email-mime-boundary', PD, 0, [PD]],
  ['email-thread-index', PD, 0, [PD]],
  ['email-message-id', PD, 0, [PD]],
  ['github-username', SN, 0, [SN]],
  ['github-repository', SN, 0, [EA, SN]],
  ['github-organisation', SN, 0, [SN]],
  ['jabber-id', SN, 0, [SN]],
  ['twitter-id', SN, 0, [SN]],
  ['dkim', NA, 0, [NA]],
  ['dkim-signature', NA, 0, [NA]],
  ['first-name', PE, 0, [PE]],
  ['middle-name', PE, 0, [PE]],
  ['last-name', PE, 0, [PE]],
  ['full-name', PE, 0, [PE]],
  ['date-of-birth', PE, 0, [PE]],
  ['place-of-birth', PE, 0, [PE]],
  ['gender', PE, 0, [PE]],
  ['passport-number', PE, 0, [PE]],
  ['passport-country', PE, 0, [PE]],
  ['passport-expiration', PE, 0, [PE]],
  ['redress-number', PE, 0, [PE]],
  ['nationality', PE, 0, [PE]],
  ['visa-number', PE, 0, [PE]],
  ['issue-date-of-the-visa', PE, 0, [PE]],
  ['primary-residence', PE, 0, [PE]],
  ['country-of-residence', PE, 0, [PE]],
  ['special-service-request', PE, 0, [PE]],
  ['frequent-flyer-number', PE, 0, [PE]],
  ['travel-details', PE, 0, [PE]],
  ['payment-details', PE, 0, [PE]],
  ['place-port-of-original-embarkation', PE, 0, [PE]],
  ['place-port-of-clearance', PE, 0, [PE]],
  ['place-port-of-onward-foreign-destination', PE, 0, [PE]],
  ['passenger-name-record-locator-number', PE, 0, [PE]],
  ['mobile-application-id', PD, 1, [PD, PI]],
  ['azure-application-id', PD, 1, [PD, PI]],
  ['chrome-extension-id', PD, 1, [PD, PI]],
  ['edge-extension-id', PD, 1, [PD, PI]],
  ['cortex', EA, 0, [EA]],
  ['boolean', OT, 0, [OT]],
  ['uuid', OT, 0, [OT]],
  ['anonymised', OT, 0, [IR, TD, AV, PD, AD, PI, PM, NA, PT, AT, EA, FF, ST, SN, PE, OT]],
  ['onion-address', NA, 1, [PD, NA, EA]],
] as const satisfies readonly TypeRow[];

/** Every attribute type MISP (as described by PyMISP) knows. */
export type AttributeType = (typeof TYPE_ROWS)[number][0];

/** All attribute types, in describeTypes.json order. */
export const ATTRIBUTE_TYPES: readonly AttributeType[] = TYPE_ROWS.map((row) => row[0]);

/**
 * Composite types and the types their two halves stand for. MISP treats every type whose name contains `|` as
 * composite, plus `malware-sample`, whose value is `filename|md5` (the md5 names the zipped sample). For halves
 * that have no attribute type of their own (registry value data) we name the closest one, `text`; for
 * `domain|ip` the address half is an `ip-dst` because MISP checks it as a single address, never a CIDR block.
 */
export const COMPOSITE_HALVES = {
  'filename|md5': ['filename', 'md5'],
  'filename|sha1': ['filename', 'sha1'],
  'filename|sha256': ['filename', 'sha256'],
  'domain|ip': ['domain', 'ip-dst'],
  'regkey|value': ['regkey', 'text'],
  'malware-sample': ['filename', 'md5'],
  'filename|authentihash': ['filename', 'authentihash'],
  'filename|vhash': ['filename', 'vhash'],
  'filename|ssdeep': ['filename', 'ssdeep'],
  'filename|imphash': ['filename', 'imphash'],
  'filename|impfuzzy': ['filename', 'impfuzzy'],
  'filename|pehash': ['filename', 'pehash'],
  'filename|sha224': ['filename', 'sha224'],
  'filename|sha384': ['filename', 'sha384'],
  'filename|sha512': ['filename', 'sha512'],
  'filename|sha512/224': ['filename', 'sha512/224'],
  'filename|sha512/256': ['filename', 'sha512/256'],
  'filename|sha3-224': ['filename', 'sha3-224'],
  'filename|sha3-256': ['filename', 'sha3-256'],
  'filename|sha3-384': ['filename', 'sha3-384'],
  'filename|sha3-512': ['filename', 'sha3-512'],
  'filename|tlsh': ['filename', 'tlsh'],
  'ip-dst|port': ['ip-dst', 'port'],
  'ip-src|port': ['ip-src', 'port'],
  'hostname|port': ['hostname', 'port'],
} as const satisfies Partial<Record<AttributeType, readonly [AttributeType, AttributeType]>>;

/** A composite attribute type (value `half1|half2`). */
export type CompositeType = keyof typeof COMPOSITE_HALVES;

/**
 * Types MISP never correlates (MispAttribute::NON_CORRELATING_TYPES in MISP 2.5.1): values such as ports,
 * booleans or free comments would link unrelated events by coincidence.
 */
export const NON_CORRELATING_TYPES: readonly AttributeType[] = [
  'comment',
  'http-method',
  'aba-rtn',
  'gender',
  'counter',
  'integer',
  'float',
  'port',
  'nationality',
  'cortex',
  'boolean',
  'anonymised',
];

/**
 * Composite types whose second half does not correlate (PRIMARY_ONLY_CORRELATING_TYPES): the port alone
 * would tie every event that mentions port 443 together.
 */
export const PRIMARY_ONLY_CORRELATING_TYPES: readonly CompositeType[] = ['ip-src|port', 'ip-dst|port', 'hostname|port'];

/**
 * Types in PyMISP's list that MISP 2.5.1 (the release our reference reading covers) does not define: it refuses
 * them as "Invalid type". Newer MISP releases presumably accept them, but we have not seen their rules.
 */
export const TYPES_UNKNOWN_TO_MISP_2_5_1: readonly AttributeType[] = ['suricata', 'edge-extension-id', 'uuid'];

/** How an attribute of a type takes part in MISP correlation. */
export type CorrelationMode =
  /** the whole value correlates (single-value types) */
  | 'value'
  /** each half of the composite value correlates on its own */
  | 'both-halves'
  /** only the first half of the composite value correlates */
  | 'first-half'
  /** the type never correlates */
  | 'never';

/** Everything the table knows about one attribute type. */
export interface AttributeTypeInfo {
  readonly type: AttributeType;
  /** Category MISP assigns when an attribute arrives without one. */
  readonly defaultCategory: Category;
  /** `to_ids` MISP assigns when an attribute arrives without it. */
  readonly defaultToIds: boolean;
  /** Categories the type may be filed under, in CATEGORIES order; MISP rejects any other. */
  readonly categories: readonly Category[];
  /** For composite types the types of the two halves, otherwise null. */
  readonly compositeHalves: readonly [AttributeType, AttributeType] | null;
  readonly correlation: CorrelationMode;
  /** False for the few PyMISP types that MISP 2.5.1 rejects as unknown. */
  readonly knownToMisp251: boolean;
}

function correlationModeOf(type: AttributeType): CorrelationMode {
  if (NON_CORRELATING_TYPES.includes(type)) return 'never';
  if ((PRIMARY_ONLY_CORRELATING_TYPES as readonly string[]).includes(type)) return 'first-half';
  return type in COMPOSITE_HALVES ? 'both-halves' : 'value';
}

const TYPE_INFO: ReadonlyMap<string, AttributeTypeInfo> = new Map(
  TYPE_ROWS.map(([type, defaultCategory, toIds, categories]): [string, AttributeTypeInfo] => [
    type,
    {
      type,
      defaultCategory,
      defaultToIds: toIds === 1,
      categories,
      compositeHalves: isCompositeType(type) ? COMPOSITE_HALVES[type] : null,
      correlation: correlationModeOf(type),
      knownToMisp251: !TYPES_UNKNOWN_TO_MISP_2_5_1.includes(type),
    },
  ]),
);

/** The table entry for `type`, or undefined when MISP does not know the type. Type names are case-sensitive. */
export function typeInfo(type: string): AttributeTypeInfo | undefined {
  return TYPE_INFO.get(type);
}

/** True when `type` is one of MISP's attribute types (exact spelling; `AS` and `named pipe` included). */
export function isKnownType(type: string): type is AttributeType {
  return TYPE_INFO.has(type);
}

/** True for composite types, whose values are two halves joined by exactly one `|`. */
export function isCompositeType(type: string): type is CompositeType {
  return Object.prototype.hasOwnProperty.call(COMPOSITE_HALVES, type);
}

/** True when `category` is one of MISP's 16 category names (exact spelling). */
export function isCategory(category: string): category is Category {
  return (CATEGORIES as readonly string[]).includes(category);
}

/** True when MISP accepts an attribute of `type` filed under `category`. Unknown types allow nothing. */
export function isCategoryAllowed(type: string, category: string): boolean {
  return TYPE_INFO.get(type)?.categories.some((allowed) => allowed === category) ?? false;
}
