/**
 * The small integer enumerations MISP uses on events and their content. Feeds carry them as numbers or
 * numeric strings; the model always holds numbers.
 */

/**
 * Who may see an item: 0 your organisation only, 1 this community, 2 connected communities, 3 all communities,
 * 4 a sharing group, 5 inherit from the parent (event or object). 5 is not valid on an event itself.
 */
export type Distribution = 0 | 1 | 2 | 3 | 4 | 5;
export const DISTRIBUTIONS: readonly Distribution[] = [0, 1, 2, 3, 4, 5];
export const DISTRIBUTION_LABELS: Readonly<Record<Distribution, string>> = {
  0: 'Your organisation only',
  1: 'This community only',
  2: 'Connected communities',
  3: 'All communities',
  4: 'Sharing group',
  5: 'Inherit',
};

export function isDistribution(value: unknown): value is Distribution {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5;
}

/** Event analysis state: 0 initial, 1 ongoing, 2 completed. */
export type Analysis = 0 | 1 | 2;
export const ANALYSIS_LABELS: Readonly<Record<Analysis, string>> = { 0: 'Initial', 1: 'Ongoing', 2: 'Completed' };

export function isAnalysis(value: unknown): value is Analysis {
  return value === 0 || value === 1 || value === 2;
}

/** Event threat level: 1 high, 2 medium, 3 low, 4 undefined. */
export type ThreatLevel = 1 | 2 | 3 | 4;
export const THREAT_LEVEL_LABELS: Readonly<Record<ThreatLevel, string>> = {
  1: 'High',
  2: 'Medium',
  3: 'Low',
  4: 'Undefined',
};

export function isThreatLevel(value: unknown): value is ThreatLevel {
  return value === 1 || value === 2 || value === 3 || value === 4;
}
