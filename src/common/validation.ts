import { BadRequestException, ValidationError } from '@nestjs/common';
import { Transform, plainToInstance } from 'class-transformer';
import { validateSync, ValidateBy, ValidationOptions } from 'class-validator';

export interface FieldError {
  field: string;
  message: string;
}

export const INVALID_INPUT_MESSAGE = '提交的内容有误，请按提示修改';

/** 400 with `{ message, errors: [{ field, message }] }`, the API's error shape. */
export class InputInvalidException extends BadRequestException {
  constructor(
    public readonly fieldErrors: FieldError[],
    message = INVALID_INPUT_MESSAGE,
  ) {
    super({ message, errors: fieldErrors });
  }
}

/** One message per field (the first that failed), in the DTO's field order. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      const keys = Object.keys(e.constraints);
      const message = keys.includes('whitelistValidation') ? `不支持的字段：${e.property}` : e.constraints[keys[keys.length - 1]];
      out.push({ field, message });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, field));
  }
  return out;
}

export function validationExceptionFactory(errors: ValidationError[]) {
  return new InputInvalidException(toFieldErrors(errors));
}

/**
 * Validates a plain object (a form body) against a DTO class. Forms keep unknown fields out
 * silently (the CSRF token, buttons); the API refuses them through the global pipe.
 */
export function validateInput<T extends object>(cls: new () => T, plain: unknown, strict = false): { value: T; errors: FieldError[] } {
  // No body at all is an empty form; an array, a string or a number is not a form of ours and
  // is refused, never read as {} (an action that needs no fields would go ahead).
  if (plain !== undefined && plain !== null && (typeof plain !== 'object' || Array.isArray(plain))) {
    return { value: plainToInstance(cls, {}), errors: [{ field: 'body', message: '请求内容应为对象' }] };
  }
  const value = plainToInstance(cls, (plain ?? {}) as object);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: strict, forbidUnknownValues: false });
  return { value, errors: toFieldErrors(errors) };
}

/**
 * The query string of a GET route, against its DTO. The API refuses unknown parameters too
 * (strict); pages ignore them (a bookmarked link may carry old ones) but not a bad value. A bad
 * value is never dropped silently: the API answers 400 with field errors, a page 400 with the
 * message next to the field and no results drawn from a filter the user did not ask for.
 */
export function checkQuery<T extends object>(cls: new () => T, raw: unknown, api: boolean): { value: T; errors: FieldError[] } {
  const r = validateInput(cls, raw, api);
  if (api && r.errors.length) throw new InputInvalidException(r.errors);
  return r;
}

/** Shown above a page's filters when a query value was refused. */
export const QUERY_INVALID_MESSAGE = '查询条件有误，请按提示修改';

export function errorMap(errors: FieldError[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of errors) if (!(e.field in map)) map[e.field] = e.message;
  return map;
}

/** Trims strings; an empty string becomes undefined, so "not filled in" is one thing. */
export const Trim = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const t = value.trim();
    return t === '' ? undefined : t;
  });

/** "12" → 12; leaves anything unparseable for @IsInt to refuse. */
export const ToInt = () =>
  Transform(({ value }) => {
    if (value === '' || value === null || value === undefined) return undefined;
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    return value;
  });

/** A checkbox group sends nothing, one string, or several: always an array. */
export const ToArray = () =>
  Transform(({ value }) => {
    if (value === undefined || value === null || value === '') return [];
    return Array.isArray(value) ? value : [value];
  });

/** A checkbox ("on") or a JSON boolean: true/false; anything else is left for @IsBoolean to refuse. */
export const ToBool = () =>
  Transform(({ value }) => {
    if (value === undefined || value === null || value === '') return undefined;
    if (value === true || value === 'on' || value === '1' || value === 'true') return true;
    if (value === false || value === '0' || value === 'false') return false;
    return value;
  });

function isRealYmd(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** A calendar date that exists, as YYYY-MM-DD (2026-02-30 is refused). */
export const IsYmd = (message: string, options?: ValidationOptions) =>
  ValidateBy({ name: 'isYmd', validator: { validate: isRealYmd, defaultMessage: () => message } }, { message, ...options });

/** A month as YYYY-MM. */
export const IsYearMonth = (message: string, options?: ValidationOptions) =>
  ValidateBy({ name: 'isYearMonth', validator: { validate: (v: unknown) => typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v), defaultMessage: () => message } }, { message, ...options });
