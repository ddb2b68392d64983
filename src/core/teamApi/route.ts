/**
 * One HTTP contract per team server route: its method, its path, and the schemas of its params,
 * query, body and answer, written once here. The server registers the route from it and fastify
 * validates every request against its schemas before the route runs (src/server/contractRoute.ts);
 * the browser's request is typed from it and its URL built by {@link pathOf}
 * (src/storage/teamServer.ts `teamCall`). A shape written a second time across the wire is the
 * defect this module removes.
 *
 * Constraints: the schemas are TypeBox's, which are plain JSON Schema objects, so fastify's own
 * ajv checks them and its refusals read as they always have (`body/baseVersion must be
 * integer`). Request schemas bound every string and array. An answer's schema types the server's
 * handler and the browser's result; where an answer carries a record the core already defines
 * (a shared record, a sample's result), the contract names that type (`Type.Unsafe<T>`) instead
 * of writing it again. This module imports nothing of Node, fastify or the DOM: both ends load it.
 */
import type { Static, TSchema } from 'typebox';

/** The HTTP methods the team server's API answers. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route of the team server's API, as both ends read it. */
export interface RouteContract {
  method: RouteMethod;
  /** fastify's pattern: `/api/projects/:projectId/records` */
  path: string;
  /** the status of a success (200 unless said) */
  status?: 200 | 201 | 204;
  /** the path's params (every `:name` of {@link path}) */
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** the answer of a success */
  answer: TSchema;
  /** the bodies of refusals that carry more than `{ error, code? }` (a conflict's current record) */
  refusals?: Readonly<Record<number, TSchema>>;
  /**
   * a stream's events, where the answer stays open (`text/event-stream`): each event is one
   * `data:` line of JSON this schema describes
   */
  events?: TSchema;
}

/** A contract, checked as one and kept with its literal types. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

type StaticOr<S, Absent> = S extends TSchema ? Static<S> : Absent;

/** What a route's path params are. */
export type ParamsOf<C extends RouteContract> = StaticOr<C['params'], Record<string, never>>;
/** What a route's query is. */
export type QueryOf<C extends RouteContract> = StaticOr<C['query'], Record<string, never>>;
/** What a route's body is. */
export type BodyOf<C extends RouteContract> = StaticOr<C['body'], undefined>;
/** What a route answers on success. */
export type AnswerOf<C extends RouteContract> = Static<C['answer']>;
/** What each event of a route's stream is (never, for a route that answers once). */
export type EventOf<C extends RouteContract> = StaticOr<C['events'], never>;
/** What a route's refusal of `status` carries, where the contract names one. */
export type RefusalOf<C extends RouteContract, N extends number> =
  C['refusals'] extends Readonly<Record<N, infer S extends TSchema>> ? Static<S> : never;

/** What the browser sends: the params, query and body a route takes (only those it takes). */
export type RequestOf<C extends RouteContract> = (C['params'] extends TSchema
  ? { params: ParamsOf<C> }
  : { params?: undefined }) &
  (C['query'] extends TSchema ? { query?: QueryOf<C> } : { query?: undefined }) &
  (C['body'] extends TSchema ? { body: BodyOf<C> } : { body?: undefined });

const PARAM = /:([A-Za-z][A-Za-z0-9]*)/g;

/**
 * The route's address for `params`, each one percent-encoded as one path segment, with `query`'s
 * values after it. No record content belongs in either: ids and version numbers only.
 * @throws Error when a param the path names is missing (a caller's mistake, never a person's)
 */
export function pathOf(
  contract: RouteContract,
  params: Readonly<Record<string, string | number>> = {},
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const path = contract.path.replace(PARAM, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${contract.method} ${contract.path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) search.append(name, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}
