/**
 * A route registered from its contract (src/core/teamApi): the method, path and request schemas
 * come from the one place the browser is typed from, and the handler's request and answer are
 * typed by them. fastify validates params, query and body before the handler runs; a refusal
 * reads as before (`{ "error": "body/baseVersion must be integer" }`, through app.ts's error
 * handler), because the schemas are the same JSON Schema its ajv always checked.
 *
 * A project's route ({@link serveProjectRoute}) declares the action of the role × action table
 * it needs and the transaction it runs in; the runner opens the transaction, checks the session's
 * membership and role for that action, and hands the handler `{ tx, me, params, body, … }`. The
 * handler returns its answer, or a refusal with a body ({@link ProjectRouteContext.refuse}); the
 * runner sends either, once. A route outside any project (the session, a project's creation, the
 * public anchor) declares its transaction alone ({@link serveServerRoute}). Work that must not hold
 * the transaction open, or must follow its commit (a new head stamped and kept, a refusal whose
 * attempt the transaction recorded), is returned as {@link AfterCommit}: the runner runs it once
 * the transaction has committed, and sends what it makes. An answer that stays open (the change
 * stream's server-sent events) is returned as an {@link EventStream}: the runner sends the stream,
 * and each event goes out through it, checked against the contract's `events` schema.
 *
 * Constraints: the answer schema types the handler; it is not given to fastify as a response
 * schema, whose serializer would silently drop any field the schema does not name. A server
 * started with `checkAnswers` (every server test suite) checks each answer and each refusal with
 * a body against the contract's schema instead, as it goes on the wire, and fails the request
 * with the place that does not match: a contract that drifted from its handler is a failing test.
 */
import { PassThrough } from 'node:stream';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type {
  AnswerOf,
  BodyOf,
  EventOf,
  ParamsOf,
  ProjectAction,
  QueryOf,
  RefusalOf,
  RouteContract,
} from '../core/teamApi/index.ts';
import { actorOf, evidenceOf, personOf, projectAudit, requireAction } from './access.ts';
import type { ServerAuditEntry, ServerAuditKind } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';
import { type Membership, membershipOf, ProjectRefusal } from './projects.ts';
import { appendRefusal } from './refusalFolds.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** whether every contract route's answer is checked against its schema (createServer's `checkAnswers`) */
    checkAnswers: boolean;
  }
  interface FastifyContextConfig {
    /**
     * what a project route's refused attempts are about, where they are evidence: set by the
     * runner from the route's `refusalsRecorded`, so a refusal made before the route runs (the
     * session's checks) is recorded too
     */
    refusalsAbout?: RefusedSubject;
  }
}

/** The request a contract's handler gets: its params, query and body as the contract types them. */
export type ContractRequest<C extends RouteContract> = FastifyRequest<{
  Params: ParamsOf<C>;
  Querystring: QueryOf<C>;
  Body: BodyOf<C>;
}>;

/** The request schemas of `contract`, as fastify's route options name them. */
function requestSchemas(contract: RouteContract) {
  return {
    ...(contract.params === undefined ? {} : { params: contract.params }),
    ...(contract.query === undefined ? {} : { querystring: contract.query }),
    ...(contract.body === undefined ? {} : { body: contract.body }),
  };
}

/** Sends `answer` with the contract's status, checked first where the server checks answers. */
function sendAnswer<C extends RouteContract>(
  app: FastifyInstance,
  contract: C,
  reply: FastifyReply,
  answer: AnswerOf<C>,
): FastifyReply {
  if (contract.status === 204) return reply.code(204).send();
  if (app.checkAnswers) checkAgainst(contract, 'answer', contract.answer, answer);
  return reply.code(contract.status ?? 200).send(answer);
}

