/**
 * Real zip files for tests: well-formed ones through yazl (the library the exporter uses), and hostile ones written
 * byte by byte, because yazl rightly refuses to write traversal names or links.
 */
import { createWriteStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

export async function zipFolder(dir: string, out: string, prefix = ''): Promise<void> {
  const zip = new yazl.ZipFile();
  const add = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const relName = rel ? `${rel}/${name}` : name;
      const full = join(dir, relName);
      if (statSync(full).isDirectory()) add(relName);
      else zip.addFile(full, prefix + relName);
    }
  };
  add('');
  zip.end();
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject);
  });
}

export interface RawEntry {
  readonly name: string;
  readonly data: Buffer;
  /** Unix mode for the external attributes, e.g. 0o120777 for a symbolic link. */
  readonly mode?: number;
  readonly deflate?: boolean;
}

export function writeRawZip(out: string, entries: readonly RawEntry[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode is meaningful
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  writeFileSync(out, Buffer.concat([...locals, cd, eocd]));
}

/** A minimal valid feed: one event, its manifest entry and hashes.csv, as raw entries to mix with hostile ones. */
export function tinyFeedEntries(uuid = '5a3c2fcd-8328-42bb-a95e-4f4402de0b81'): RawEntry[] {
  const event = { Event: { uuid, info: 'tiny', date: '2024-01-01', timestamp: '1704067200', analysis: '0', threat_level_id: '4', published: true, Orgc: { name: 'Test', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }, Tag: [], Attribute: [{ uuid: '6a3c2fcd-8328-42bb-a95e-4f4402de0b81', type: 'ip-dst', category: 'Network activity', value: '192.0.2.1', to_ids: true, timestamp: '1704067200' }] } };
  const manifest = { [uuid]: { info: 'tiny', date: '2024-01-01', timestamp: 1704067200, analysis: 0, threat_level_id: 4, Orgc: { name: 'Test', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }, Tag: [] } };
  return [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
    { name: `${uuid}.json`, data: Buffer.from(JSON.stringify(event)) },
  ];
}
