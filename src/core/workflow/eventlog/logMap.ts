/**
 * A measured process map as the project keeps it (`LogMap`, `#/$defs/logMap` of
 * preflight.project/v1): the map's aggregates, the filters and which file it was measured from,
 * so the map and its variants show again after a reload without the log (never stored).
 *
 * Only the fields of the format are copied, field by field: what is kept is counts, durations,
 * activity names and the role, system or kept-column names and values a filter chose — never case
 * ids, the resource column or events, whatever else a map object carries.
 * Pure.
 */
import type { LogMap } from '../../../formats/project.ts';
import type { ProcessMap } from './processMap.ts';

/** The id of the one map a project keeps: a newer measurement replaces it. */
export const LOG_MAP_ID = 'last';

/** The log file a map was measured from. */
export interface LogFileIdentity {
  name: string;
  bytes: number;
  /** lowercase hex */
  sha256: string;
}

/** The record to keep for `map`, measured from `log` with `filters` at `measuredAt` (RFC 3339). */
export function logMapOf(
  map: ProcessMap,
  log: LogFileIdentity,
  filters: LogMap['filters'],
  measuredAt: string,
): LogMap {
  return {
    id: LOG_MAP_ID,
    log: { name: log.name, bytes: log.bytes, sha256: log.sha256 },
    measuredAt,
    filters: {
      coverage: filters.coverage,
      minActivity: filters.minActivity,
      from: filters.from,
      to: filters.to,
      workingHours: filters.workingHours,
      startHour: filters.startHour,
      endHour: filters.endHour,
      workingTime: filters.workingTime,
      mapActivities: filters.mapActivities,
      variants: filters.variants.map((v) => [...v]),
      ...(filters.attribute
        ? {
            attribute: {
              attribute: filters.attribute.attribute,
              values: [...filters.attribute.values],
              keep: filters.attribute.keep,
            },
          }
        : {}),
      ...(filters.attributes && filters.attributes.length > 0
        ? {
            attributes: filters.attributes.map((c) => ({
              attribute: c.attribute,
              ...(c.attribute === 'column' && c.column !== undefined ? { column: c.column } : {}),
              values: [...c.values],
              keep: c.keep,
            })),
          }
        : {}),
    },
    map: {
      cases: map.cases,
      casesDrawn: map.casesDrawn,
      activities: map.activities.map((a) => ({
        name: a.name,
        n: a.n,
        cases: a.cases,
        ...(a.duration
          ? {
              duration: {
                meanMin: a.duration.meanMin,
                medianMin: a.duration.medianMin,
                timed: a.duration.timed,
              },
            }
          : {}),
      })),
      shown: map.shown,
      edges: map.edges.map((e) => ({
        from: e.from,
        to: e.to,
        n: e.n,
        cases: e.cases,
        ...(e.duration ? { duration: { meanMin: e.duration.meanMin, medianMin: e.duration.medianMin } } : {}),
      })),
      variants: map.variants.map((v) => ({ activities: [...v.activities], cases: v.cases })),
      variantCount: map.variantCount,
      workingTime: map.workingTime,
    },
  };
}

/** The kept map of a project, or null when it has none. */
export function keptLogMap(logMaps: readonly LogMap[] | undefined): LogMap | null {
  return logMaps?.find((m) => m.id === LOG_MAP_ID) ?? null;
}