/** Sends a refusal with the body the contract names for its status, checked first where the server checks answers. */
function sendRefused(app: FastifyInstance, contract: RouteContract, reply: FastifyReply, refused: Refused) {
  const schema = contract.refusals?.[refused.status];
  if (schema === undefined)
    throw new Error(`${contract.method} ${contract.path} names no refusal body for ${refused.status}`);
  if (app.checkAnswers) checkAgainst(contract, `${refused.status} refusal`, schema, refused.body);
  return reply.code(refused.status).send(refused.body);
}

/** An answer that does not match its contract's schema: a defect of the server, never the caller's. */
export class AnswerMismatch extends Error {
  readonly statusCode = 500;
}

/**
 * Checks `value` as it goes on the wire (JSON: an `undefined` field is absent) against `schema`.
 * @throws AnswerMismatch naming the route, what was sent and the first place that differs
 */
function checkAgainst(contract: RouteContract, what: string, schema: TSchema, value: unknown): void {
  const wire: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  if (Value.Check(schema, wire)) return;
  const [first] = Value.Errors(schema, wire);
  throw new AnswerMismatch(
    `${contract.method} ${contract.path}: its ${what} does not match its contract (src/core/teamApi) at ${first?.instancePath || '/'}: ${first?.message ?? 'no match'}`,
  );
}

/**
 * How a project route runs: `none` asks the database directly (a read whose statements need not
 * see one moment); `read` runs in one transaction; `change` runs in one transaction that first
 * locks the project's row, so a member removed a moment ago cannot slip a change in and the
 * change and its audit entry commit together or not at all.
 */
export type RouteTransaction = 'none' | 'read' | 'change';

/**
 * What a handler returns to be finished once its transaction has committed: `finish` makes the
 * answer (or throws the refusal) from what the transaction left, outside it.
 */
export class AfterCommit<A> {
  constructor(readonly finish: () => Promise<A>) {}
}

/**
 * A refusal sent once the transaction has committed: the attempt it refuses was recorded in the
 * transaction (an audit entry is evidence), so the transaction commits and the refusal follows.
 */
export function refusedAfterCommit(refusal: Error): AfterCommit<never> {
  return new AfterCommit(() => Promise.reject(attemptRecorded(refusal)));
}

/**
 * Marks `refusal` as one whose attempt its route's transaction recorded (through the context's
 * `refused`), so the runner does not record it again; returns it.
 */
export function attemptRecorded<E extends Error>(refusal: E): E {
  recordedRefusals.add(refusal);
  return refusal;
}

/** Refusals whose attempt the route's transaction recorded itself: not recorded again. */
const recordedRefusals = new WeakSet<Error>();

/** What a refused attempt the runner records was an attempt on (the four). */
export type RefusedSubject = 'decision' | 'signature' | 'key' | 'role';

/** A refusal's reason code, by its status: the words are the person's, the code the log's. */
const REASON_CODES: Readonly<Record<ProjectRefusal['statusCode'], string>> = {
  400: 'not-valid',
  403: 'not-allowed',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  413: 'too-large',
  422: 'not-verified',
};

/** The longest stretch of a refusal's words an entry keeps. */
const MAX_REFUSAL_WORDS = 300;

/**
 * Records `refusal` of a route that records its refusals, in a transaction of its own (the
 * route's rolled back): who, what (the route and its target), why (a reason code and the words
 * she was told, which name places and rules, never record content), folded with its repeats
 * (refusalFolds.ts). With `memberOnly` (a refusal of the route's `prepare`, made before the
 * membership was read), only when the session is a member's. A failure to record is logged; the
 * person still gets her refusal.
 */
async function recordRefusal<C extends RouteContract>(
  db: Database,
  at: number,
  route: ProjectRoute<C, unknown>,
  request: ContractRequest<C>,
  refusal: ProjectRefusal,
  memberOnly = false,
): Promise<void> {
  const recorded = route.refusalsRecorded;
  if (recorded === undefined) return;
  // nobody who is not a member writes into a project's log (its existence is not given away)
  if (refusal.code === 'project-not-open' || recordedRefusals.has(refusal)) return;
  await appendRefusedAttempt(db, at, request, {
    about: recorded.about,
    target: recorded.target?.(request) ?? {},
    reason: REASON_CODES[refusal.statusCode],
    words: refusal.message,
    memberOnly,
  });
}

