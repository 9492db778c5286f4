import type { Request, Response } from 'express';
import { errorMap, FieldError, InputInvalidException, INVALID_INPUT_MESSAGE } from './validation';

/** Sets a one-time message shown at the top of the next page. */
export function flash(req: Request, message: string) {
  req.session.flash = message;
}

/**
 * Runs a form submission. On bad input the same page is drawn again with status 400, the user's
 * input kept and each message next to its field; on success the browser is redirected (303) so a
 * refresh does not submit twice.
 */
export async function handleForm(
  res: Response,
  view: string,
  model: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  values: Record<string, unknown>,
  action: () => Promise<string>,
  preErrors: FieldError[] = [],
): Promise<void> {
  try {
    if (preErrors.length) throw new InputInvalidException(preErrors);
    const to = await action();
    res.redirect(303, to);
  } catch (e) {
    if (e instanceof InputInvalidException) {
      res.status(400).render(view, { ...(await model()), values, errors: errorMap(e.fieldErrors), errorSummary: INVALID_INPUT_MESSAGE });
      return;
    }
    throw e;
  }
}
