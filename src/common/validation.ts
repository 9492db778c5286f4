import { BadRequestException, ValidationError } from '@nestjs/common';
import { Transform, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

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
  const source = plain && typeof plain === 'object' && !Array.isArray(plain) ? plain : {};
  const value = plainToInstance(cls, source as object);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: strict, forbidUnknownValues: false });
  return { value, errors: toFieldErrors(errors) };
}

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