/**
 * Records a refusal made before its project route ran, where that route's refusals are evidence
 * and the session is a member's of the route's project: a body the route's schema refuses
 * (`not-valid`), a change that did not come from Preflight's page (`csrf-token`). What the request
 * named is not kept beyond the route and its ids: a refused body is not what the contract says,
 * so any value in it may be record content. Folded and limited as every refused attempt is.
 */
export async function recordRefusedBeforeRoute(
  db: Database,
  at: number,
  request: FastifyRequest,
  why: { reason: 'not-valid' | 'csrf-token'; words: string },
): Promise<void> {
  const about = request.routeOptions.config.refusalsAbout;
  if (about === undefined || request.session === undefined) return;
  await appendRefusedAttempt(db, at, request, { about, target: {}, ...why, memberOnly: true });
}

/**
 * Appends the refused attempt of `request` on its project in a transaction of its own, folded
 * with its repeats (refusalFolds.ts); with `memberOnly`, only when the session is a member's. A
 * failure to record is logged; the person still gets her refusal.
 */
async function appendRefusedAttempt(
  db: Database,
  at: number,
  request: FastifyRequest,
  attempt: {
    about: RefusedSubject;
    target: Record<string, string>;
    reason: string;
    words: string;
    memberOnly?: boolean;
  },
): Promise<void> {
  const { projectId, ...params } = (request.params ?? {}) as Record<string, unknown>;
  if (typeof projectId !== 'string') return;
  const ids = Object.fromEntries(
    Object.entries(params).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.slice(0, 128)]] : [])),
  );
  try {
    await db.transaction(async (tx) => {
      if (attempt.memberOnly && (await membershipOf(tx, personOf(request), projectId, at)) === undefined)
        return;
      await appendRefusal(tx, {
        at,
        kind: 'attempt-refused',
        actor: actorOf(request),
        detail: {
          project: projectId,
          about: attempt.about,
          route: `${request.method} ${request.routeOptions.url}`,
          ...ids,
          ...attempt.target,
          reason: attempt.reason,
          words: attempt.words.slice(0, MAX_REFUSAL_WORDS),
          ...evidenceOf(request),
        },
      });
    });
  } catch (error) {
    request.log.error({ err: error }, 'a refused attempt could not be recorded in the audit log');
  }
}

/** The answer a handler returned, finished where it asked to be after the commit. */
async function finished<T, A>(outcome: T | AfterCommit<A>): Promise<Exclude<T, AfterCommit<A>> | A> {
  return outcome instanceof AfterCommit ? outcome.finish() : (outcome as Exclude<T, AfterCommit<A>>);
}

/** A refusal with a body the contract names (a conflict's current record), as a handler returns it. */
export class Refused {
  constructor(
    readonly status: number,
    readonly body: { error: string },
  ) {}
}

/** How a stream's handler sends: events the contract describes, and comments that keep it open. */
export interface EventSink<E> {
  /** sends `event` as one `data:` line of JSON (nothing once the stream has ended) */
  event(event: E): void;
  /** sends a comment line (a heartbeat: proxies close a stream that says nothing) */
  comment(text: string): void;
  /** ends the stream; resolves once the response is finished (the connection is then idle) */
  end(): Promise<void>;
}

/**
 * An answer that stays open (`text/event-stream`), as a handler returns it: once the runner has
 * checked the caller and sent the stream's head, `start` begins sending and returns what to undo
 * (listeners, timers) when the stream ends, by `end()` or because the browser went away.
 */
export class EventStream<E> {
  constructor(
    readonly start: (sink: EventSink<E>) => () => void,
    /** how long a browser waits before it reconnects a dropped stream (the `retry:` field) */
    readonly retryMs: number,
  ) {}
}

