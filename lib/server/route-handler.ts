/**
 * The API-route twin of defineAction: authenticate (API token or session
 * cookie), refuse cross-site cookie writes, check the permission, validate
 * params, query and body with their zod schemas, run the handler and answer
 * JSON. Every /api/v1 route is built with it, so authorisation lives here once.
 */
import type * as z from "zod";
import { SESSION_COOKIE } from "../auth/session-policy";
import { roleAllows, type Permission } from "./permissions";
import { getAppContext, type AppContext } from "./app-context";
import { authenticateApiToken, authenticateSession, type Caller } from "./authenticate";
import { apiError, issuesOfZodError, responseOfError } from "./api-errors";
import { isSafeMethod, isSameOriginRequest } from "./same-origin";

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export interface RouteContext<Params, Query, Body> {
  app: AppContext;
  caller: Caller;
  request: Request;
  params: Params;
  query: Query;
  body: Body;
  /**
   * Whether the request's credential still grants the permission in the
   * same team: a long-lived response (an event stream) asks this now and then
   * and ends once the member was removed, demoted or the token revoked.
   */
  stillAuthorised(): Promise<boolean>;
}

export interface RouteOptions<ParamsSchema, QuerySchema, BodySchema> {
  permission: Permission;
  params?: ParamsSchema;
  query?: QuerySchema;
  body?: BodySchema;
}

/** What Next passes as the second argument of a route handler. */
export interface RouteSegment {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = ((request: Request, segment: RouteSegment) => Promise<Response>) & {
  /** The same handler on a given app context; tests use it with their own database. */
  withApp(app: AppContext): (request: Request, segment: RouteSegment) => Promise<Response>;
};

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

type Authentication = { ok: true; caller: Caller } | { ok: false; response: Response };

async function authenticate(app: AppContext, request: Request): Promise<Authentication> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const [scheme, secret] = authorization.split(" ");
    const caller = scheme?.toLowerCase() === "bearer" && secret ? await authenticateApiToken(app.db.client, secret.trim()) : null;
    if (!caller) return { ok: false, response: apiError("unauthenticated", "The API token is invalid or revoked") };
    return { ok: true, caller };
  }
  const caller = await authenticateSession(app.db.client, readCookie(request.headers.get("cookie"), SESSION_COOKIE));
  if (!caller) {
    return { ok: false, response: apiError("unauthenticated", "Send an API token: Authorization: Bearer <token>") };
  }
  if (!isSafeMethod(request.method) && !isSameOriginRequest(request.headers)) {
    return { ok: false, response: apiError("cross_origin", "Cross-site requests may not change anything") };
  }
  return { ok: true, caller };
}

/** The largest JSON body a route reads; a plan of thousands of nodes is a few MB. */
export const MAX_JSON_BODY_BYTES = 8 * 1024 * 1024;

type BodyReading = { ok: true; value: unknown } | { ok: false; response: Response };

const isJsonContentType = (type: string | null) => type !== null && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());

/** Reads at most MAX_JSON_BODY_BYTES, whatever Content-Length claims, so a huge body never sits in memory. */
async function readBodyText(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JSON_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readJsonBody(request: Request): Promise<BodyReading> {
  const text = await readBodyText(request);
  if (text === null) {
    const limit = `${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB`;
    return {
      ok: false,
      response: apiError("payload_too_large", `The request body is larger than ${limit}`, [{ path: "", message: `At most ${limit}` }]),
    };
  }
  if (!text.trim()) return { ok: true, value: undefined };
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return { ok: false, response: apiError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json") };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: apiError("validation", "The request body is not valid JSON", [{ path: "", message: "Invalid JSON" }]) };
  }
}

/**
 * @example
 * export const GET = defineRoute({ permission: "plan:read", params: z.object({ planId: z.string() }) },
 *   async ({ app, caller, params }) => getPlan(app.db.client, caller.teamId, params.planId));
 */
export function defineRoute<
  ParamsSchema extends z.ZodType | undefined = undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
  BodySchema extends z.ZodType | undefined = undefined,
>(
  options: RouteOptions<ParamsSchema, QuerySchema, BodySchema>,
  handler: (context: RouteContext<Parsed<ParamsSchema>, Parsed<QuerySchema>, Parsed<BodySchema>>) => Promise<unknown>,
): RouteHandler {
  const run = async (app: AppContext, request: Request, segment: RouteSegment): Promise<Response> => {
    try {
      const authentication = await authenticate(app, request);
      if (!authentication.ok) return authentication.response;
      const { caller } = authentication;
      if (!roleAllows(caller.role, options.permission)) {
        return apiError("forbidden", `Your role (${caller.role}) may not do this (needs ${options.permission})`);
      }
      const params = options.params ? options.params.safeParse(await segment.params) : undefined;
      // A malformed id is just an id that does not exist.
      if (params && !params.success) return apiError("not_found", "Not found");
      const url = new URL(request.url);
      const query = options.query ? options.query.safeParse(Object.fromEntries(url.searchParams)) : undefined;
      if (query && !query.success) return apiError("validation", "Some query parameters are invalid", issuesOfZodError(query.error));
      let body: { success: true; data: unknown } | z.ZodSafeParseResult<unknown> | undefined;
      if (options.body) {
        const raw = await readJsonBody(request);
        if (!raw.ok) return raw.response;
        body = options.body.safeParse(raw.value);
        if (!body.success) return apiError("validation", "Some fields are invalid", issuesOfZodError(body.error));
      }
      const stillAuthorised = async () => {
        const again = await authenticate(app, request);
        return (
          again.ok &&
          again.caller.userId === caller.userId &&
          again.caller.teamId === caller.teamId &&
          roleAllows(again.caller.role, options.permission)
        );
      };
      const result = await handler({
        app,
        caller,
        request,
        stillAuthorised,
        params: params?.data as Parsed<ParamsSchema>,
        query: query?.data as Parsed<QuerySchema>,
        body: body?.data as Parsed<BodySchema>,
      });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return responseOfError(error);
    }
  };
  const route = (async (request: Request, segment: RouteSegment) => run(await getAppContext(), request, segment)) as RouteHandler;
  route.withApp = (app) => (request, segment) => run(app, request, segment);
  return route;
}
