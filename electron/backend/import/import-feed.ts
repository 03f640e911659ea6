/**
 * One import run, fetch or cache, of a MISP feed (folder or zip) or a value list (freetext / CSV file): resolve the
 * feed, open the source, do the work, keep the report in the import log.
 */
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { importRequestSchema } from '../../../shared/ipc/library-schemas';
import type { Reader } from '../db/reader';
import type { Writer } from '../db/writer';
import type { HandlerContext } from '../dispatch';
import { FeedReads, FeedStore, nowSeconds, type FeedSummary } from '../db/queries/feed-store';
import { failure, success, type Result } from '../result';
import type { SourceLimits } from '../source/limits';
import { openFeed } from '../source/open-feed';
import type { FeedSource } from '../source/feed-source';
import { listKeys } from '../db/queries/key-store';
import { hasIntegrityFiles, verifySource } from '../export/verify-feed';
import { looksLikeZip } from '../source/open-source';
import type { BulkLoadPolicy } from './bulk-load';
import { cacheFeed } from './cache-feed';
import { fetchEvents } from './fetch-feed';
import { closeRun, openRun, type ImportReport } from '../db/queries/import-runs';
import { cacheValues, fetchValues, readFeedValues } from './import-values';
import { resolveFeed, valueListSettings, type FeedChoice } from './resolve-feed';

export type ImportRequest = z.output<typeof importRequestSchema>;

export interface ImportEnvironment {
  readonly writer: Writer;
  readonly reader: Reader;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly limits: SourceLimits;
  readonly bulkLoad: BulkLoadPolicy;
  /** Tests only: the write step with this number (1-based, counted per import) throws once. */
  readonly faults?: { readonly failStep?: number };
}

interface RunState {
  readonly counts: ImportReport['counts'];
  readonly items: ImportReport['items'];
  readonly issues: Issue[];
  cacheSource: ImportReport['cacheSource'];
  verification: ImportReport['verification'];
}

/** Opens the log entry, runs `work`, and closes the entry with the report whatever happens. */
async function logged(
  env: ImportEnvironment,
  feed: FeedSummary,
  source: { path: string; kind: string },
  mode: ImportRequest['mode'],
  initialIssues: readonly Issue[],
  verification: ImportReport['verification'],
  work: (importId: number, state: RunState) => Promise<Result<'done' | 'cancelled'>>,
  /** Written in the step that closes the log entry: the feed's last import or cache. */
  note: (feeds: FeedStore, state: RunState, status: ImportReport['status']) => void,
): Promise<Result<ImportReport>> {
  const startedAt = nowSeconds();
  const opened = await env.writer.write('import: open the log', (step) => {
    step.changed({ imports: true, feeds: true });
    return success(openRun(step.db, feed.id, source.path, source.kind, mode, startedAt));
  });
  if (!opened.ok) return opened;
  const importId = opened.value;
  const state: RunState = {
    counts: { selected: 0, added: 0, updated: 0, unchanged: 0, filtered: 0, rejected: 0, conflicts: 0, attributes: 0, cachedValues: 0 },
    items: [],
    issues: [...initialIssues],
    cacheSource: null,
    verification,
  };
  let status: ImportReport['status'] = 'failed';
  let failed: Result<never> | null = null;
  const report = (): ImportReport => ({
    importId, feedId: feed.id, feedName: feed.settings.name, mode, source: source.path, status, startedAt,
    finishedAt: nowSeconds(), counts: state.counts, items: state.items, issues: state.issues, cacheSource: state.cacheSource,
    verification: state.verification,
  });
  try {
    const outcome = await work(importId, state);
    if (outcome.ok) status = outcome.value;
    else {
      failed = outcome;
      state.issues.push(issue('error', `import.${outcome.error.code}`, source.path, outcome.error.message));
    }
  } catch (e) {
    // A bug, not an expected failure: still close the log entry, and say what happened.
    failed = failure('internal', (e as Error).message);
    state.issues.push(issue('error', 'import.internal', source.path, (e as Error).message));
  }
  const final = report();
  const closed = await env.writer.write('import: close the log', (step) => {
    note(new FeedStore(step.db), state, final.status);
    closeRun(step.db, final);
    step.changed({ imports: true, feeds: true });
    return success(undefined);
  });
  if (failed) return failed;
  if (!closed.ok) return closed;
  return success(final);
}

/** Find or create the import's feed, in a step of its own. */
function feedFor(env: ImportEnvironment, path: string, choice: FeedChoice, valueList = false): Promise<Result<FeedSummary>> {
  return env.writer.write('import: find the feed', (step) => {
    const resolved = resolveFeed(new FeedStore(step.db), path, choice, valueList);
    if (resolved.ok) step.changed({ feeds: true });
    return resolved;
  });
}

/**
 * A feed that carries SHA256SUMS or signatures is checked before any event is read: one that was altered is
 * refused, naming each file, unless the request accepts it; how it was signed goes into the report either way.
 */
