import * as argon2 from 'argon2';

/**
 * argon2id, behind one object so that every check of a password goes through `verify` (and a
 * test can count the checks: an unknown user must cost one verify, as a known one does).
 */
const PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const passwords = {
  /**
   * OWASP's recommended cost (19 MiB, 2 passes, 1 lane): the library's default 64 MiB made every
   * sign-in the largest allocation of the server. Older hashes still verify (their parameters
   * are in the hash).
   */
  hash(password: string): Promise<string> {
    return argon2.hash(password, PARAMS);
  },
  /** Made with other parameters than hash() uses now (then its verify also costs otherwise). */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, { memoryCost: PARAMS.memoryCost, timeCost: PARAMS.timeCost, parallelism: PARAMS.parallelism });
    } catch {
      return false;
    }
  },
  /** False for a wrong password and for a hash that cannot be read. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};
