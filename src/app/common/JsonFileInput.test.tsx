/**
 * The one chooser of a JSON file Preflight made: a labelled file input that refuses a file too large
 * before reading it, and one that is empty, not text or not JSON with where it goes wrong; a good
 * file arrives read and parsed, or, for a screen that reads it in a worker, as the file itself.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { type JsonFile, JsonFileInput } from './JsonFileInput.tsx';

const LABEL = 'Sign-off file to check (JSON)';

function chooser(maxBytes = 1000) {
  const onChosen = vi.fn<(file: File) => void>();
  const onRead = vi.fn<(read: JsonFile) => void>();
  const onRefused = vi.fn<(file: File, problem: string) => void>();
  render(
    <JsonFileInput
      label={LABEL}
      what="a sign-off file"
      maxBytes={maxBytes}
      onChosen={onChosen}
      onRead={onRead}
      onRefused={onRefused}
    />,
  );
  return { onChosen, onRead, onRefused };
}

/** Chooses `file` as a person does: by the input its label names. */
async function choose(file: File) {
  const input = screen.getByLabelText(LABEL);
  expect(input).toHaveProperty('type', 'file');
  await userEvent.upload(input, file);
}

/** Resolves once `fn` has been called (the file is read asynchronously). */
const calledOnce = (fn: ReturnType<typeof vi.fn>) => vi.waitFor(() => expect(fn).toHaveBeenCalledOnce());

describe('JsonFileInput', () => {
  it('hands over a good file read and parsed', async () => {
    const { onChosen, onRead, onRefused } = chooser();
    await choose(new File(['\uFEFF{"format": "x", "n": [1, 2]}\n'], 'good.json'));
    await calledOnce(onRead);
    const read = onRead.mock.calls[0]?.[0] as JsonFile;
    expect(read.json).toEqual({ format: 'x', n: [1, 2] });
    expect(read.file.name).toBe('good.json');
    expect(read.bytes.length).toBeGreaterThan(0);
    expect(onChosen).toHaveBeenCalledOnce();
    expect(onRefused).not.toHaveBeenCalled();
  });

  it('names the line and column where a file stops being JSON, never its text', async () => {
    const { onRead, onRefused } = chooser();
    await choose(new File(['{\n  "name": "Jane Roe",\n  oops\n}'], 'broken.json'));
    await calledOnce(onRefused);
    const problem = onRefused.mock.calls[0]?.[1];
    expect(problem).toBe(
      'it is not valid JSON (line 3, column 3): the file was damaged or edited; ask for a new copy',
    );
    expect(problem).not.toContain('Jane');
    expect(onRead).not.toHaveBeenCalled();
  });

  it('refuses an empty file, saying what to do', async () => {
    const { onRead, onRefused } = chooser();
    await choose(new File([], 'empty.json'));
    await calledOnce(onRefused);
    expect(onRefused.mock.calls[0]?.[1]).toBe(
      'it is empty, so it is not a sign-off file: choose the file again, or ask for a new copy',
    );
    expect(onRead).not.toHaveBeenCalled();
  });

  it('refuses a file that is not UTF-8 text, naming the byte', async () => {
    const { onRefused } = chooser();
    await choose(new File([new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d])], 'binary.json'));
    await calledOnce(onRefused);
    expect(onRefused.mock.calls[0]?.[1]).toContain(
      'it is not valid UTF-8 text: the byte at line 1, byte 2 cannot be read in that encoding, so it is not',
    );
  });

  it('refuses a file over the limit before reading it', async () => {
    const { onRead, onRefused } = chooser(5 * 1024 * 1024);
    const big = new File(['{}'], 'huge.json');
    Object.defineProperty(big, 'size', { value: 12_400_000 });
    const read = vi.spyOn(big, 'arrayBuffer');
    await choose(big);
    await calledOnce(onRefused);
    expect(onRefused.mock.calls[0]?.[1]).toBe(
      'at 12 MB it is larger than a sign-off file can be (5 MB at most): check that you chose the right file',
    );
    expect(read).not.toHaveBeenCalled();
    expect(onRead).not.toHaveBeenCalled();
  });

  it('hands the file itself to a screen that reads it elsewhere, once its size is fine', async () => {
    const onFile = vi.fn<(file: File) => void>();
    const onRefused = vi.fn<(file: File, problem: string) => void>();
    render(
      <JsonFileInput
        label={LABEL}
        what="an evidence pack"
        maxBytes={10}
        onFile={onFile}
        onRefused={onRefused}
      />,
    );
    await choose(new File(['not even json'], 'large.json'));
    await calledOnce(onRefused);
    expect(onRefused.mock.calls[0]?.[1]).toContain('larger than an evidence pack can be');
    await choose(new File(['{}'], 'pack.json'));
    await calledOnce(onFile);
    expect(onFile.mock.calls[0]?.[0].name).toBe('pack.json');
  });

  it('takes no file while the screen can do nothing with one', () => {
    render(
      <JsonFileInput
        label={LABEL}
        what="a target schema"
        maxBytes={10}
        disabled
        onRead={vi.fn()}
        onRefused={vi.fn()}
      />,
    );
    expect(screen.getByLabelText(LABEL)).toHaveProperty('disabled', true);
  });
});
