/**
 * Problems found in untrusted input. Readers never throw on bad data; they return values plus issues, each
 * pointing at where the problem is so an analyst can find it (file, event, attribute or line).
 */
export type IssueSeverity = 'error' | 'warning' | 'info';

export interface Issue {
  readonly severity: IssueSeverity;
  /** Stable machine-readable code, e.g. `manifest.key-not-uuid`. */
  readonly code: string;
  /** Where: `manifest.json`, `hashes.csv:12`, `<uuid>.json#/Event/Attribute/3/value`. */
  readonly path: string;
  readonly message: string;
}

/** A parse result: the value (or null when nothing usable was found) and what was wrong on the way. */
export interface Parsed<T> {
  readonly value: T;
  readonly issues: readonly Issue[];
}

export function issue(severity: IssueSeverity, code: string, path: string, message: string): Issue {
  return { severity, code, path, message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
