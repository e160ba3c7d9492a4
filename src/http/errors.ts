import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../app/ports.ts';

/**
 * Every answer the server gives on a failure is JSON: a bot platform or the playground reads it, and
 * Express's own HTML page would put a stack trace in front of whoever sent the request.
 */
export interface ErrorBody {
  error: { code: string; message: string };
  card?: Record<string, unknown>;
}

/** The localised error card for a request, when the integrator can tell whose request it is. */
export type ErrorCardFor = (req: Request) => { card: Record<string, unknown>; text: string } | undefined;

export interface ErrorHandlerDeps {
  logger: Logger;
  errorCard: ErrorCardFor;
}

interface BodyFailure {
  status: number;
  code: string;
  message: string;
}

// Fixed messages, never the parser's own: a JSON.parse message quotes the body, which is personal data.
const BODY_FAILURES: Record<string, BodyFailure> = {
  'entity.parse.failed': { status: 400, code: 'badJson', message: 'The body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'tooLarge', message: 'The body is too large.' },
  'parameters.too.many': { status: 413, code: 'tooLarge', message: 'The body has too many parameters.' },
  'charset.unsupported': { status: 415, code: 'unsupportedCharset', message: 'The body must be UTF-8.' },
  'encoding.unsupported': { status: 415, code: 'unsupportedEncoding', message: 'The content encoding is not supported.' },
  'request.size.invalid': { status: 400, code: 'badLength', message: 'The body does not match its Content-Length.' },
  'request.aborted': { status: 400, code: 'aborted', message: 'The request was aborted.' },
  'entity.verify.failed': { status: 403, code: 'unverified', message: 'The body could not be verified.' },
};

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again shortly.';

/** The body parser's failures carry a `type`; anything else is a fault of ours. */
function bodyFailure(err: unknown): (BodyFailure & { type: string }) | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err) || typeof err.type !== 'string') return undefined;
  const known = Object.hasOwn(BODY_FAILURES, err.type) ? BODY_FAILURES[err.type] : undefined;
  return known && { ...known, type: err.type };
}

// The path without its query: a query string can carry ids and tokens that do not belong in a log.
const pathOf = (req: Request) => (req.originalUrl || req.url).split('?')[0] ?? '/';

function answerBodyFailure(logger: Logger | undefined, req: Request, res: Response, failure: BodyFailure & { type: string }) {
  logger?.warn({ method: req.method, path: pathOf(req), type: failure.type }, 'request body rejected');
  const body: ErrorBody = { error: { code: failure.code, message: failure.message } };
  res.status(failure.status).json(body);
}

/**
 * `express.json` for one route, with its failures answered as JSON. Mounted per route, not on the
 * app, because Slack's signature check needs its route's raw body. Pass the logger: without it a
 * rejected body is still answered, but nobody hears of it.
 */
export function jsonBody(limit: string | number = '100kb', logger?: Logger): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      const failure = err === undefined ? undefined : bodyFailure(err);
      if (failure) answerBodyFailure(logger, req, res, failure);
      else next(err);
    });
  };
}

/** The answer for a route nobody serves; without it Express sends an HTML page. */
export function notFound(): RequestHandler {
  return (_req, res) => {
    const body: ErrorBody = { error: { code: 'notFound', message: 'There is nothing at this address.' } };
    res.status(404).json(body);
  };
}

/**
 * The app's last middleware. A handler's exception (thrown, or a rejected promise under Express 5) is
 * logged and answered with the `internal` error card in the team's language, so the person sees why
 * nothing happened. The card is for a person, not a stack trace for an attacker.
 */
export function errorHandler({ logger, errorCard }: ErrorHandlerDeps): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // Half an answer is on the wire: only Express's default can still end it, by closing the connection.
    if (res.headersSent) {
      logger.error({ err, method: req.method, path: pathOf(req) }, 'request failed after the answer started');
      next(err);
      return;
    }
    // A body parser mounted without jsonBody still gets a JSON answer, not a 500.
    const failure = bodyFailure(err);
    if (failure) {
      answerBodyFailure(logger, req, res, failure);
      return;
    }
    logger.error({ err, method: req.method, path: pathOf(req) }, 'request failed');
    const rendered = cardFor(errorCard, req, logger);
    const body: ErrorBody = { error: { code: 'internal', message: rendered?.text ?? INTERNAL_MESSAGE } };
    if (rendered) body.card = rendered.card;
    res.status(500).json(body);
  };
}

// The error path must not fail in turn: a card that cannot be rendered leaves the plain JSON answer.
function cardFor(errorCard: ErrorCardFor, req: Request, logger: Logger) {
  try {
    return errorCard(req);
  } catch (err) {
    logger.error({ err, path: pathOf(req) }, 'error card could not be rendered');
    return undefined;
  }
}
