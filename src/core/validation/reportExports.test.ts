import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { checkReportRedaction, loadReport, type Report } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import {
  escapeHtml,
  neutraliseCsvCell,
  REPORT_CSV_COLUMNS,
  redactReport,
  reportCsv,
  reportHtml,
  restoreCsvCell,
} from './reportExports.ts';

const REPORT: Report = {
  format: 'preflight.report/v1',
  generatedAt: '2026-01-02T03:04:05Z',
  tool: { name: 'preflight', version: '1.0.0' },
  inputs: [{ name: 'patients.csv', kind: 'csv', records: 3, valid: 1, invalid: 2, delimiter: ',' }],
  summary: { records: 3, valid: 1, invalid: 2, errors: 2, warnings: 0 },
  issues: [
    {
      rule: 'contract.pattern',
      severity: 'error',
      location: 'phone',
      message: 'does not match the expected pattern',
      count: 2,
      examples: [
        { row: 1, column: 'phone', value: '=HYPERLINK("http://x","y")' },
        { row: 2, column: 'phone', value: "'+1 555" },
      ],
    },
  ],
  profiles: [
    {
      input: 'patients.csv',
      column: 'phone',
      count: 3,
      empty: 0,
      top: [{ value: '@SUM(A1)', count: 1 }],
      min: '-1',
    },
  ],
  crossFile: {
    duplicateKeys: [{ input: 'patients.csv', column: 'mrn', key: '-42', count: 2, rows: [1, 3] }],
    orphanReferences: [],
    conflictingRecords: [],
  },
  timings: { startedAt: '2026-01-02T03:04:00Z', totalMs: 5 },
};

describe('CSV cells against formula injection', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ["'=1", "''=1"],
    ["'plain", "''plain"],
    ['plain', 'plain'],
    ['', ''],
    ['a=b', 'a=b'],
  ])('%j is written as %j and restored', (value, cell) => {
    expect(neutraliseCsvCell(value)).toBe(cell);
    expect(restoreCsvCell(cell)).toBe(value);
  });

  it('round-trips any text, and no written cell starts a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.string(), (a, b) => {
        for (const value of [a, b, `=${a}`, `'${b}`, `-${a}`]) {
          const cell = neutraliseCsvCell(value);
          expect(restoreCsvCell(cell)).toBe(value);
          expect('=+-@\t\r').not.toContain(cell.charAt(0) || 'x');
        }
      }),
    );
  });
});

describe('report CSV', () => {
  it('is one table whose values, read back by a CSV parser and restored, are the report values', () => {
    const text = reportCsv(REPORT);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const [head, ...rows] = parsed.data;
    expect(head).toEqual([...REPORT_CSV_COLUMNS]);
    for (const row of rows) for (const cell of row) expect('=+-@\t\r').not.toContain(cell.charAt(0) || 'x');
    const valueAt = REPORT_CSV_COLUMNS.indexOf('value');
    const values = rows.map((r) => restoreCsvCell(r[valueAt] as string)).filter(Boolean);
    expect(values).toEqual(['=HYPERLINK("http://x","y")', "'+1 555", '-42']);
  });
});

describe('a problem of a whole file in the exports', () => {
  it('names its file, in the CSV and on the printable page', () => {
    const report: Report = {
      ...REPORT,
      inputs: [
        ...REPORT.inputs,
        { name: 'lab-results.csv', kind: 'csv', records: 0, valid: 0, invalid: 0, delimiter: ',' },
      ],
      summary: { ...REPORT.summary, warnings: 1 },
      issues: [
        ...REPORT.issues,
        {
          rule: 'csv.empty-file',
          severity: 'warning',
          location: '',
          message: 'empty file: no header, no rows',
          count: 1,
          examples: [{ input: 'lab-results.csv' }],
        },
      ],
    };
    const rows = Papa.parse<Record<string, string>>(reportCsv(report), { header: true }).data;
    expect(rows.find((r) => r.rule === 'csv.empty-file')?.message).toBe(
      'whole file lab-results.csv: empty file: no header, no rows',
    );
    expect(reportHtml(report)).toContain('<td>whole file lab-results.csv</td>');
  });
});

describe('redaction', () => {
  it('leaves no value the format forbids in a redacted report, and the report still loads', () => {
    const redacted = redactReport(REPORT);
    expect(checkReportRedaction(redacted)).toEqual([]);
    expect(loadReport(redacted).ok).toBe(true);
    expect(JSON.stringify(redacted)).not.toContain('HYPERLINK');
    expect(reportCsv(redacted)).not.toContain('HYPERLINK');
    expect(reportHtml(redacted)).not.toContain('HYPERLINK');
    expect(redacted.summary).toEqual(REPORT.summary);
  });
});

