import type { NextFunction, Request, Response } from 'express';
import { FieldError, INVALID_INPUT_MESSAGE } from './validation';

/**
 * Deepest nesting a body or query may have. The deepest DTO nests two levels; 32 leaves room and
 * stops a 20,000-deep body before class-transformer and class-validator recurse into it (they
 * overflow the stack: a 500 instead of an answer).
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Keys that reach an object's prototype when copied by assignment (prototype pollution). No
 * field of ours has these names, so they are refused by name, wherever they are nested.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const DEPTH_MESSAGE = `内容嵌套层数过多（上限${MAX_INPUT_DEPTH}层）`;
export const NOT_AN_OBJECT_MESSAGE = '请求内容应为 JSON 对象，例如 {"note": "…"}';

/**
 * Problems in the shape of parsed input: nesting deeper than MAX_INPUT_DEPTH and forbidden keys,
 * each with its path (`reporter.__proto__`). Walks with its own stack, so no input can make this
 * check overflow the call stack.
 */
export function structureProblems(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length && errors.length < 10) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({ field: path.split('.')[0] || root, message: DEPTH_MESSAGE });
      break;
    }
    for (const key of Object.keys(v)) {
      const child = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) errors.push({ field: child, message: `不支持的字段：${key}` });
      else stack.push({ v: (v as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return errors;
}

function isJsonBody(req: Request): boolean {
  return !!req.is('application/json') || !!req.is('+json');
}

/** The 400 for input refused before any route sees it: JSON for the API, a page for people. */
export function sendInputInvalid(req: Request, res: Response, errors: FieldError[], api: boolean): void {
  res.status(400);
  if (api) {
    res.json({ message: INVALID_INPUT_MESSAGE, errors });
    return;
  }
  res.render('errors/error', { title: '出错了', status: 400, message: `${INVALID_INPUT_MESSAGE}：${errors.map((e) => e.message).join('；')}` });
}

/**
 * Runs after the body parsers and before sessions, CSRF and every route: refuses too-deep input,
 * prototype keys in a body or query string, and a JSON body that is not an object (every route
 * that takes a body takes an object; an array used to be read as {} and an action without
 * fields went ahead). Nothing has been read or written when this answers.
 */
export function requestGuard(isApi: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const errors = [...structureProblems(req.body, 'body'), ...structureProblems(req.query, 'query')];
    if (!errors.length && req.body !== undefined && isJsonBody(req) && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
      errors.push({ field: 'body', message: NOT_AN_OBJECT_MESSAGE });
    }
    if (errors.length) return sendInputInvalid(req, res, errors, isApi(req));
    next();
  };
}
