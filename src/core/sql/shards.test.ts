import { describe, expect, it } from 'vitest';
import { readPartitions, remoteSqlOf, sendsAggregates } from './shards.ts';

describe('what a shard is asked (Remote SQL)', () => {
  // as postgres_fdw writes them (PostgreSQL 15), for the aggregate plan and for a row-streaming one
  const table: { description: string; sql: string; aggregates: boolean }[] = [
    {
      description: 'a count with a filter and first rows',
      sql: `SELECT count(*), count(*) FILTER (WHERE (("mrn" ~ '[13579]$'::text))), (array_agg(preflight_row ORDER BY preflight_row ASC NULLS LAST) FILTER (WHERE (("mrn" ~ '[13579]$'::text))))[1:20] FROM public.bench_shard0`,
      aggregates: true,
    },
    {
      description: 'keys grouped, by position',
      sql: `SELECT id, count(*), (array_agg(preflight_row ORDER BY preflight_row ASC NULLS LAST))[1:10] FROM public.people_shard1 WHERE ((id IS NOT NULL)) AND ((id <> ''::text)) GROUP BY 1`,
      aggregates: true,
    },
    {
      description: 'keys only, grouped',
      sql: 'SELECT id FROM public.people_shard2 WHERE ((id IS NOT NULL)) GROUP BY 1',
      aggregates: true,
    },
    {
      description: 'every row in row order (the one-server plan)',
      sql: 'SELECT preflight_row, id, last FROM public.people_shard0 ORDER BY preflight_row ASC NULLS LAST',
      aggregates: false,
    },
    {
      description: 'the rows that fail a check',
      sql: `SELECT preflight_row FROM public.bench_shard1 WHERE (("mrn" ~ '[13579]$'::text))`,
      aggregates: false,
    },
    {
      description: 'grouped by the row number: a group per record',
      sql: 'SELECT preflight_row, count(*) FROM public.people_shard0 GROUP BY 1',
      aggregates: false,
    },
    {
      description: 'a key next to an aggregate without grouping is not what postgres_fdw sends',
      sql: 'SELECT id, count(*) FROM public.people_shard0',
      aggregates: false,
    },
    {
      description: "a comma or FROM inside a literal does not cut the select's columns",
      sql: `SELECT count(*) FILTER (WHERE ((last = ', FROM x'::text))) FROM public.people_shard0`,
      aggregates: true,
    },
    { description: 'not a SELECT', sql: 'DELETE FROM public.people_shard0', aggregates: false },
  ];
  it.each(table)('$description', ({ sql, aggregates }) => {
    expect(sendsAggregates(sql)).toBe(aggregates);
  });

  it("takes a check's first failing rows (a LIMIT within the rows allowed) as bounded, never more", () => {
    const first = `SELECT preflight_row, mrn FROM public.bench_shard0 WHERE ((mrn !~ '^[0-9]{8}$'::text)) ORDER BY preflight_row ASC NULLS LAST LIMIT 20`;
    expect(sendsAggregates(first, 20)).toBe(true);
    expect(sendsAggregates(first, 19)).toBe(false);
    expect(sendsAggregates(first)).toBe(false);
    // a limit inside a literal is no limit
    expect(sendsAggregates(`SELECT preflight_row FROM public.b WHERE ((c = ' LIMIT 1'::text))`, 20)).toBe(
      false,
    );
  });

  it("reads every Remote SQL of an EXPLAIN's JSON, nested plans included", () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Append',
          Plans: [
            { 'Node Type': 'Foreign Scan', 'Remote SQL': 'SELECT count(*) FROM a' },
            { 'Node Type': 'Subquery Scan', Plans: [{ 'Remote SQL': 'SELECT id FROM b GROUP BY 1' }] },
          ],
        },
      },
    ];
    expect(remoteSqlOf(plan)).toEqual(['SELECT count(*) FROM a', 'SELECT id FROM b GROUP BY 1']);
  });
});

describe('the partitions of a table', () => {
  it('is sharded only when a partition is a foreign table, each server once', () => {
    const local = [{ part: 'p0', foreign_server: null, partition_key: 'id' }];
    expect(readPartitions(local)).toBeUndefined();
    expect(readPartitions([])).toBeUndefined();
    const foreign = [
      { part: 'p0', foreign_server: 's0', partition_key: 'id' },
      { part: 'p1', foreign_server: 's0', partition_key: 'id' },
      { part: '"p 2"', foreign_server: 's1', partition_key: 'id' },
    ];
    expect(readPartitions(foreign)).toEqual({
      parts: ['p0', 'p1', '"p 2"'],
      servers: ['s0', 's1'],
      partServers: ['s0', 's0', 's1'],
      partitionKey: ['id'],
    });
  });
});
