/**
 * Choosing a JSON file that Preflight made (a sign-off file, an evidence pack, a review packet or a
 * clinician's results): a labelled file input, the size limit checked before anything is read, and
 * the file read and parsed, or what is wrong with it and where, in words for clinic staff.
 *
 * Constraint: a refusal names where the file goes wrong (a line and column, a byte offset), never
 * the text around it, which may be patient data.
 */
import { useId } from 'react';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';

/** A chosen file, read and parsed. */
export interface JsonFile {
  file: File;
  /** its bytes, as read */
  bytes: Uint8Array;
  /** its text (UTF-8) */
  text: string;
  /** what the text parses to */
  json: unknown;
}

/**
 * Why `file` is refused before it is read: larger than `maxBytes`, the most a file of the kind
 * named by `what` (such as "a sign-off file") can be; undefined when its size is fine.
 */
function tooLargeProblem(file: File, maxBytes: number, what: string): string | undefined {
  if (file.size <= maxBytes) return undefined;
  return `at ${byteSizeWords(file.size)} it is larger than ${what} can be (${byteSizeWords(maxBytes)} at most): check that you chose the right file`;
}

/**
 * Reads `file` (a kind named by `what`, at most `maxBytes`) and parses it as JSON; refused: why,
 * where and what to do, as a clause to follow “was not checked: ”.
 */
export async function readJsonFile(
  file: File,
  maxBytes: number,
  what: string,
): Promise<({ ok: true } & JsonFile) | { ok: false; problem: string }> {
  const tooLarge = tooLargeProblem(file, maxBytes, what);
  if (tooLarge !== undefined) return { ok: false, problem: tooLarge };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return {
      ok: false,
      problem: 'it could not be read (it was moved or changed after it was chosen): choose it again',
    };
  }
  if (bytes.length === 0)
    return {
      ok: false,
      problem: `it is empty, so it is not ${what}: choose the file again, or ask for a new copy`,
    };
  const decoded = decodeUtf8Strict(bytes, 'it');
  if (!decoded.ok)
    return {
      ok: false,
      problem: `${decoded.message}, so it is not ${what}: check that you chose the right file`,
    };
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok)
    return {
      ok: false,
      problem: `it is not valid JSON (line ${parsed.position.line}, column ${parsed.position.column}): the file was damaged or edited; ask for a new copy`,
    };
  return { ok: true, file, bytes, text: decoded.text, json: parsed.value };
}

type Reading =
  /** the screen reads the chosen file itself (in a worker): it gets the file once its size is fine */
  | { onFile: (file: File) => void; onRead?: never }
  /** the file is read and parsed here: `onRead` gets it, `onChosen` hears of it first */
  | { onRead: (read: JsonFile) => void; onChosen?: (file: File) => void; onFile?: never };

/**
 * A labelled chooser of one JSON file of the kind `what` names (such as "a sign-off file"), at most
 * `maxBytes`. A refused file goes to `onRefused` with why; nothing else is told of it. The input is
 * cleared after each choice, so choosing the same file again checks it again.
 */
export function JsonFileInput({
  label,
  what,
  maxBytes,
  onRefused,
  disabled,
  ...reading
}: {
  /** the visible label of the input, naming the file it wants */
  label: string;
  what: string;
  maxBytes: number;
  onRefused: (file: File, problem: string) => void;
  /** when nothing could be done with a file now */
  disabled?: boolean | undefined;
} & Reading) {
  const id = useId();
  const choose = async (file: File | undefined) => {
    if (!file) return;
    if (reading.onFile) {
      const tooLarge = tooLargeProblem(file, maxBytes, what);
      if (tooLarge === undefined) reading.onFile(file);
      else onRefused(file, tooLarge);
      return;
    }
    reading.onChosen?.(file);
    const read = await readJsonFile(file, maxBytes, what);
    if (read.ok) reading.onRead(read);
    else onRefused(file, read.problem);
  };
  return (
    <>
      <label htmlFor={id}>{label}</label>{' '}
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        disabled={disabled}
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          void choose(file);
        }}
      />
    </>
  );
}
