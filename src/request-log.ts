import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { onEveryStatement } from './db/statement-hook';
import type { Logger } from 'pino';
import { logger as processLogger } from './logger';

/** What the server knows about the HTTP request being handled, wherever its code runs. */
export interface RequestState {
  /** X-Request-Id: the client's, when it is a short safe token, else made up here. */
  id: string;
  /** The logger to use while handling it: every line carries `requestId`. */
  log: Logger;
  /** SQL statements sent to PostgreSQL on its behalf. */
  statements: number;
  operationName?: string;
  /** The GraphQL operation, once Apollo has resolved it (the response cache spots mutations by it). */
  operation?: OperationDefinitionNode;
  /** What the response cache did with the request, when it is on (response-cache.ts). */
  cache?: 'hit' | 'miss' | 'bypass';
  /** `extensions.code` of the GraphQL errors in its response, if any. */
  errorCodes?: string[];
  /** Log its line at debug rather than info: a request repeated every few seconds by a machine (metrics scrapes). */
  quiet?: boolean;
  /** What its answer read, when the response cache may keep the answer (read-tags.ts). */
  reads?: ReadLog;
}

/** What a request read: tags of rows and lists, and how many statements went through the read path. */
export interface ReadLog {
  tags: Set<string>;
  statements: number;
}

const requests = new AsyncLocalStorage<RequestState>();

/** The request being handled, or undefined outside HTTP (jobs, `executeOperation` in tests). */
export function currentRequest(): RequestState | undefined {
  return requests.getStore();
}

let counting = false;

/**
 * Counts statements per request: the count goes to the request whose async context sent the
 * statement (DataLoader batches keep the context of the request that scheduled them).
 */
export function countStatementsPerRequest(): void {
  if (counting) return;
  counting = true;
  onEveryStatement(() => {
    const state = requests.getStore();
    if (state) state.statements += 1;
  });
}

/** What the request log writes about a finished request: its line's fields. */
export interface RequestSummary {
  method: string;
  /** The full path, never the query string. */
  path: string;
  /** 499 when the client went away before the response was sent. */
  status: number;
  durationMs: number;
  operationName: string | undefined;
  cache: RequestState['cache'];
  sqlStatements: number;
  outcome: 'ok' | 'refused' | 'error' | 'aborted';
  errorCodes: string[] | undefined;
}

/** A client's request id is kept only if it cannot break a log line or a header. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Express middleware, first in the chain: gives the request an id (echoed in `X-Request-Id`),
 * runs the rest of the chain inside its RequestState, and writes one log line when the response
 * is done: id, method, path (never the query string, which may hold tokens), status, duration,
 * GraphQL operation, statement count and outcome. Headers, bodies and variables are never logged:
 * they carry passwords and tokens. `onDone` gets the same account of every request (metrics.ts).
 */
export function requestLogging(log: Logger = processLogger, onDone?: (req: Request, request: RequestSummary) => void) {
  countStatementsPerRequest();
  return (req: Request, res: Response, next: NextFunction) => {
    const sent = req.get('x-request-id');
    const id = sent && SAFE_ID.test(sent) ? sent : randomUUID();
    const state: RequestState = { id, log: log.child({ requestId: id }), statements: 0 };
    const started = process.hrtime.bigint();
    const path = req.path; // the full path here, before any router strips its prefix
    res.set('X-Request-Id', id);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
      const outcome = status >= 500 ? 'error' : status === 499 ? 'aborted' : status >= 400 || state.errorCodes?.length ? 'refused' : 'ok';
      const line: RequestSummary = {
        method: req.method,
        path,
        status,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        operationName: state.operationName,
        cache: state.cache,
        sqlStatements: state.statements,
        outcome,
        errorCodes: state.errorCodes,
      };
      state.log[status >= 500 ? 'error' : state.quiet ? 'debug' : 'info'](line, 'request');
      onDone?.(req, line);
    };
    res.once('finish', done);
    res.once('close', done);
    requests.run(state, next);
  };
}

/** Tells the request log which operation ran and which error codes it answered with. */
export function requestLogPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation }) {
          const state = currentRequest();
          if (state) state.operation = operation;
          if (state && operationName) state.operationName = operationName;
        },
        async willSendResponse({ response }) {
          const state = currentRequest();
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (state && errors?.length)
            state.errorCodes = errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN'));
        },
      };
    },
  };
}