async function verifyBeforeImport(
  env: ImportEnvironment,
  source: FeedSource,
  request: ImportRequest,
): Promise<Result<{ report: ImportReport['verification']; issues: Issue[] }>> {
  if (!hasIntegrityFiles(source.entries.keys())) return success({ report: null, issues: [] });
  const keys = env.reader.read((db) => listKeys(db));
  const checked = await verifySource(source, request.source, env.limits, keys);
  if (!checked.ok) return checked;
  const report = checked.value;
  const problems = [
    ...report.files.map((f) => issue('error', `verify.${f.problem}`, f.name, f.message)),
    ...(report.signature.status === 'bad' ? [issue('error', 'verify.signature-bad', 'SHA256SUMS.asc', report.signature.message)] : []),
    ...report.issues.filter((i) => i.severity === 'error'),
  ];
  if (report.status === 'altered' && !request.acceptAltered) {
    const names = report.files.map((f) => f.name).slice(0, 5).join(', ');
    return failure(
      'bad-source',
      `${request.source}: does not match its ${report.signature.status === 'bad' ? 'signature' : 'checksums'}${names ? ` (${names}${report.files.length > 5 ? ', …' : ''})` : ''}; nothing was imported. Import it anyway only if you know why it changed`,
      problems,
    );
  }
  const signature = ((): Issue => {
    const s = report.signature;
    switch (s.status) {
      case 'good':
        return issue('info', 'verify.signed', 'SHA256SUMS.asc', s.message);
      case 'unknown-key':
        return issue('warning', 'verify.signer-unknown', 'SHA256SUMS.asc', s.message);
      case 'unsigned':
        return issue('info', 'verify.unsigned', 'SHA256SUMS.asc', 'the feed is not signed');
      case 'bad':
        return issue('error', 'verify.signature-bad', 'SHA256SUMS.asc', `${s.message} (imported anyway, as asked)`);
      default: {
        const exhaustive: never = s.status;
        return exhaustive;
      }
    }
  })();
  const altered = report.status === 'altered' ? problems.map((p) => ({ ...p, message: `${p.message} (imported anyway, as asked)` })) : [];
  return success({ report, issues: [signature, ...altered.filter((p) => p.code !== 'verify.signature-bad')] });
}

/** A regular file that is not a zip is a value list; one named .zip that is not a zip is refused (bad-source). */
async function isValueList(path: string): Promise<Result<boolean>> {
  const st = await lstat(path).catch(() => null);
  if (st === null || !st.isFile()) return success(false);
  const zip = await looksLikeZip(path);
  return zip.ok ? success(!zip.value) : zip;
}

export async function importFeed(env: ImportEnvironment, request: ImportRequest, handler: HandlerContext): Promise<Result<ImportReport>> {
  const choice = { feedId: request.feedId, feedName: request.feedName };
  // Opening a zip and reading its manifest can take a while on slow removable media: say so at once.
  handler.progress({ phase: 'opening', done: 0, total: null, message: request.source });
  const valueList = await isValueList(request.source);
  if (!valueList.ok) return valueList;
  if (valueList.value) return importValueList(env, resolve(request.source), choice, request.mode, handler);

  const opened = await openFeed(request.source, env.limits, request.mode !== 'cache');
  if (!opened.ok) return opened;
  const { source } = opened.value;
  try {
    const verified = await verifyBeforeImport(env, source, request);
    if (!verified.ok) return verified;
    const resolved = await feedFor(env, source.path, choice);
    if (!resolved.ok) return resolved;
    const feed = resolved.value;
    return await logged(
      env,
      feed,
      source,
      request.mode,
      [...opened.value.issues, ...verified.value.issues],
      verified.value.report,
      async (importId, state) => {
        switch (request.mode) {
          case 'fetch': {
            const selection = request.events ? new Set(request.events.map((u) => u.toLowerCase())) : null;
            const context = {
              writer: env.writer, reader: env.reader, dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feedId: feed.id,
              feed: feed.settings, importId, limits: env.limits, handler, bulkLoad: env.bulkLoad, faults: env.faults ?? {},
            };
            return fetchEvents(opened.value, selection, context, state.counts, state.items, state.issues);
          }
          case 'cache': {
            state.counts.selected = opened.value.entries.length;
            const context = { writer: env.writer, dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feedId: feed.id, feed: feed.settings, limits: env.limits, handler };
            const outcome = await cacheFeed(opened.value, context, state.issues);
            if (!outcome.ok) return outcome;
            state.cacheSource = outcome.value.from;
            state.counts.cachedValues = outcome.value.values;
            return success(outcome.value.status);
          }
          default: {
            const exhaustive: never = request.mode;
            return exhaustive;
          }
        }
      },
      (feeds, state, status) => {
        if (request.mode === 'fetch') feeds.noteImport(feed.id, source.path, nowSeconds());
        else if (status === 'done') feeds.noteCache(feed.id, source.path, nowSeconds(), state.counts.cachedValues);
      },
    );
  } finally {
    await source.close();
  }
}

async function importValueList(
  env: ImportEnvironment,
  path: string,
  choice: { feedId?: number | undefined; feedName?: string | undefined },
  mode: ImportRequest['mode'],
  handler: HandlerContext,
): Promise<Result<ImportReport>> {
  // Read and check the file before anything is stored: a file that is not a value list creates no feed.
  const settings = env.reader.read((db) => valueListSettings(new FeedReads(db), path, choice));
  if (!settings.ok) return settings;
  const values = await readFeedValues(path, settings.value, env.limits);
  if (!values.ok) return values;
  const resolved = await feedFor(env, path, choice, true);
  if (!resolved.ok) return resolved;
  const feed = resolved.value;
  return logged(
    env,
    feed,
    { path, kind: 'file' },
    mode,
    [],
    null,
    async (importId, state) => {
      const context = { writer: env.writer, reader: env.reader, dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feedId: feed.id, feed: feed.settings, importId, limits: env.limits, handler };
      switch (mode) {
        case 'fetch':
          return fetchValues(path, values.value, context, state.counts, state.items);
        case 'cache':
          state.cacheSource = 'values';
          return cacheValues(path, values.value, context, state.counts, state.issues);
        default: {
          const exhaustive: never = mode;
          return exhaustive;
        }
      }
    },
    (feeds, state, status) => {
      if (mode === 'fetch') feeds.noteImport(feed.id, path, nowSeconds());
      else if (status === 'done') feeds.noteCache(feed.id, path, nowSeconds(), state.counts.cachedValues);
    },
  );
}
