/**
 * No function in the product grows past {@link MAX_FUNCTION_LINES} lines: a long function is a
 * closure that every new rule lands inside, where a table of small parts would take it as one
 * more row. The functions longer today are listed with their length; the list only shrinks — an
 * exception that grew, or shrank under the cap, fails until its row is brought up to date (a
 * smaller length) or removed.
 *
 * Parse only, with the parser the build already runs (oxc, through vite; the TypeScript the
 * repository pins is the native compiler, whose JavaScript API needs a project and a child
 * process): every function, method, accessor, constructor and arrow of src/ and workers/, tests excepted (a test file's `describe` callback is a table of cases, not a
 * closure that code lands in).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';

/** The longest a function may be, in lines from its first line to its last. */
const MAX_FUNCTION_LINES = 300;

/** Folders of product code. */
const ROOTS = ['src', 'workers'];

/** A function longer than the cap today, with why it is still here. */
interface LongFunction {
  /** its name, nested in the functions around it (`outer > inner`) */
  name: string;
  file: string;
  /** its length in lines today: it may only shrink */
  lines: number;
  reason: string;
}

/** Today's functions over the cap. Shorten one and lower its `lines`; bring it under and remove it. */
const EXCEPTIONS: readonly LongFunction[] = [
  {
    name: 'CheckExtracts',
    file: 'src/app/migration/CheckExtracts.tsx',
    lines: 590,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'FhirServerPanel',
    file: 'src/app/migration/FhirServerPanel.tsx',
    lines: 459,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'MappingForm',
    file: 'src/app/migration/MappingEditor.tsx',
    lines: 373,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'ValidationReport',
    file: 'src/app/migration/ValidationReport.tsx',
    lines: 344,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'createProjectSession',
    file: 'src/app/projects/projectSession.ts',
    lines: 391,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'ReadinessWorkspace',
    file: 'src/app/readiness/ReadinessWorkspace.tsx',
    lines: 391,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'SteeringPanel',
    file: 'src/app/readiness/SteeringPanel.tsx',
    lines: 372,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'ServerReviewSession',
    file: 'src/app/signoff/AssignedRecords.tsx',
    lines: 431,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'LeadPacketTools',
    file: 'src/app/signoff/ReviewPackets.tsx',
    lines: 381,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'RosterPanel',
    file: 'src/app/signoff/RosterPanel.tsx',
    lines: 342,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'SamplePlanCard',
    file: 'src/app/signoff/SamplePlanCard.tsx',
    lines: 302,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'SignPanel',
    file: 'src/app/signoff/SignPanel.tsx',
    lines: 543,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'WorkflowCanvas',
    file: 'src/app/workflows/editor/WorkflowCanvas.tsx',
    lines: 478,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'EditorBody',
    file: 'src/app/workflows/editor/WorkflowEditor.tsx',
    lines: 562,
    reason:
      'a screen whose state, effects and handlers sit in one component: to split into smaller components over a store',
  },
  {
    name: 'createEditorStore',
    file: 'src/app/workflows/editor/editorStore.ts',
    lines: 356,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'createCsvRecordReader',
    file: 'src/core/csv/csvRecords.ts',
    lines: 318,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'createFhirRun',
    file: 'src/core/fhir/run.ts',
    lines: 387,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'compileSimpleInvariant',
    file: 'src/core/fhir/simpleInvariant.ts',
    lines: 332,
    reason: 'one pass that does each step inline: to become a table of small steps',
  },
  {
    name: 'compileMapping',
    file: 'src/core/mapping/compileMapping.ts',
    lines: 385,
    reason: 'one pass that does each step inline: to become a table of small steps',
  },
  {
    name: 'verify',
    file: 'src/core/signoff/exports/bundleVerify.ts',
    lines: 401,
    reason: 'one pass that does each step inline: to become a table of small steps',
  },
  {
    name: 'validateCsvPass',
    file: 'src/core/validation/validateCsv.ts',
    lines: 618,
    reason: 'one pass that does each step inline: to become a table of small steps',
  },
  {
    name: 'createEventLogBuilder',
    file: 'src/core/workflow/eventlog/eventLog.ts',
    lines: 410,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'createXesLogReader',
    file: 'src/core/workflow/eventlog/xesLog.ts',
    lines: 363,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'createServer',
    file: 'src/server/app.ts',
    lines: 324,
    reason:
      'registers a family of routes or the server in one function: to become one small registration per route',
  },
  {
    name: 'reviewAssignmentRoutes',
    file: 'src/server/reviewAssignments.ts',
    lines: 617,
    reason:
      'registers a family of routes or the server in one function: to become one small registration per route',
  },
  {
    name: 'signingRoutes',
    file: 'src/server/signingRoutes.ts',
    lines: 585,
    reason:
      'registers a family of routes or the server in one function: to become one small registration per route',
  },
  {
    name: 'createAutosave',
    file: 'src/storage/autosave.ts',
    lines: 442,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
  {
    name: 'openStorage',
    file: 'src/storage/storage.ts',
    lines: 540,
    reason:
      'a factory whose inner functions share its state: to become small functions over one state object',
  },
];

/** A function found in the tree: its nested name, file and length. */
interface Measured {
  name: string;
  file: string;
  lines: number;
}

/** An ESTree node as the parser gives it: its kind, its place in the text, and its fields. */
interface Node {
  type: string;
  start: number;
  end: number;
  [field: string]: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** The kinds of node that are a function with a body (a method's body is its `FunctionExpression`). */
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** A key or identifier as written: `name`, a string key, or the text of a computed one. */
function keyText(key: unknown, text: string): string {
  if (!isNode(key)) return '(anonymous)';
  if (typeof key.name === 'string') return key.name;
  if (typeof key.value === 'string') return key.value;
  return text.slice(key.start, key.end);
}

/** The name of a function, from its own id or the binding, property, method or call it is given to. */
function nameOf(node: Node, parent: Node | undefined, text: string): string {
  if (isNode(node.id)) return keyText(node.id, text);
  if (parent === undefined) return '(anonymous)';
  if (parent.type === 'VariableDeclarator') return keyText(parent.id, text);
  if (
    ['Property', 'MethodDefinition', 'PropertyDefinition', 'TSAbstractMethodDefinition'].includes(parent.type)
  )
    return keyText(parent.key, text);
  if (parent.type === 'CallExpression' && isNode(parent.callee))
    return `(argument of ${text.slice(parent.callee.start, parent.callee.end).slice(0, 40)})`;
  if (parent.type === 'ExportDefaultDeclaration') return 'default';
  return '(anonymous)';
}

/**
 * Every function of `file`, whose text is `text`, with its length in lines (first to last).
 * @throws Error when the file does not parse: a file the measure cannot read is not under the cap
 */
function measure(file: string, text: string): Measured[] {
  const parsed = parseSync(file, text, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' });
  if (parsed.errors.length > 0) throw new Error(`${file} does not parse: ${parsed.errors[0]?.message}`);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const found: Measured[] = [];
  const visit = (node: Node, parent: Node | undefined, outer: string[]): void => {
    let inside = outer;
    if (FUNCTIONS.has(node.type) && node.body !== null && node.body !== undefined) {
      // a method's function starts at its parameters: measure it from the method's name
      const start = parent?.type === 'MethodDefinition' ? parent.start : node.start;
      inside = [...outer, nameOf(node, parent, text)];
      found.push({ name: inside.join(' > '), file, lines: lineOf(node.end - 1) - lineOf(start) + 1 });
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, node, inside);
      } else if (isNode(value)) visit(value, node, inside);
    }
  };
  visit(parsed.program as unknown as Node, undefined, []);
  return found;
}

/** The product's source files, tests and generated code excepted. */
function productFiles(root: string): string[] {
  return ROOTS.flatMap((top) =>
    readdirSync(path.join(root, top), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !/\.d\.ts$/.test(f))
      .filter((f) => !f.split(path.sep).includes('generated'))
      .map((f) => path.join(top, f).split(path.sep).join('/')),
  );
}

describe('the length of a function', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const files = productFiles(root);
  const measured = files.flatMap((file) => measure(file, readFileSync(path.join(root, file), 'utf8')));
  const key = (f: { name: string; file: string }) => `${f.file} ${f.name}`;

  it(`is at most ${MAX_FUNCTION_LINES} lines, but for the listed exceptions`, () => {
    expect(files.length).toBeGreaterThan(300);
    const listed = new Set(EXCEPTIONS.map(key));
    const over = measured.filter((f) => f.lines > MAX_FUNCTION_LINES && !listed.has(key(f)));
    expect(over).toEqual([]);
  });

  it('an exception only shrinks: each is still over the cap, at exactly its listed length or less', () => {
    const now = new Map(measured.map((f) => [key(f), f.lines]));
    const stale = EXCEPTIONS.flatMap((exception) => {
      const lines = now.get(key(exception));
      if (lines === undefined) return [`${key(exception)}: gone — remove its row`];
      if (lines <= MAX_FUNCTION_LINES)
        return [`${key(exception)}: ${lines} lines, under the cap — remove its row`];
      if (lines > exception.lines)
        return [`${key(exception)}: grew from ${exception.lines} to ${lines} lines`];
      if (lines < exception.lines) return [`${key(exception)}: shrank to ${lines} lines — list ${lines}`];
      return [];
    });
    expect(stale).toEqual([]);
  });

  it('counts a function from its first line to its last', () => {
    // planted: an arrow of the cap plus one line holding one of the cap exactly
    const body = Array.from({ length: MAX_FUNCTION_LINES - 3 }, (_, i) => `    const v${i} = ${i};`);
    const text = ['export const outer = () => {', '  function inner() {', ...body, '  }', '};', ''].join(
      '\n',
    );
    expect(measure('planted.ts', text)).toEqual([
      { name: 'outer', file: 'planted.ts', lines: MAX_FUNCTION_LINES + 1 },
      { name: 'outer > inner', file: 'planted.ts', lines: MAX_FUNCTION_LINES - 1 },
    ]);
  });
});
