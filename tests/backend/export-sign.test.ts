import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietContext } from '../../electron/backend/dispatch';
import { sha256Hex } from '../../electron/backend/export/checksums';
import { testEngine } from '../support/engine';
import { testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();
const hasGpg = spawnSync('gpg', ['--version']).status === 0;
const needsGpg = hasGpg ? '' : ' [skipped: gpg is not installed (apt-get install gnupg)]';
const PASSPHRASE = 'a long enough passphrase';

const events: TestEvent[] = [1, 2].map((n) => ({
  uuid: testUuid(7000 + n),
  tags: ['tlp:white'],
  attributes: [{ uuid: testUuid(70_000 + n), value: `203.0.113.${n}` }],
}));

async function signedExport() {
  const dir = tempDir();
  const engine = testEngine(dir);
  await engine.call('feeds.import', { source: writeFeedFolder(join(dir, 'src'), events) });
  const key = await engine.call('keys.generate', { name: 'Sensor team', email: 'sensors@example.org', passphrase: PASSPHRASE });
  const out = join(dir, 'out');
  const report = await engine.call('export.run', { target: out, sign: { key: 'sensor team', passphrase: PASSPHRASE } });
  const publicKey = join(dir, 'producer.asc');
  writeFileSync(publicKey, (await engine.call('keys.export', { key: key.fingerprint })).armored);
  return { dir, engine, key, out, report, publicKey };
}

/** gpg in a keyring of its own holding only the producer's public key, as on the receiving machine. */
function gpgVerify(publicKey: string, dir: string, file: string): { status: number | null; output: string } {
  const home = mkdtempSync(join(dir, 'gnupg-'));
  const env = { ...process.env, GNUPGHOME: home };
  spawnSync('gpg', ['--batch', '--quiet', '--import', publicKey], { env });
  const r = spawnSync('gpg', ['--batch', '--verify', `${file}.asc`, file], { cwd: dir, env, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('signed exports: OpenPGP signatures the receiving side checks with gpg', () => {
  it(`signs manifest.json and SHA256SUMS; gpg --verify and sha256sum -c pass on the feed${needsGpg}`, async () => {
    const { engine, key, out, report, publicKey } = await signedExport();
    expect(report.signedBy).toEqual({ fingerprint: key.fingerprint, userIds: ['Sensor team <sensors@example.org>'] });
    expect(existsSync(join(out, 'manifest.json.asc')) && existsSync(join(out, 'SHA256SUMS.asc'))).toBe(true);
    expect(readFileSync(join(out, 'SHA256SUMS.asc'), 'utf8')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out }).status).toBe(0);
    if (hasGpg) {
      for (const file of ['SHA256SUMS', 'manifest.json']) {
        const v = gpgVerify(publicKey, out, file);
        expect(v.status, v.output).toBe(0);
        expect(v.output).toContain('Good signature from "Sensor team <sensors@example.org>"');
      }
    }
    expect(await engine.call('feeds.verify', { source: out })).toMatchObject({
      status: 'verified',
      signature: { status: 'good', signer: { fingerprint: key.fingerprint } },
    });
    engine.close();
  });

  it(`a feed altered after signing fails gpg --verify and ferry verify, even with SHA256SUMS made to match${needsGpg}`, async () => {
    const { engine, out, publicKey } = await signedExport();
    const file = join(out, `${testUuid(7001)}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('203.0.113.1', '203.0.113.9'));
    // The forger fixes SHA256SUMS too: sha256sum -c is happy again, the signature is not.
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').split('\n').map((l) => (l.endsWith(`${testUuid(7001)}.json`) ? `${sha256Hex(readFileSync(file))}  ${testUuid(7001)}.json` : l));
    writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n'));
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: out }).status).toBe(0);
    if (hasGpg) expect(gpgVerify(publicKey, out, 'SHA256SUMS').status).not.toBe(0);
    const report = await engine.call('feeds.verify', { source: out });
    expect(report.status).toBe('altered');
    expect(report.signature.status).toBe('bad');
    expect(report.signature.message).toContain('SHA256SUMS');
    // The manifest's integrity field still catches the edited event file by name.
    expect(report.files).toContainEqual(expect.objectContaining({ name: `${testUuid(7001)}.json`, problem: 'integrity-differs' }));
    engine.close();
  });

  it('a receiving library that trusts the producer names the signer; one that does not says whose key it was', async () => {
    const { out, key, publicKey, engine } = await signedExport();
    engine.close();
    const stranger = testEngine(tempDir());
    const unknown = await stranger.call('feeds.verify', { source: out });
    expect(unknown.status).toBe('verified');
    expect(unknown.signature.status).toBe('unknown-key');
    expect(unknown.signature.message).toContain(key.fingerprint.slice(-16));
    const trusted = await stranger.call('keys.import', { source: publicKey });
    expect(trusted).toEqual([expect.objectContaining({ fingerprint: key.fingerprint, kind: 'trusted' })]);
    expect((await stranger.call('feeds.verify', { source: out })).signature).toMatchObject({ status: 'good', signer: { fingerprint: key.fingerprint } });
    expect(await stranger.call('keys.list', {})).toHaveLength(1);
    stranger.close();
  });

  it('refuses a wrong passphrase before writing anything, a private key as a trusted key, and an ambiguous key name', async () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: writeFeedFolder(join(dir, 'src'), events) });
    await engine.call('keys.generate', { name: 'Team A', passphrase: PASSPHRASE });
    await engine.call('keys.generate', { name: 'Team B', passphrase: PASSPHRASE });
    const call = (channel: 'export.run' | 'keys.import', input: unknown) => engine.dispatcher.call(channel, input, quietContext);
    const wrong = await call('export.run', { target: join(dir, 'out'), sign: { key: 'Team A', passphrase: 'not the one at all' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const ambiguous = await call('export.run', { target: join(dir, 'out'), sign: { key: 'Team', passphrase: PASSPHRASE } });
    expect(ambiguous).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!ambiguous.ok && ambiguous.error.message).toContain('matches 2 keys');
    const garbage = await call('keys.import', { armored: 'not a key' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const removed = await engine.call('keys.remove', { key: 'Team B' });
    expect((await engine.call('keys.list', {})).map((k) => k.fingerprint)).not.toContain(removed.fingerprint);
    engine.close();
  });
});

describe('verify on import: a feed that carries checksums is checked before any event is read', () => {
  it('refuses an altered feed naming the file, imports it only when told to, and reports who signed a good one', async () => {
    const { out, key, publicKey, engine } = await signedExport();
    engine.close();
    const receiver = testEngine(tempDir());
    await receiver.call('keys.import', { source: publicKey });
    const good = await receiver.call('feeds.import', { source: out });
    expect(good.verification).toMatchObject({ status: 'verified', signature: { status: 'good', signer: { fingerprint: key.fingerprint } } });
    expect(good.issues).toContainEqual(expect.objectContaining({ code: 'verify.signed' }));

    const file = join(out, `${testUuid(7002)}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('203.0.113.2', '203.0.113.99'));
    const other = testEngine(tempDir());
    const refused = await other.dispatcher.call('feeds.import', { source: out }, quietContext);
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-source' } });
    expect(!refused.ok && refused.error.message).toContain(`${testUuid(7002)}.json`);
    expect(!refused.ok && refused.error.issues).toContainEqual(expect.objectContaining({ code: 'verify.differs', path: `${testUuid(7002)}.json` }));
    // Nothing was stored: no feed, no event, no log entry.
    expect(await other.call('feeds.list', {})).toEqual([]);
    expect((await other.call('events.list', {})).total).toBe(0);

    const forced = await other.call('feeds.import', { source: out, acceptAltered: true });
    expect(forced.counts.added).toBe(2);
    expect(forced.verification?.status).toBe('altered');
    expect(forced.issues).toContainEqual(expect.objectContaining({ code: 'verify.differs', path: `${testUuid(7002)}.json` }));
    // Signed by a key this library does not hold: said, with the key's id.
    expect(forced.issues).toContainEqual(expect.objectContaining({ code: 'verify.signer-unknown' }));
    other.close();
    receiver.close();
  });
});

describe('keys and exports announce themselves', () => {
  it('pushes library.changed with keys after a key is made, and with exports after an export', async () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    const pushed: unknown[] = [];
    const connection = engine.dispatcher.connect((m) => pushed.push(m));
    await engine.call('keys.generate', { name: 'Team A', passphrase: PASSPHRASE });
    await engine.idle();
    await new Promise((r) => setTimeout(r, 120));
    expect(pushed).toContainEqual(expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'library.changed', keys: true }) }));
    await engine.call('export.run', { target: join(dir, 'out') });
    await new Promise((r) => setTimeout(r, 120));
    expect(pushed).toContainEqual(expect.objectContaining({ kind: 'event', event: expect.objectContaining({ type: 'library.changed', exports: true }) }));
    connection.close();
    engine.close();
  });
});
