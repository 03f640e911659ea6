/** Copy a value (uuid, hash, indicator) to the clipboard; says "Copied" for a moment. */
import { useState } from 'react';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    } catch {
      // No clipboard permission (an http page, a locked-down browser): the value stays selectable.
    }
  };
  return (
    <button type="button" className="copy" aria-label={label} title={label} onClick={() => void copy()}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