describe('report HTML', () => {
  it('escapes every value and loads nothing', () => {
    const html = reportHtml({
      ...REPORT,
      issues: [
        {
          ...(REPORT.issues[0] as Report['issues'][number]),
          examples: [{ row: 1, value: '<script>x</script>' }],
        },
      ],
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});

describe('the comparison with the previous run in the exports', () => {
  const compared: Report = {
    ...REPORT,
    comparison: {
      previous: { generatedAt: '2026-01-01T03:04:05Z', records: 3, errors: 3, warnings: 0 },
      counts: { fixed: 1, new: 0, stillFailing: 0, worse: 1 },
      entries: [
        {
          rule: 'contract.pattern',
          location: 'phone',
          severity: 'error',
          status: 'worse',
          previous: 1,
          current: 2,
        },
        {
          rule: 'contract.required',
          location: 'birth_date',
          severity: 'error',
          status: 'fixed',
          previous: 2,
          current: 0,
        },
      ],
    },
  };
  const csvRows = (report: Report) =>
    Papa.parse<Record<string, string>>(reportCsv(report), { header: true, skipEmptyLines: true }).data;

  it.each([
    { section: 'comparison', column: 'fixed', count: '1', message: '' },
    { section: 'comparison', column: 'worse', count: '1', message: '' },
    {
      section: 'change',
      column: 'phone',
      count: '2',
      message: 'Worse: 1 before, 2 now — does not match the expected pattern',
    },
    {
      section: 'change',
      column: 'birth_date',
      count: '0',
      message: 'Fixed: 2 before, 0 now — A column the contract requires is empty.',
    },
  ])('the CSV has the $section line for $column', ({ section, column, count, message }) => {
    const line = csvRows(compared).find((r) => r.section === section && r.column === column);
    expect(line).toMatchObject({ count, message });
  });

  it('the CSV and the printable page say nothing of a comparison the report does not carry', () => {
    expect(csvRows(REPORT).filter((r) => r.section === 'comparison' || r.section === 'change')).toEqual([]);
    expect(reportHtml(REPORT)).not.toContain('previous run');
  });

  it('the printable page gives the counts on its summary page and each change in a table', () => {
    const html = reportHtml(compared);
    const summary = html.slice(html.indexOf('summary-page'), html.indexOf('</section>'));
    expect(summary).toContain(
      'Compared with the run of Thu, 01 Jan 2026 03:04:05 GMT (3 errors then, 2 now): 1 fixed, 0 new, 0 still failing, 1 worse.',
    );
    expect(html).toContain('<caption>Changes since the previous run</caption>');
    expect(html).toContain(
      '<tr><td>birth_date</td><td>A column the contract requires is empty.</td><td>Fixed</td><td>2</td><td>0</td></tr>',
    );
  });
});

describe('messages folded under their root cause', () => {
  const FOLDED: Report = {
    ...REPORT,
    target: { type: 'fhir' },
    inputs: [{ name: 'ips.json', kind: 'fhir-json', records: 1, valid: 0, invalid: 1 }],
    summary: { records: 1, valid: 0, invalid: 1, errors: 3, warnings: 0 },
    issues: [
      {
        rule: 'fhir-profile-invariant',
        severity: 'error',
        location: 'Bundle.entry.resource.name',
        message: 'Patient.name: ips-pat-1: a name part SHALL be present (Patient-uv-ips)',
        count: 1,
        examples: [{ input: 'ips.json', row: 1, column: 'Bundle.entry[1].resource.name[0]' }],
        derived: [
          {
            rule: 'fhir-profile-slice',
            severity: 'error',
            location: 'Bundle.entry',
            message: "Bundle.entry: slice 'patient' requires 1, found 0 (Bundle-uv-ips)",
            count: 2,
          },
        ],
      },
    ],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
  };

  it('the CSV has a line for each kind that follows, with its count and its root', () => {
    const rows = Papa.parse<Record<string, string>>(reportCsv(FOLDED), { header: true }).data;
    expect(rows.filter((r) => r.section === 'follows from issue')).toEqual([
      expect.objectContaining({
        rule: 'fhir-profile-slice',
        column: 'Bundle.entry',
        count: '2',
        message:
          "Bundle.entry: slice 'patient' requires 1, found 0 (Bundle-uv-ips) (follows from fhir-profile-invariant at Bundle.entry.resource.name)",
      }),
    ]);
  });

  it('the printable page says how many messages follow from the problem', () => {
    expect(reportHtml(FOLDED)).toContain('2 more messages follow from it and go away when it is fixed');
  });
});

describe('accepted problems (waivers) and what was not checked, in every export', () => {
  const csvRows = (report: Report) =>
    Papa.parse<Record<string, string>>(reportCsv(report), { header: true, skipEmptyLines: true }).data;
  const waiver = (id: string, extra: Partial<Waiver>): Waiver => ({
    id,
    rule: 'contract.pattern',
    column: 'phone',
    rationale: '=the old system stored extensions',
    owner: 'Dr Lee',
    expires: '2026-12-31',
    ...extra,
  });
  const WAIVED: Report = {
    ...REPORT,
    inputs: [
      {
        ...(REPORT.inputs[0] as Report['inputs'][number]),
        notChecked: ['the primary key (visit_id, site) is not checked for repeats', '@format %Q'],
      },
      { name: 'visits.csv', kind: 'csv', records: 1, valid: 1, invalid: 0, notChecked: ['-1 foreign key'] },
    ],
    issues: [{ ...(REPORT.issues[0] as Report['issues'][number]), acceptedBy: 'w1' }],
    waivers: [
      { waiver: waiver('w1', { input: 'patients.csv' }), status: 'active', issues: 1, occurrences: 2 },
      {
        waiver: waiver('w2', { rule: 'fhir-unknown-extension', column: '', extension: 'http://x/ext' }),
        status: 'expired',
        issues: 0,
        occurrences: 0,
      },
    ],
  };
  const ACCEPTED = 'Accepted until 2026-12-31, owner Dr Lee';
  const FIRST =
    'contract.pattern on phone in patients.csv — =the old system stored extensions; owner Dr Lee; until 2026-12-31; accepted 1 problem, 2 times';
  const SECOND =
    'fhir-unknown-extension on http://x/ext — =the old system stored extensions; owner Dr Lee; expired 2026-12-31; accepted nothing: it had expired';

  it.each([
    {
      section: 'accepted problem',
      file: 'patients.csv',
      rule: 'contract.pattern',
      column: 'phone',
      message: FIRST,
    },
    {
      section: 'accepted problem',
      file: '',
      rule: 'fhir-unknown-extension',
      column: 'http://x/ext',
      message: SECOND,
    },
    {
      section: 'issue',
      file: '',
      rule: 'contract.pattern',
      column: 'phone',
      message: `phone: does not match the expected pattern — ${ACCEPTED}`,
    },
    {
      section: 'not checked',
      file: 'patients.csv',
      rule: '',
      column: '',
      message: 'the primary key (visit_id, site) is not checked for repeats',
    },
    { section: 'not checked', file: 'patients.csv', rule: '', column: '', message: '@format %Q' },
    { section: 'not checked', file: 'visits.csv', rule: '', column: '', message: '-1 foreign key' },
  ])('the CSV has the $section line “$message”', ({ section, file, rule, column, message }) => {
    const rows = csvRows(WAIVED).map(
      (r): Record<string, string> => ({ ...r, message: restoreCsvCell(r.message ?? '') }),
    );
    expect(rows.filter((r) => r.section === section && r.message === message)).toEqual([
      expect.objectContaining({ file, rule, column }),
    ]);
  });

  it('the CSV lines start no formula, and say nothing the report does not carry', () => {
    for (const row of csvRows(WAIVED))
      for (const cell of Object.values(row)) expect('=+-@\t\r').not.toContain(cell.charAt(0) || 'x');
    const plain = csvRows(REPORT);
    expect(plain.filter((r) => ['accepted problem', 'not checked'].includes(r.section ?? ''))).toEqual([]);
    expect(plain.some((r) => r.message?.includes('Accepted until'))).toBe(false);
  });

  it('an issue marked by a waiver that has expired is not marked accepted', () => {
    const expired: Report = {
      ...WAIVED,
      waivers: WAIVED.waivers?.map((w) => ({ ...w, status: 'expired' as const })),
    };
    expect(reportCsv(expired)).not.toContain('Accepted until');
    expect(reportHtml(expired)).not.toContain('Accepted until');
  });

  it('the printable page lists them in the same words, escaped, and marks the accepted problem', () => {
    const html = reportHtml(WAIVED);
    const summary = html.slice(html.indexOf('summary-page'), html.indexOf('</section>'));
    expect(summary).toContain(`<li>${escapeHtml(FIRST)}</li>`);
    expect(summary).toContain(`<li>${escapeHtml(SECOND)}</li>`);
    expect(summary).toContain(
      '<h3>Not checked</h3><p>The contract asks for more than this run checked:</p><ul class="not-checked"><li>patients.csv: the primary key (visit_id, site) is not checked for repeats</li><li>patients.csv: @format %Q</li><li>visits.csv: -1 foreign key</li></ul>',
    );
    expect(html).toContain(`does not match the expected pattern. ${ACCEPTED}</td>`);
    expect(reportHtml(REPORT)).not.toContain('Not checked');
  });

  it('a FHIR run lists each rule not checked once, with no file name', () => {
    const fhir: Report = {
      ...REPORT,
      target: { type: 'fhir' },
      inputs: [
        { name: 'a.ndjson', kind: 'ndjson', records: 1, notChecked: ['invariants (FHIRPath)'] },
        { name: 'b.ndjson', kind: 'ndjson', records: 1, notChecked: ['invariants (FHIRPath)'] },
      ],
    };
    expect(reportHtml(fhir)).toContain(
      '<p>The FHIR specification asks for more than this run checked:</p><ul class="not-checked"><li>invariants (FHIRPath)</li></ul>',
    );
    expect(csvRows(fhir).filter((r) => r.section === 'not checked')).toEqual([
      expect.objectContaining({ file: '', message: 'invariants (FHIRPath)' }),
    ]);
  });
});

describe('FHIR messages on mapped rows traced to the mapping, in the exports', () => {
  const TRACED: Report = {
    ...REPORT,
    target: { type: 'fhir', resourceType: 'Observation' },
    mapping: { id: 'observations', version: 2 },
    inputs: [{ name: 'obs.csv', kind: 'csv', records: 2, valid: 0, invalid: 2, delimiter: ',' }],
    summary: { records: 2, valid: 0, invalid: 2, errors: 2, warnings: 0 },
    issues: [
      {
        rule: 'fhir-invalid-format',
        severity: 'error',
        location: 'Observation.effectiveDateTime',
        message: 'Expected a date and time',
        count: 1,
        examples: [
          {
            row: 4,
            column: 'taken',
            path: 'Observation.effectiveDateTime',
            field: 'effectiveDateTime',
            transform: 'trim spaces',
            byte: 1234,
            value: '31/02/2020',
          },
        ],
      },
      {
        rule: 'fhir-required',
        severity: 'error',
        location: 'Observation.status',
        message: 'Observation.status is required but missing: add it',
        count: 1,
        examples: [{ row: 7, path: 'Observation.status', unfilled: 'no-field', byte: 2048 }],
      },
    ],
    profiles: [],
    crossFile: { duplicateKeys: [], orphanReferences: [] },
  };

  it('loads: the optional example fields are part of preflight.report/v1', () => {
    expect(loadReport(JSON.parse(JSON.stringify(TRACED))).ok).toBe(true);
    const bad = structuredClone(TRACED);
    (bad.issues[1]?.examples[0] as { unfilled: string }).unfilled = 'nowhere';
    expect(loadReport(bad).ok).toBe(false);
  });

  it('the CSV example lines say the mapping field, the column, the transform and the row with its byte', () => {
    const rows = Papa.parse<Record<string, string>>(reportCsv(TRACED), { header: true }).data;
    expect(rows.filter((r) => r.section === 'example').map((r) => r.message)).toEqual([
      'Observation.effectiveDateTime — from column "taken" (mapping field effectiveDateTime; transform: trim spaces), row 4, byte 1,234',
      'Observation.status — no mapping field fills it, row 7, byte 2,048',
    ]);
  });

  it('the printable page says the same beside each first row, and a redacted one no value', () => {
    const html = reportHtml(TRACED);
    expect(html).toContain(
      'row 4 “31/02/2020” (Observation.effectiveDateTime — from column &quot;taken&quot; (mapping field effectiveDateTime; transform: trim spaces), byte 1,234)',
    );
    expect(html).toContain('row 7 (Observation.status — no mapping field fills it, byte 2,048)');
    expect(reportHtml(redactReport(TRACED))).not.toContain('31/02/2020');
    expect(checkReportRedaction(redactReport(TRACED))).toEqual([]);
  });
});
