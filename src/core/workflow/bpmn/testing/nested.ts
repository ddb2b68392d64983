/**
 * BPMN files with sub-processes nested `depth` deep, one per line, made in the test: no file
 * that deep exists to copy, and a real model nests a few.
 */

/** A process whose sub-processes `sp1` … `sp<depth>` nest one inside the next, one a line. */
export function nestedSubProcesses(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => `<subProcess id="sp${i + 1}" name="Level ${i + 1}">`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.org">',
    '<process id="p">',
    ...open,
    '<task id="t" name="Check in"/>',
    ...open.map(() => '</subProcess>'),
    '</process>',
    '</definitions>',
  ].join('\n');
}