/**
 * Sends `answer`'s stream on `reply`. Where the server checks answers, an event its contract does
 * not describe is not sent: the stream ends and the mismatch is logged as the server's defect.
 */
function sendEvents<C extends RouteContract>(
  app: FastifyInstance,
  contract: C,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: EventStream<EventOf<C>>,
): FastifyReply {
  const { events } = contract;
  if (events === undefined)
    throw new Error(`${contract.method} ${contract.path} streams events but its contract names none`);
  const stream = new PassThrough();
  const response = reply.raw;
  const finished = new Promise<void>((resolve) => {
    response.once('finish', resolve);
    response.once('close', resolve);
  });
  let ended = false;
  let undo: () => void = () => undefined;
  const end = (): Promise<void> => {
    if (ended) return finished;
    ended = true;
    undo();
    stream.end();
    return finished;
  };
  const sink: EventSink<EventOf<C>> = {
    event(event) {
      if (ended) return;
      if (app.checkAnswers) {
        try {
          checkAgainst(contract, 'event', events, event);
        } catch (mismatch) {
          request.log.error({ err: mismatch }, 'an event does not match its contract');
          void end();
          return;
        }
      }
      stream.write(`data: ${JSON.stringify(event)}\n\n`);
    },
    comment(text) {
      if (!ended) stream.write(`: ${text}\n\n`);
    },
    end,
  };
  stream.on('close', () => void end());
  stream.write(`retry: ${answer.retryMs}\n: connected\n\n`);
  const started = answer.start(sink);
  // a stream that ended while it started (an event refused) undoes what it started at once
  if (ended) started();
  else undo = started;
  return (
    reply
      .type('text/event-stream; charset=utf-8')
      // nginx passes each event at once instead of buffering the stream
      .header('x-accel-buffering', 'no')
      .send(stream)
  );
}

/** The statuses whose refusal bodies `C` names. */
type RefusalStatus<C extends RouteContract> =
  C['refusals'] extends Readonly<Record<infer N, TSchema>> ? N & number : never;

/** What a project route's handler is handed. */
export interface ProjectRouteContext<C extends RouteContract, P = undefined> {
  /** what the route's `prepare` made of the request, before the transaction */
  prepared: P;
  /** the route's transaction (the database itself for a route of transaction `none`) */
  tx: Queryable;
  /** the caller's current membership of the project, allowed the route's action */
  me: Membership;
  /** the route's `:projectId` */
  projectId: string;
  params: ParamsOf<C>;
  query: QueryOf<C>;
  body: BodyOf<C>;
  /** the request, for its log and its person (access.ts `personOf`) */
  request: ContractRequest<C>;
  /** the server's clock */
  clock: () => number;
  /** records `kind` in the project's chain of the audit log, in {@link tx}, by the caller, now */
  audit(kind: ServerAuditKind, detail?: Record<string, string>): Promise<ServerAuditEntry>;
  /**
   * records a refused attempt of `kind` in {@link tx}, by the caller, now, folded with its repeats
   * (refusalFolds.ts): return the refusal with {@link refusedAfterCommit}, so it is not recorded twice
   */
  refused(kind: ServerAuditKind, detail: Record<string, string>): Promise<ServerAuditEntry | undefined>;
  /** a refusal with the body the contract names for `status`, for the handler to return */
  refuse<N extends RefusalStatus<C>>(status: N, body: RefusalOf<C, N>): Refused;
  /** the answer `finish` makes once the transaction has committed, for the handler to return */
  afterCommit(finish: () => Promise<AnswerOf<C>>): AfterCommit<AnswerOf<C>>;
  /**
   * an answer that stays open, of the events the contract names, for the handler to return (a
   * route of transaction `none`: a stream never holds a transaction)
   */
  stream(start: (sink: EventSink<EventOf<C>>) => () => void, retryMs: number): EventStream<EventOf<C>>;
}

