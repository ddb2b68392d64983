import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { loadReport, type Report, type ReportIssue } from '../../formats/report.ts';
import { compileColumnContract, compilePlan } from '../contract/index.ts';
import { buildReport } from './buildReport.ts';
import {
  contractColumnWords,
  issueExtent,
  issueSentence,
  issueWhat,
  issueWhere,
  recordShare,
} from './issueWords.ts';
import { reportCsv, reportHtml } from './reportExports.ts';
import { inputVerdicts, reportWaivers, runOutcome } from './reportSummary.ts';
import { validateCsv } from './validateCsv.ts';
import { detectLayout } from './validateInputs.ts';

const SHA = 'ab'.repeat(32);

function report(overrides: Partial<Report> = {}): Report {
  return {
    format: 'preflight.report/v1',
    generatedAt: '2026-01-02T03:04:05Z',
    tool: { name: 'preflight', version: '1.0.0' },
    inputs: [
      { name: 'patients.csv', kind: 'csv', records: 43, valid: 0, invalid: 43, sha256: SHA, schema: 'urn:p' },
      { name: 'encounters.csv', kind: 'csv', records: 10, valid: 10, invalid: 0, sha256: 'cd'.repeat(32) },
    ],
    summary: { records: 53, valid: 10, invalid: 43, errors: 86, warnings: 0 },
    issues: [
      {
        rule: 'contract.required',
        severity: 'error',
        location: 'patient_id',
        message: 'is required but empty',
        count: 43,
        records: 43,
        title: 'Patient identifier',
        description: 'The clinic’s MRN.',
        examples: [{ input: 'patients.csv', row: 1, column: 'patient_id' }],
      },
      {
        rule: 'contract.pattern',
        severity: 'error',
        location: 'phone',
        message: 'must match the pattern ^\\d{3}$',
        count: 43,
        examples: [{ input: 'patients.csv', row: 1, column: 'phone', value: '<b>5</b>' }],
      },
    ],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
    timings: { startedAt: '2026-01-02T03:04:00Z', totalMs: 5 },
    ...overrides,
  };
}

describe('issue words', () => {
  const shares: { records: number; total: number; expected: string }[] = [
    { records: 43, total: 43, expected: '43 of 43 records (100 %)' },
    { records: 0, total: 43, expected: '0 of 43 records (0 %)' },
    { records: 1, total: 1171, expected: '1 of 1,171 records (< 0.1 %)' },
    { records: 1171, total: 5000, expected: '1,171 of 5,000 records (23.4 %)' },
    { records: 9999, total: 10000, expected: '9,999 of 10,000 records (> 99.9 %)' },
    { records: 1, total: 1, expected: '1 of 1 record (100 %)' },
  ];
  for (const { records, total, expected } of shares)
    it(`reads a share of records as "${expected}"`, () => expect(recordShare(records, total)).toBe(expected));

  const extents: { description: string; issue: Pick<ReportIssue, 'count' | 'records'>; expected: string }[] =
    [
      {
        description: 'records known: times and the share of records',
        issue: { count: 1171, records: 1171 },
        expected: '1,171 times in 1,171 of 1,171 records (100 %)',
      },
      {
        // 5,011 occurrences in a file of 1,171 records: never "427.9 % of its records"
        description: 'occurrences only (several per record): times, no share',
        issue: { count: 5011 },
        expected: '5,011 times',
      },
      { description: 'one occurrence', issue: { count: 1 }, expected: '1 time' },
    ];
  for (const { description, issue, expected } of extents)
    it(`says how often: ${description}`, () => {
      const text = issueExtent(issue, 1171);
      expect(text).toBe(expected);
      expect(text).not.toMatch(/\d{3,}\.\d %/);
    });

  it('uses the contract’s own title and description, and says a pattern in words', () => {
    const [required, pattern] = report().issues as [ReportIssue, ReportIssue];
    expect(issueWhere(required)).toBe('Patient identifier (patient_id)');
    expect(issueSentence(required)).toBe(
      'Patient identifier (patient_id): is required but empty. The agreed layout says: The clinic’s MRN.',
    );
    expect(issueWhat(pattern)).toBe('is not written in the agreed layout');
    expect(issueWhere({ ...pattern, location: '' })).toBe('whole row');
    // a file with no record at all, or only a header: the problem is of the whole file
    expect(issueWhere({ rule: 'csv.empty-file', location: '' })).toBe('whole file');
    expect(issueWhere({ rule: 'csv.no-records', location: '' })).toBe('whole file');
    expect(issueWhere({ ...pattern, title: 'PHONE' })).toBe('phone');
  });

  it('reads a contract’s titles and descriptions, and nothing else', () => {
    expect(
      contractColumnWords({
        properties: {
          a: { title: ' A title ', description: 'Says what.' },
          b: { type: 'string' },
          c: { description: '' },
          d: true,
        },
      }),
    ).toEqual({ a: { title: 'A title', description: 'Says what.' } });
    expect(contractColumnWords(null)).toEqual({});
  });

  it('counts each record once in the report, never more records than the file has', async () => {
    // two columns of one row that fail the same rule: one issue group per column, each row once
    const contract = {
      type: 'object',
      properties: { a: { type: 'string', pattern: '^x$', title: 'Column A' } },
    };
    const compiled = compileColumnContract(contract);
    if (!compiled.ok) throw new Error('contract');
    const source = memorySource('t.csv', new TextEncoder().encode('a,b\ny,1\nx,2,extra,more\ny,3\n'));
    const result = await validateCsv(source, {
      layout: await detectLayout(source),
      plan: compilePlan(contract),
      fullValidator: compiled.validate,
    });
    const built = buildReport([result], {
      generatedAt: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      totalMs: 1,
      toolVersion: 'test',
      inputExtras: { 't.csv': { columnWords: contractColumnWords(contract), sha256: SHA } },
    });
    expect(built.inputs[0]?.sha256).toBe(SHA);
    const a = built.issues.find((i) => i.location === 'a');
    expect(a).toMatchObject({ count: 2, records: 2, title: 'Column A' });
    for (const issue of built.issues)
      if (issue.records !== undefined) expect(issue.records).toBeLessThanOrEqual(built.summary.records);
    expect(loadReport(built).ok).toBe(true);
  });
});

