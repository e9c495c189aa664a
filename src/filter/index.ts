// RocketMQ 4.7.1 SQL92 message selector (MessageSelector.bySql): compile once
// per subscription, then evaluate against each message's properties (the
// message's property map, which includes TAGS, KEYS, user properties...).
//
//   const filter = compileSql92("TAGS IN ('TagA', 'TagB') AND a BETWEEN 0 AND 3");
//   filter.matches(new Map([['TAGS', 'TagA'], ['a', '2']]));   // true
//
// compileSql92 throws FilterSyntaxError for anything the Java broker refuses to
// compile. evaluate() returns true, false or null (unknown) and throws
// FilterEvaluationError where Java's evaluation throws; matches() is the
// broker's decision (ExpressionMessageFilter.isMatchedByCommitLog): only a
// true result matches, unknown and evaluation errors do not.

import { type Node, referencedProperties } from './ast';
import { FilterSyntaxError } from './errors';
import { compileNode, type Evaluator, type PropertyLookup } from './evaluator';
import { parseSelector } from './parser';

export { FilterEvaluationError, FilterSyntaxError } from './errors';
export type { FilterSyntaxErrorKind, SourcePosition } from './errors';

/** Longest accepted expression, in UTF-8 bytes. */
export const MAX_EXPRESSION_BYTES = 16 * 1024;
/** Deepest accepted nesting (parentheses, NOT/-/+ chains, depth of the expression tree). */
export const MAX_NESTING_DEPTH = 64;

export type PropertySource = ReadonlyMap<string, string> | ((name: string) => string | undefined);

export interface CompileOptions {
  /**
   * Java 4.7.1 stops parsing after the longest valid prefix and ignores the
   * rest of the text (e.g. `a = 1 LIKE 'x'` is compiled as `a = 1`). Set this
   * to accept exactly what Java accepts; by default trailing text is an error.
   */
  readonly ignoreTrailingInput?: boolean;
  readonly maxBytes?: number;
  readonly maxDepth?: number;
}

export interface CompiledFilter {
  /** The source text as given. */
  readonly expression: string;
  /** Property names the expression reads. */
  readonly properties: readonly string[];
  /** true / false / null (unknown); throws FilterEvaluationError where Java's evaluation throws. */
  evaluate(properties: PropertySource): boolean | null;
  /** True only when evaluate() returns true; unknown and evaluation errors do not match. */
  matches(properties: PropertySource): boolean;
}

export function compileSql92(expression: string, options: CompileOptions = {}): CompiledFilter {
  if (typeof expression !== 'string') {
    throw new FilterSyntaxError('The expression must be a string', 'syntax', null);
  }
  const maxBytes = options.maxBytes ?? MAX_EXPRESSION_BYTES;
  const bytes = Buffer.byteLength(expression, 'utf8');
  if (bytes > maxBytes) {
    throw new FilterSyntaxError(`Expression too long (${bytes} bytes, at most ${maxBytes})`, 'limit', null);
  }
  const root = parseSelector(expression, {
    ignoreTrailingInput: options.ignoreTrailingInput ?? false,
    maxDepth: options.maxDepth ?? MAX_NESTING_DEPTH,
  });
  return new Sql92Filter(expression, root);
}

class Sql92Filter implements CompiledFilter {
  readonly properties: readonly string[];
  private readonly run: Evaluator;

  constructor(
    readonly expression: string,
    root: Node,
  ) {
    this.properties = referencedProperties(root);
    this.run = compileNode(root);
  }

  evaluate(properties: PropertySource): boolean | null {
    return this.run(toLookup(properties)) as boolean | null;
  }

  matches(properties: PropertySource): boolean {
    try {
      return this.evaluate(properties) === true;
    } catch {
      return false;
    }
  }

  toString(): string {
    return this.expression;
  }
}

function toLookup(source: PropertySource): PropertyLookup {
  if (typeof source === 'function') return source;
  return (name) => source.get(name);
}
