/**
 * The WHATWG text codecs, which every runtime shared/ runs in (Node, Chromium, workers) has as globals, but which
 * the ES library types leave out. Only what shared/ uses is declared.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