describe('the printable report’s one-page summary', () => {
  it('opens with what was checked, each file’s verdict and fingerprint, and the top problems', () => {
    const html = reportHtml(report());
    const summary = html.slice(html.indexOf('<section class="summary-page"'), html.indexOf('</section>'));
    expect(html.indexOf('summary-page')).toBeLessThan(html.indexOf('<caption>Totals'));
    expect(summary).toContain('2 files, 53 records, checked against the contract urn:p.');
    expect(summary).toContain('1 of 2 files failed: 43 of 53 records have errors.');
    expect(summary).toMatch(/patients\.csv<\/th><td class="fail">Failed/);
    expect(summary).toMatch(/encounters\.csv<\/th><td class="pass">Passed/);
    expect(summary).toContain(`<code>${SHA}</code>`);
    expect(summary).toContain(
      'Patient identifier (patient_id) in patients.csv: is required but empty — 43 times in 43 of 43 records (100 %)',
    );
    expect(summary).toContain('phone in patients.csv: is not written in the agreed layout — 43 times<');
    expect(html).not.toMatch(/\d{3,}\.\d %/);
    // every value escaped, nothing loaded
    expect(html).not.toContain('<b>5</b>');
    expect(html).not.toMatch(/<script|<link|src=/);
    // a place for accepted problems, empty without any
    expect(summary).toContain('<!-- accepted problems (waivers): begin -->');
    expect(summary).not.toContain('Accepted problems');
  });

  it('lists accepted problems when the report carries them, active and expired', () => {
    const waiver = {
      id: 'w1',
      rule: 'contract.pattern',
      column: 'phone',
      rationale: 'Old <format>',
      owner: 'Data lead',
      expires: '2026-03-01',
    };
    const withWaivers: Report = {
      ...report(),
      waivers: [
        { waiver, status: 'active', issues: 1, occurrences: 40 },
        {
          waiver: { ...waiver, id: 'w2', column: '', input: 'a.csv' },
          status: 'expired',
          issues: 0,
          occurrences: 0,
        },
      ],
    };
    expect(reportWaivers(withWaivers)).toEqual([
      {
        what: 'contract.pattern on phone',
        rationale: 'Old <format>',
        owner: 'Data lead',
        expires: '2026-03-01',
        active: true,
        accepted: '1 problem, 40 times',
      },
      {
        what: 'contract.pattern on whole rows in a.csv',
        rationale: 'Old <format>',
        owner: 'Data lead',
        expires: '2026-03-01',
        active: false,
        accepted: 'nothing: it had expired',
      },
    ]);
    const html = reportHtml(withWaivers);
    expect(html).toContain('<h3>Accepted problems</h3>');
    expect(html).toContain(
      'contract.pattern on phone — Old &lt;format&gt;; owner Data lead; until 2026-03-01; accepted 1 problem, 40 times',
    );
    expect(reportWaivers(report())).toEqual([]);
  });

  it('fails a file for its errors across files too, and passes one with warnings only', () => {
    const r = report({
      issues: [
        {
          rule: 'x',
          severity: 'warning',
          location: 'a',
          count: 3,
          examples: [{ input: 'encounters.csv', row: 1 }],
        },
      ],
      inputs: [
        { name: 'patients.csv', kind: 'csv', records: 43, valid: 43, invalid: 0 },
        { name: 'encounters.csv', kind: 'csv', records: 10, valid: 10, invalid: 0 },
      ],
      crossFile: {
        duplicateKeys: [],
        orphanReferences: [{ input: 'patients.csv', column: 'p', target: 'x#y', count: 2, examples: [] }],
      },
    });
    expect(inputVerdicts(r).map((v) => [v.name, v.passed])).toEqual([
      ['patients.csv', false],
      ['encounters.csv', true],
    ]);
  });

  it('writes the fingerprints and the same words in the CSV', () => {
    const csv = reportCsv(report());
    expect(csv).toContain(`SHA-256 ${SHA}`);
    expect(csv).toContain(
      'Patient identifier (patient_id): is required but empty. The agreed layout says: The clinic’s MRN.',
    );
  });
});

