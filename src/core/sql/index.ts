/**
 * The SQL engines' surface: a compiled column-contract plan, and the cross-file key checks, as SQL
 * for DuckDB, PostgreSQL (run by the CLI's `--engine postgres`), Snowflake, Spark and Trino (run by
 * `--engine trino`) (docs/scale.md).
 * Pure: no Node built-ins, no engine; callers run the SQL.
 */

export {
  type AggregateCheck,
  type AggregateOptions,
  type AggregatePart,
  type AggregateProfile,
  type AggregateRow,
  type AggregateSql,
  type AggregateStats,
  aggregatePlanSql,
  DEFAULT_EXAMPLES,
  decodeAggregate,
  mergeAggregates,
  PROFILE_VALUES,
  type Relation,
} from './aggregate.ts';
export {
  compilePlanSql,
  type PlanSql,
  ROW_COLUMN,
  type SqlCheck,
  SqlCompileError,
} from './compilePlanSql.ts';
export {
  duplicateKeysSql,
  groupedKeysSql,
  orphanReferencesSql,
} from './crossFile.ts';
export { SQL_DIALECTS, type SqlDialect } from './dialect.ts';
export {
  type FailingGroup,
  type FailingGroupsSql,
  type FailingLinesInput,
  type FailingLineText,
  failingGroupsSql,
  failingLinesSql,
} from './failingLines.ts';
export { headerCheckSql } from './header.ts';
export { contractAggregateScript, contractSqlScript } from './script.ts';
export {
  decodePartsAggregate,
  LISTED_DUPLICATE_KEYS,
  ORPHAN_EXAMPLES,
  type PartsAggregateSql,
  partitionsSql,
  partsAggregateSql,
  partsProfileSql,
  perPartSql,
  ROWS_PER_DUPLICATE,
  readPartitions,
  remoteSqlOf,
  sendsAggregates,
  shardedDuplicateKeysSql,
  shardedOrphansSql,
  type TableShards,
  withPartsProfile,
} from './shards.ts';
export {
  BOUNDS,
  decodeWarehouseAggregate,
  NUMERIC_KIND,
  STATS_ROWS,
  WAREHOUSE_DIALECTS,
  type WarehouseDialect,
  warehouseAggregateSql,
} from './warehouse.ts';
