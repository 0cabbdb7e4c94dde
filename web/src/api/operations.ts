import type { paths } from './schema.gen';

// What the server's own document (schema.gen.ts, from /openapi.json) says each path takes and
// answers, as types: `contract.ts` checks every call against them, and `types.ts` names answers with
// no component of their own. Types only, so server-side tests may import what imports this.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ApiPath = keyof paths;

/** The documented paths that answer `M`. */
export type PathOf<M extends Method> = { [P in ApiPath]: M extends keyof paths[P] ? P : never }[ApiPath];

type Operation<P extends ApiPath, M extends Method> = M extends keyof paths[P] ? paths[P][M] : never;
type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type SuccessOf<R> = {
  [S in keyof R]: S extends 204 ? null : S extends 200 | 201 | 202 ? Json<R[S]> : never;
}[keyof R];

/** What a 2xx answer of `M path` carries (null for a 204). */
export type AnswerOf<P extends ApiPath, M extends Method> = Operation<P, M> extends { responses: infer R }
  ? SuccessOf<R>
  : never;

/** The JSON body `M path` takes. */
export type BodyOf<P extends ApiPath, M extends Method> = JsonBody<Operation<P, M>>;
type JsonBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

type ParametersOf<O> = O extends { parameters: infer A } ? A : Record<never, never>;

/** `{ name: T }` when `key` must be sent, `{ name?: T }` when it may be, `{ name?: never }` when it is not documented. */
type Part<Holder, Key extends string, Name extends string, T> = Key extends keyof Holder
  ? Record<never, never> extends Pick<Holder, Key>
    ? { [N in Name]?: T }
    : { [N in Name]: T }
  : { [N in Name]?: never };

/** The path parameters, query and body of `M path`, each required only when the document says so. */
export type RequestOf<P extends ApiPath, M extends Method> = RequestParts<
  Operation<P, M>,
  ParametersOf<Operation<P, M>>
>;
type RequestParts<O, A> = Part<A, 'path', 'path', A[keyof A & 'path']> &
  Part<A, 'query', 'query', A[keyof A & 'query']> &
  Part<O, 'requestBody', 'body', JsonBody<O>>;

/** The query parameters of `M path`. */
export type QueryOf<P extends ApiPath, M extends Method> = NonNullable<RequestOf<P, M>['query']>;

/** The request may be left out when nothing in it is required. */
export type RequestArgs<P extends ApiPath, M extends Method> = Record<never, never> extends RequestOf<P, M>
  ? [request?: RequestOf<P, M>]
  : [request: RequestOf<P, M>];