/** A project route as its file declares it. */
export interface ProjectRoute<C extends RouteContract, P = undefined> {
  contract: C;
  /** the role × action table's action the caller's role must allow, or how the request names it */
  action: ProjectAction | ((request: ContractRequest<C>) => ProjectAction);
  transaction: RouteTransaction;
  /**
   * checks of the request alone (a body's format, its size), run before the transaction and the
   * membership check, so their refusals come first; what it returns is the handler's `prepared`
   */
  prepare?: (request: ContractRequest<C>) => P;
  handler: (
    context: ProjectRouteContext<C, P>,
  ) => Promise<AnswerOf<C> | Refused | AfterCommit<AnswerOf<C>> | EventStream<EventOf<C>>>;
  /** the route's fastify config */
  config?: FastifyContextConfig;
  /**
   * a route whose refusals are evidence (an attempt on a decision, a signature, a key or a role):
   * each refusal is recorded in the project's log, by the caller, with the route's ids and what
   * `target` names of the request (never record content), its `prepare` step's too when the
   * caller is a member
   */
  refusalsRecorded?: {
    about: RefusedSubject;
    target?: (request: ContractRequest<C>) => Record<string, string>;
  };
}

/** What the runner of project routes needs of the server. */
export interface RouteServices {
  db: Database;
  /** milliseconds since the epoch */
  clock: () => number;
}

/**
 * Registers `route` on `app`: fastify validates the request against the contract; the runner then
 * opens the route's transaction, checks the caller may do the route's action on the project,
 * runs the handler, and sends its answer or its refusal once.
 */
export function serveProjectRoute<C extends RouteContract & { params: TSchema }, P = undefined>(
  app: FastifyInstance,
  services: RouteServices,
  route: ProjectRoute<C, P>,
): void {
  const { contract } = route;
  const { db, clock } = services;
  const run = async (tx: Queryable, request: ContractRequest<C>, prepared: P) => {
    const projectId = (request.params as { projectId?: unknown }).projectId;
    if (typeof projectId !== 'string')
      throw new Error(
        `${contract.method} ${contract.path} is served as a project's route but has no :projectId`,
      );
    const action = typeof route.action === 'function' ? route.action(request) : route.action;
    const me = await requireAction(tx, request, projectId, action, clock(), route.transaction === 'change');
    return route.handler({
      prepared,
      tx,
      me,
      projectId,
      params: request.params as ParamsOf<C>,
      query: request.query as QueryOf<C>,
      body: request.body as BodyOf<C>,
      request,
      clock,
      audit: (kind, detail = {}) => projectAudit(tx, request, clock(), kind, detail, projectId),
      refused: (kind, detail) =>
        appendRefusal(tx, {
          at: clock(),
          kind,
          actor: actorOf(request),
          detail: { ...detail, project: projectId, ...evidenceOf(request) },
        }),
      refuse: (status, body) => new Refused(status, body as { error: string }),
      afterCommit: (finish) => new AfterCommit(finish),
      stream: (start, retryMs) => {
        if (route.transaction !== 'none')
          throw new Error(`${contract.method} ${contract.path} streams its answer but holds a transaction`);
        return new EventStream(start, retryMs);
      },
    });
  };
  const about = route.refusalsRecorded?.about;
  const config = about === undefined ? route.config : { ...route.config, refusalsAbout: about };
  app.route({
    method: contract.method,
    url: contract.path,
    schema: requestSchemas(contract),
    ...(config === undefined ? {} : { config }),
    // a route whose refusals are evidence hears its schema's refusal, to record it before sending it
    attachValidation: about !== undefined,
    handler: async (request, reply) => {
      const typed = request as ContractRequest<C>;
      if (request.validationError !== undefined) {
        const words = request.validationError.message;
        await recordRefusedBeforeRoute(db, clock(), request, { reason: 'not-valid', words });
        throw request.validationError;
      }
      let prepared: P;
      try {
        prepared = route.prepare === undefined ? (undefined as P) : route.prepare(typed);
      } catch (error) {
        // the request's own checks ran before the membership: recorded only for a member
        if (error instanceof ProjectRefusal)
          await recordRefusal(db, clock(), route as ProjectRoute<C, unknown>, typed, error, true);
        throw error;
      }
      let outcome: Awaited<ReturnType<typeof run>>;
      try {
        outcome = await finished(
          route.transaction === 'none'
            ? await run(db, typed, prepared)
            : await db.transaction((tx) => run(tx, typed, prepared)),
        );
      } catch (error) {
        if (error instanceof ProjectRefusal)
          await recordRefusal(db, clock(), route as ProjectRoute<C, unknown>, typed, error);
        throw error;
      }
      if (outcome instanceof Refused) return sendRefused(app, contract, reply, outcome);
      if (outcome instanceof EventStream) return sendEvents(app, contract, request, reply, outcome);
      return sendAnswer(app, contract, reply, outcome as AnswerOf<C>);
    },
  });
}

