/** How values are written on screen. Pure functions: no clock, so they are safe in render. */
import { DISTRIBUTION_LABELS, isDistribution } from '../../../shared/model/levels';

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Unix seconds as local `YYYY-MM-DD HH:MM`; analysts compare these by eye, so no "3 hours ago". */
export function formatTime(seconds: number | null | undefined): string {
  if (seconds == null || seconds <= 0) return '—';
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${pad(Math.round(seconds % 60))} s`;
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** MISP's long distribution labels; 5 reads "Inherit event" as on MISP's attribute and feed forms. */
export function distributionLabel(d: number | null | undefined): string {
  if (d == null) return '—';
  if (d === 5) return 'Inherit event';
  return isDistribution(d) ? DISTRIBUTION_LABELS[d] : String(d);
}

/** The short labels of MISP's event index. */
export function distributionShort(d: number | null | undefined): string {
  switch (d) {
    case 0:
      return 'Organisation';
    case 1:
      return 'Community';
    case 2:
      return 'Connected';
    case 3:
      return 'All';
    case 4:
      return 'Sharing group';
    case 5:
      return 'Inherit';
    default:
      return d == null ? '—' : String(d);
  }
}

/** `abcdef…123456` for long hashes and paths; the full value goes in a title. */
export function truncateMiddle(text: string, max = 48): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 1) / 2);
  return `${text.slice(0, keep)}…${text.slice(text.length - keep)}`;
}

/**
 * An issue path split into the file and the place inside it: `<uuid>.json#/Event/Attribute/3/value` (a JSON pointer)
 * or `hashes.csv:12` (a line).
 */
export function splitIssuePath(path: string): { file: string; pointer: string } {
  const hash = path.indexOf('#');
  if (hash >= 0) return { file: path.slice(0, hash), pointer: path.slice(hash + 1) };
  const line = /^(.+):(\d+)$/.exec(path);
  return line ? { file: line[1]!, pointer: `line ${line[2]}` } : { file: path, pointer: '' };
}
