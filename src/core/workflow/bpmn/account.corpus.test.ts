/**
 * The BPMN reader accounts for everything a file holds: over three corpora nobody here chose
 * the element paths and attributes (the BPMN MIWG reference models, the vendor-style models, and
 * Camunda 7 and 8 models from Camunda's and bpmn.io's own repositories), every element path and
 * attribute a small walk of the text finds (written here, independent of the reader's) is used by
 * the import or listed in its account. And what the import reads is said to be used, not listed:
 * every flow node, flow and lane, the timers it turned into minutes, the performers it kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { bpmnModelBytes, bpmnModelFiles } from '../../../../tests/fixtures/miwg.ts';
import { unaccounted } from '../../readerAccount/index.ts';
import { ACCOUNT_PREFIXES } from './account.ts';
import { importBpmnBytes } from './index.ts';

/**
 * Every element path (`parent/child`) and attribute (`element@attribute`) of an XML text, named
 * as the account names them (namespace URIs by their usual prefix). A regular-expression walk
 * of the tags: comments, CDATA and processing instructions are skipped; values are not kept.
 */
function walkNames(text: string): Set<string> {
  const names = new Set<string>();
  const stripped = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/g, '');
  const stack: { name: string; scope: Map<string, string> }[] = [];
  const tag = /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (const match of stripped.matchAll(tag)) {
    const [, closing, qname = '', attributeText = '', selfClosing] = match;
    if (closing) {
      stack.pop();
      continue;
    }
    const scope = new Map(
      stack[stack.length - 1]?.scope ?? [['xml', 'http://www.w3.org/XML/1998/namespace']],
    );
    const attributes = [...attributeText.matchAll(/([^\s=]+)\s*=\s*(?:"[^"]*"|'[^']*')/g)].map(
      (a) => a[1] ?? '',
    );
    for (const attribute of attributes) {
      if (attribute === 'xmlns') scope.set('', attributeValue(attributeText, attribute));
      else if (attribute.startsWith('xmlns:'))
        scope.set(attribute.slice(6), attributeValue(attributeText, attribute));
    }
    const named = (name: string, isAttribute: boolean) => {
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      const local = name.slice(colon + 1);
      // an attribute without a prefix is in no namespace; an element without one, in the default
      const uri = isAttribute && colon < 0 ? undefined : scope.get(prefix);
      const usual = (uri ? ACCOUNT_PREFIXES[uri] : undefined) ?? prefix;
      return usual ? `${usual}:${local}` : local;
    };
    const name = named(qname, false);
    const parent = stack[stack.length - 1];
    names.add(parent ? `${parent.name}/${name}` : name);
    for (const attribute of attributes) {
      if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) continue;
      names.add(`${name}@${named(attribute, true)}`);
    }
    if (!selfClosing) stack.push({ name, scope });
  }
  return names;
}

function attributeValue(attributeText: string, attribute: string): string {
  const escaped = attribute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|\\s)${escaped}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributeText);
  return match?.[1] ?? match?.[2] ?? '';
}

const CAMUNDA_SUITE = 'camunda-bpmn-models';
const camundaFiles = ['bpmn-js-properties-panel', 'camunda-bpmn-model', 'camunda-modeler'].flatMap((source) =>
  readdirSync(externalFixture(CAMUNDA_SUITE, source))
    .filter((file) => file.endsWith('.bpmn'))
    .sort()
    .map((file) => ({
      name: `${source}/${file}`,
      read: () => readFileSync(externalFixture(CAMUNDA_SUITE, source, file)),
    })),
);
const corpus = [
  ...bpmnModelFiles().map((name) => ({ name, read: () => bpmnModelBytes(name) })),
  ...camundaFiles,
];

/** The flow nodes, flows and lanes the import always keeps: never in the account's lines. */
const KEPT =
  /^bpmn:(process|subProcess|transaction|adHocSubProcess)\/bpmn:(\w+Task|task|callActivity|subProcess|transaction|adHocSubProcess|\w+Event|\w+Gateway|sequenceFlow)$|^bpmn:laneSet\/bpmn:lane$/;

describe('the BPMN reader accounts for every element and attribute', () => {
  it('covers the three corpora', () => {
    expect(bpmnModelFiles().length).toBeGreaterThanOrEqual(37);
    expect(camundaFiles.length).toBeGreaterThanOrEqual(28);
  });

  it.each(corpus)('$name', async ({ read }) => {
    const bytes = read();
    const result = await importBpmnBytes(new Uint8Array(bytes));
    expect(result.workflow).toBeDefined();
    const seen = walkNames(new TextDecoder('latin1').decode(bytes));
    expect(unaccounted(seen, result.account)).toEqual([]);
    const listedKept = result.account.lines
      .filter((line) => line.handling === 'not-used' && KEPT.test(line.name))
      .map((line) => line.name);
    // a flow that connects nothing, or a second one between the same steps, is listed as such
    for (const name of listedKept) expect(name).toMatch(/sequenceFlow$|Gateway$/);
    for (const line of result.account.lines) expect(line.effect.length).toBeGreaterThan(10);
  });
});

describe('what the account says of timers and performers', () => {
  const accountOf = async (source: string, file: string) =>
    (await importBpmnBytes(new Uint8Array(readFileSync(externalFixture(CAMUNDA_SUITE, source, file)))))
      .account;

  it('uses ISO durations and accounts for dates and cron cycles in Camunda 8’s timer model', async () => {
    const account = await accountOf('bpmn-js-properties-panel', 'zeebe-TimerProps.bpmn');
    expect(account.used).toContain('bpmn:timerEventDefinition/bpmn:timeDuration');
    const handling = (name: string) =>
      account.lines.filter((line) => line.name === name).map((line) => line.handling);
    // a date on a catch or boundary event gives no wait; on a start event it says when cases begin
    expect(handling('bpmn:timerEventDefinition/bpmn:timeDate').sort()).toEqual(['interpreted', 'not-used']);
    // R/P1D is one day, by a stated choice; a cron schedule cannot be turned into minutes
    expect(handling('bpmn:timerEventDefinition/bpmn:timeCycle').sort()).toEqual(['interpreted', 'not-used']);
  });

  it.each([
    ['camunda-bpmn-model', 'ResourceRolesTest.bpmn', 'bpmn:userTask/bpmn:potentialOwner'],
    [
      'bpmn-js-properties-panel',
      'zeebe-AssignmentDefinitionProps.bpmn',
      'zeebe:assignmentDefinition@assignee',
    ],
    [
      'bpmn-js-properties-panel',
      'camunda-platform-UserAssignmentProps.bpmn',
      'bpmn:userTask@camunda:assignee',
    ],
  ])('uses the performers of %s/%s', async (source, file, name) => {
    const account = await accountOf(source, file);
    expect(account.used).toContain(name);
    expect(account.lines.map((line) => line.name)).not.toContain(name);
  });

  it('walks names the same way the reader names them', () => {
    const names = walkNames(
      `<d:definitions xmlns:d="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:c="http://camunda.org/schema/1.0/bpmn"><d:process id="p" c:x="1"><d:task/></d:process></d:definitions>`,
    );
    expect([...names].sort()).toEqual(
      [
        'bpmn:definitions',
        'bpmn:definitions/bpmn:process',
        'bpmn:process/bpmn:task',
        'bpmn:process@id',
        'bpmn:process@camunda:x',
      ].sort(),
    );
    expect(path.basename(externalFixture(CAMUNDA_SUITE, 'NOTICE'))).toBe('NOTICE');
  });
});