/** What the handler of a route outside any project is handed. */
export interface ServerRouteContext<C extends RouteContract> {
  /** the route's transaction (the database itself for a route of transaction `none`) */
  tx: Queryable;
  params: ParamsOf<C>;
  query: QueryOf<C>;
  body: BodyOf<C>;
  /** the request, for its session, its cookies and its log */
  request: ContractRequest<C>;
  /** the reply's headers (a cookie to clear); the runner sends the answer */
  reply: Pick<FastifyReply, 'clearCookie' | 'header'>;
  /** the server's clock */
  clock: () => number;
  /** the answer `finish` makes once the transaction has committed, for the handler to return */
  afterCommit(finish: () => Promise<AnswerOf<C>>): AfterCommit<AnswerOf<C>>;
  /** a refusal with the body the contract names for `status` (the health check's 503), for the handler to return */
  refuse<N extends RefusalStatus<C>>(status: N, body: RefusalOf<C, N>): Refused;
}

/** A route outside any project (the session, the server's health and keys, a project's creation). */
export interface ServerRoute<C extends RouteContract> {
  contract: C;
  /**
   * `none` asks the database directly; `change` runs in one transaction, so a change and its
   * audit entry commit together or not at all
   */
  transaction: 'none' | 'change';
  // not a place C is inferred from: the contract fixes C, and the handler's answer (its literals)
  // is then typed by it
  handler: NoInfer<
    (context: ServerRouteContext<C>) => Promise<AnswerOf<C> | AfterCommit<AnswerOf<C>> | Refused>
  >;
  /** the route's fastify config (a public route's own rate limit) */
  config?: FastifyContextConfig;
}

/**
 * Registers `route` on `app`: fastify validates the request against the contract (the session
 * was checked before routing, where the route is not public); the runner opens the route's
 * transaction, runs the handler, and sends its answer once.
 */
export function serveServerRoute<C extends RouteContract>(
  app: FastifyInstance,
  services: RouteServices,
  route: ServerRoute<C>,
): void {
  const { contract } = route;
  const { db, clock } = services;
  app.route({
    method: contract.method,
    url: contract.path,
    schema: requestSchemas(contract),
    ...(route.config === undefined ? {} : { config: route.config }),
    handler: async (request, reply) => {
      const typed = request as ContractRequest<C>;
      const run = (tx: Queryable) =>
        route.handler({
          tx,
          params: typed.params as ParamsOf<C>,
          query: typed.query as QueryOf<C>,
          body: typed.body as BodyOf<C>,
          request: typed,
          reply,
          clock,
          afterCommit: (finish) => new AfterCommit(finish),
          refuse: (status, body) => new Refused(status, body as { error: string }),
        });
      const answer = await finished(route.transaction === 'none' ? await run(db) : await db.transaction(run));
      if (answer instanceof Refused) return sendRefused(app, contract, reply, answer);
      return sendAnswer(app, contract, reply, answer);
    },
  });
}
