// Errors raised by the SQL92 message-selector filter.
//
// FilterSyntaxError covers everything the Java broker reports as an
// MQFilterException when it compiles a subscription: lexical errors, grammar
// errors, and the semantic checks the Java expression factories make while the
// tree is built (e.g. `a > 'x'`, `a = NULL`, `1 IN ('a')`, `a BETWEEN 3 AND 1`),
// plus this implementation's own size limits.
//
// FilterEvaluationError is what evaluating a compiled filter against one
// message may raise (e.g. `a > 5` when a = 'abc'); the Java broker logs such
// an error and treats the message as not matching.

/** Where in the expression an error was found (JavaCC conventions: 1-based, tabs stop every 8 columns). */
export interface SourcePosition {
  /** 0-based UTF-16 offset into the expression. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type FilterSyntaxErrorKind = 'lexical' | 'syntax' | 'semantic' | 'limit';

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';

  constructor(
    /** The reason without position, e.g. `Encountered "LIKE"`. */
    readonly reason: string,
    readonly kind: FilterSyntaxErrorKind,
    readonly position: SourcePosition | null,
    readonly expected: readonly string[] = [],
  ) {
    super(formatMessage(reason, position, expected));
  }

  get line(): number | null {
    return this.position ? this.position.line : null;
  }

  get column(): number | null {
    return this.position ? this.position.column : null;
  }
}

export class FilterEvaluationError extends Error {
  override readonly name = 'FilterEvaluationError';
}

function formatMessage(reason: string, position: SourcePosition | null, expected: readonly string[]): string {
  let message = reason;
  if (position) message += ` at line ${position.line}, column ${position.column}`;
  message += '.';
  if (expected.length === 1) message += ` Was expecting: ${expected[0]}.`;
  else if (expected.length > 1) message += ` Was expecting one of: ${expected.join(', ')}.`;
  return message;
}
