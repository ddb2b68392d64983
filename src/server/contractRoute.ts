/**
 * A route registered from its contract (src/core/teamApi): the method, path and request schemas
 * come from the one place the browser is typed from, and the handler's request and answer are
 * typed by them. fastify validates params, query and body before the handler runs; a refusal
 * reads as before (`{ "error": "body/baseVersion must be integer" }`, through app.ts's error
 * handler), because the schemas are the same JSON Schema its ajv always checked.
 *
 * Constraint: the answer schema types the handler; it is not given to fastify as a response
 * schema, whose serializer would silently drop any field the schema does not name.
 */
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AnswerOf, BodyOf, ParamsOf, QueryOf, RouteContract } from '../core/teamApi/index.ts';

/** The request a contract's handler gets: its params, query and body as the contract types them. */
export type ContractRequest<C extends RouteContract> = FastifyRequest<{
  Params: ParamsOf<C>;
  Querystring: QueryOf<C>;
  Body: BodyOf<C>;
}>;

/**
 * A contract's handler: it answers the contract's success (sent with the contract's status), or
 * sends a refusal itself and returns the reply. Refusals without a body of their own are thrown
 * (`ProjectRefusal`), as in every route.
 */
type ContractHandler<C extends RouteContract> = (
  request: ContractRequest<C>,
  reply: FastifyReply,
) => Promise<AnswerOf<C> | FastifyReply>;

/** What a route sets for the server beyond its contract (a public route's own rate limit). */
interface ServeOptions {
  /** the route's fastify config (`{ rateLimit: { max, timeWindow } }`) */
  config?: FastifyContextConfig;
}

/** Registers `handler` on `app` as the route `contract` describes, with `options` for the server. */
export function serveRoute<C extends RouteContract>(
  app: FastifyInstance,
  contract: C,
  handler: NoInfer<ContractHandler<C>>,
  options: ServeOptions = {},
): void {
  const schema = {
    ...(contract.params === undefined ? {} : { params: contract.params }),
    ...(contract.query === undefined ? {} : { querystring: contract.query }),
    ...(contract.body === undefined ? {} : { body: contract.body }),
  };
  app.route({
    method: contract.method,
    url: contract.path,
    schema,
    ...(options.config === undefined ? {} : { config: options.config }),
    handler: async (request, reply) => {
      const answer = await handler(request as ContractRequest<C>, reply);
      // a handler that sent a refusal returned the reply, which is thenable: awaiting it waited
      // for the refusal to be sent, so the answer is not the reply itself but `undefined`
      if (reply.sent) return reply;
      if (contract.status === 204) return reply.code(204).send();
      return reply.code(contract.status ?? 200).send(answer);
    },
  });
}
