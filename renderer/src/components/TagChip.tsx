/** A MISP tag as MISP draws it: its colour as background, text black or white for contrast. */
function textColour(background: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(background);
  if (!m) return 'inherit';
  const n = parseInt(m[1]!, 16);
  const luminance = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return luminance > 0.6 ? '#000' : '#fff';
}

export function TagChip({ name, colour }: { name: string; colour?: string | undefined }) {
  const style = colour ? { background: colour, color: textColour(colour), borderColor: colour } : undefined;
  return (
    <span className="tag" style={style} title={name}>
      {name}
    </span>
  );
}
