/**
 * Where in a source the feed sits: manifest.json at the root, or in the one folder that wraps it (zips made by
 * "compress folder" wrap everything in the folder's name).
 */
import { failure, success, type Result } from '../result';
import type { FeedSource } from './feed-source';

export interface FeedLayout {
  /** '' for the root, else 'folder/' — a prefix for entry names. */
  readonly root: string;
  readonly manifest: string;
  readonly hashes: string | null;
  /** Entry names of `<something>.json` files directly in the root, other than manifest.json. */
  readonly eventFiles: ReadonlyMap<string, string>;
}

export function locateFeed(source: FeedSource): Result<FeedLayout> {
  const manifests = [...source.entries.keys()].filter((n) => n === 'manifest.json' || n.endsWith('/manifest.json'));
  if (manifests.length === 0) return failure('bad-source', `${source.path}: not a MISP feed: no manifest.json found`);
  // The shallowest manifest wins; ties are ambiguous and refused rather than guessed.
  const depth = (n: string) => n.split('/').length;
  manifests.sort((a, b) => depth(a) - depth(b));
  const first = manifests[0]!;
  if (manifests.length > 1 && depth(manifests[1]!) === depth(first)) {
    return failure('bad-source', `${source.path}: holds several feeds (${manifests.slice(0, 3).join(', ')}…); open one of them`);
  }
  const root = first.slice(0, first.length - 'manifest.json'.length);
  const eventFiles = new Map<string, string>();
  for (const name of source.entries.keys()) {
    if (!name.startsWith(root)) continue;
    const rest = name.slice(root.length);
    if (rest.includes('/') || !rest.endsWith('.json') || rest === 'manifest.json') continue;
    eventFiles.set(rest.slice(0, -'.json'.length).toLowerCase(), name);
  }
  const hashes = source.entries.has(`${root}hashes.csv`) ? `${root}hashes.csv` : null;
  return success({ root, manifest: first, hashes, eventFiles });
}
