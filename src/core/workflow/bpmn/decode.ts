/**
 * Turns the bytes of a BPMN file into text by the encoding its XML declaration names
 * (`<?xml version="1.0" encoding="ISO-8859-1"?>`), as XML requires, instead of assuming UTF-8:
 * the MIWG reference models and many older tools write ISO-8859-1.
 */

import { decodeUtf8Strict } from '../../../formats/jsonText.ts';

/** The outcome of {@link decodeXmlBytes}: the text, or why it could not be decoded. */
type DecodeResult =
  | { ok: true; text: string; encoding: string }
  | { ok: false; code: 'unsupported-encoding' | 'invalid-encoding'; message: string };

/** The encoding named in an XML declaration at the start of `head`, if any. */
function declaredEncoding(head: string): string | undefined {
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(head);
  return match?.[2];
}

/**
 * Java's names for encodings that the WHATWG decoders know by another label: Java-based modelling
 * tools write them in the declaration (Yaoqiang BPMN Editor on a Mac declares "MacRoman").
 */
function decoderLabel(encoding: string): string {
  if (encoding === 'macroman' || encoding === 'x-macroman') return 'macintosh';
  const javaIso = /^iso8859_(\d+)$/.exec(encoding);
  return javaIso ? `iso-8859-${javaIso[1]}` : encoding;
}

/**
 * Decodes an XML file: a byte-order mark wins (UTF-8, UTF-16 LE/BE), then the declared encoding,
 * else UTF-8. Bytes that are not valid in the encoding are an error, not replacement characters,
 * so nothing is silently garbled; in UTF-8 the error names the line and byte, in every reader's
 * words (src/formats/textWords.ts).
 */
export function decodeXmlBytes(bytes: Uint8Array): DecodeResult {
  let encoding = 'utf-8';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) encoding = 'utf-8';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  else {
    // the declaration is ASCII in every encoding an XML file may declare without a BOM
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    encoding = declaredEncoding(head)?.toLowerCase() ?? 'utf-8';
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(decoderLabel(encoding), { fatal: true });
  } catch {
    return {
      ok: false,
      code: 'unsupported-encoding',
      message: `the file declares the character encoding "${encoding}", which cannot be read here; save it as UTF-8 and try again`,
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes), encoding: decoder.encoding };
  } catch {
    if (decoder.encoding === 'utf-8') {
      const bad = decodeUtf8Strict(bytes, 'the file');
      if (!bad.ok) return { ok: false, code: 'invalid-encoding', message: bad.problem.message };
    }
    return {
      ok: false,
      code: 'invalid-encoding',
      message: `the file is not valid ${decoder.encoding} text (the encoding it declares or UTF-8); save it as UTF-8 and try again`,
    };
  }
}
