/** The `code` of the error `fn` throws when it is an instance of `type`; undefined when it does not throw. */
export function codeOf(fn: () => unknown, type: abstract new (...args: never[]) => Error & { code: string }): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err.code;
    throw err;
  }
  return undefined;
}