describe('the run’s outcome, as the screen and the printable page open with it', () => {
  const clean = { valid: 10, invalid: 0 };
  const table: {
    description: string;
    inputs: Report['inputs'];
    issues: ReportIssue[];
    crossFile?: Report['crossFile'];
    outcome: string;
  }[] = [
    {
      description: 'errors: the files that failed',
      inputs: report().inputs,
      issues: report().issues,
      outcome: '1 of 2 files failed: 43 of 53 records have errors.',
    },
    {
      description: 'no errors: every file passed',
      inputs: [{ name: 'a.csv', kind: 'csv', records: 10, ...clean }],
      issues: [],
      outcome: 'Every file passed: no errors.',
    },
    {
      description: 'an empty file beside a clean one: passed, but the empty file is named',
      inputs: [
        { name: 'lab.csv', kind: 'csv', records: 0, valid: 0, invalid: 0 },
        { name: 'a.csv', kind: 'csv', records: 10, ...clean },
      ],
      issues: [],
      outcome:
        'Every file passed: no errors. lab.csv has no records (empty, or only a header): an empty extract usually means the export failed, so check it before relying on this result.',
    },
    {
      description: 'a repeated key only: no record has an error of its own',
      inputs: [{ name: 'a.csv', kind: 'csv', records: 10, ...clean }],
      issues: [],
      crossFile: {
        duplicateKeys: [{ input: 'a.csv', column: 'id', count: 2, rows: [1, 2] }],
        orphanReferences: [],
      },
      outcome:
        '1 of 1 file failed: no record has an error of its own, but the checks across records and files found problems.',
    },
    {
      description: 'a file that is not text beside a clean one: failed, named, not called empty',
      inputs: [
        { name: 'scan.csv', kind: 'csv', records: 0, valid: 0, invalid: 0 },
        { name: 'a.csv', kind: 'csv', records: 10, ...clean },
      ],
      issues: [
        {
          rule: 'csv.not-text',
          severity: 'fatal',
          location: '',
          count: 1,
          examples: [{ input: 'scan.csv' }],
        },
      ],
      outcome:
        '1 of 2 files failed. scan.csv is not text (or not in its encoding) and could not be read: see the problem on it.',
    },
    {
      description: 'two files without records, and errors in a third',
      inputs: [
        { name: 'lab.csv', kind: 'csv', records: 0, valid: 0, invalid: 0 },
        { name: 'notes.csv', kind: 'csv', records: 0, valid: 0, invalid: 0 },
        ...report().inputs,
      ],
      issues: report().issues,
      outcome:
        '1 of 4 files failed: 43 of 53 records have errors. lab.csv and notes.csv have no records (empty, or only a header): an empty extract usually means the export failed, so check them before relying on this result.',
    },
  ];
  it.each(table)('$description', ({ inputs, issues, crossFile, outcome }) => {
    const records = inputs.reduce((n, i) => n + i.records, 0);
    const invalid = inputs.reduce((n, i) => n + (i.invalid ?? 0), 0);
    const r = report({
      inputs,
      issues,
      summary: { records, valid: records - invalid, invalid, errors: invalid * 2, warnings: 0 },
      ...(crossFile ? { crossFile } : {}),
    });
    expect(runOutcome(r)).toBe(outcome);
    // the printable page opens with the same words
    expect(reportHtml(r, 'Run')).toContain(`<strong>${outcome}</strong>`);
  });
});
