// Recursive-descent parser for RocketMQ 4.7.1's SQL92 message selector
// (SelectorParser.jj). Grammar, loosest binding first:
//
//   selector     := orExpr EOF                       (see `ignoreTrailingInput`)
//   orExpr       := andExpr ( OR andExpr )*
//   andExpr      := equality ( AND equality )*
//   equality     := comparison ( "=" comparison | "<>" comparison
//                              | IS NULL | IS NOT NULL )*
//   comparison   := unary ( ">" unary | ">=" unary | "<" unary | "<=" unary
//                         | BETWEEN unary AND unary | NOT BETWEEN unary AND unary
//                         | IN "(" STRING ( "," STRING )* ")"
//                         | NOT IN "(" STRING ( "," STRING )* ")" )*
//   unary        := "+" unary | "-" unary | NOT unary | primary
//   primary      := literal | ID | "(" orExpr ")"
//   literal      := STRING | DECIMAL | FLOAT | TRUE | FALSE | NULL
//
// Consequences worth knowing (all as in Java 4.7.1):
//   * NOT binds tighter than comparisons: `NOT a = 1` means `(NOT a) = 1`, and
//     `NOT a > 1` is rejected because a condition cannot be ordered.
//   * There is no LIKE, no arithmetic besides unary +/-, no "!=", no "==".
//   * IN lists hold string literals only, and the tested value must be a property.
//   * Java's grammar has no EOF at the end: the Java parser stops after the
//     longest valid prefix and silently ignores the rest (`a = 1 b`, `a + 1 > 2`
//     and `a = 1 -- note` without a line break are accepted as `a = 1`, `a`,
//     `a = 1`). By default this parser rejects such trailing input;
//     `ignoreTrailingInput` reproduces the Java behaviour exactly.

import type { Node } from './ast';
import { NodeBuilder } from './builders';
import { FilterSyntaxError } from './errors';
import { decodeStringLiteral, Lexer, type Token, type TokenKind } from './lexer';

export interface ParseOptions {
  /** Stop after the longest valid prefix and ignore the rest, like Java 4.7.1. Default false. */
  readonly ignoreTrailingInput?: boolean;
  /** Maximum nesting of the tree (parentheses, unary operators, operator chains). */
  readonly maxDepth: number;
}

const UNARY_START = ['NOT', 'TRUE', 'FALSE', 'NULL', 'DECIMAL', 'FLOAT', 'STRING', 'ID', '(', '+', '-'];
const AFTER_OPERAND = ['=', '<>', 'IS', '>', '>=', '<', '<=', 'BETWEEN', 'NOT', 'IN', 'AND', 'OR'];

export function parseSelector(src: string, options: ParseOptions): Node {
  return new Parser(src, options).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private readonly build: NodeBuilder;
  private readonly lookahead: Token[] = [];
  private nesting = 0;

  constructor(
    src: string,
    private readonly options: ParseOptions,
  ) {
    this.lexer = new Lexer(src);
    this.build = new NodeBuilder(src, options.maxDepth, (offset) => this.lexer.positionOf(offset));
  }

  parse(): Node {
    const root = this.orExpr();
    if (!this.options.ignoreTrailingInput && this.peek().kind !== 'EOF') {
      throw this.unexpected(this.peek(), ['<EOF>', ...AFTER_OPERAND]);
    }
    return this.build.asBoolean(root);
  }

  private orExpr(): Node {
    const terms = [this.andExpr()];
    while (this.peek().kind === 'OR') {
      this.advance();
      terms.push(this.andExpr());
    }
    return terms.length === 1 ? terms[0] : this.build.logic('Or', terms);
  }

  private andExpr(): Node {
    const terms = [this.equality()];
    while (this.peek().kind === 'AND') {
      this.advance();
      terms.push(this.equality());
    }
    return terms.length === 1 ? terms[0] : this.build.logic('And', terms);
  }

  private equality(): Node {
    let left = this.comparison();
    for (;;) {
      const op = this.peek();
      if (op.kind === '=' || op.kind === '<>') {
        this.advance();
        left = this.build.equal(left, this.comparison(), op.kind === '<>', op.offset);
      } else if (op.kind === 'IS') {
        this.advance();
        const negated = this.peek().kind !== 'NULL';
        if (negated) this.expect('NOT', ['NULL', 'NOT']);
        left = this.build.isNull(left, negated, this.expect('NULL', ['NULL']).end);
      } else {
        return left;
      }
    }
  }

  private comparison(): Node {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      switch (op.kind) {
        case '>':
        case '>=':
        case '<':
        case '<=':
          this.advance();
          left = this.build.ordering(op.kind, left, this.unary(), op.offset);
          break;
        case 'BETWEEN':
          this.advance();
          left = this.between(left, false, op.offset);
          break;
        case 'IN':
          this.advance();
          left = this.inList(left, false, op.offset);
          break;
        case 'NOT': {
          const next = this.peek(1).kind;
          if (next !== 'BETWEEN' && next !== 'IN') throw this.unexpected(op, ['NOT BETWEEN', 'NOT IN']);
          this.advance();
          this.advance();
          left = next === 'IN' ? this.inList(left, true, op.offset) : this.between(left, true, op.offset);
          break;
        }
        default:
          return left;
      }
    }
  }

  private between(value: Node, negated: boolean, opOffset: number): Node {
    const low = this.unary();
    this.expect('AND', ['AND']);
    const high = this.unary();
    return this.build.between(value, low, high, negated, opOffset);
  }

  private inList(left: Node, negated: boolean, opOffset: number): Node {
    this.expect('(', ['(']);
    const values = [decodeStringLiteral(this.expect('STRING', ['STRING']).image)];
    while (this.peek().kind === ',') {
      this.advance();
      values.push(decodeStringLiteral(this.expect('STRING', ['STRING']).image));
    }
    const close = this.expect(')', [',', ')']);
    return this.build.in(left, values, negated, close.end, opOffset);
  }

  private unary(): Node {
    const t = this.peek();
    if (t.kind !== '+' && t.kind !== '-' && t.kind !== 'NOT') return this.primary();
    this.advance();
    const operand = this.nested(t, () => this.unary());
    if (t.kind === '+') return operand;
    return t.kind === '-' ? this.build.negate(operand, t.offset) : this.build.not(operand, t.offset);
  }

  private primary(): Node {
    const t = this.advance();
    switch (t.kind) {
      case 'STRING':
        return this.build.constant(decodeStringLiteral(t.image), t.offset, t.end);
      case 'DECIMAL':
        return this.build.decimal(t.image, t.offset);
      case 'FLOAT':
        return this.build.float(t.image, t.offset);
      case 'TRUE':
      case 'FALSE':
        return this.build.constant(t.kind === 'TRUE', t.offset, t.end);
      case 'NULL':
        return this.build.constant(null, t.offset, t.end);
      case 'ID':
        return this.build.property(t.image, t.offset);
      case '(': {
        const inner = this.nested(t, () => this.orExpr());
        this.expect(')', [')', ...AFTER_OPERAND]);
        return inner;
      }
      default:
        throw this.unexpected(t, UNARY_START);
    }
  }

  /** Runs a recursive step one nesting level deeper, enforcing the depth limit. */
  private nested(at: Token, step: () => Node): Node {
    if (++this.nesting > this.options.maxDepth) throw this.build.tooDeep(at.offset);
    try {
      return step();
    } finally {
      this.nesting--;
    }
  }

  private peek(k = 0): Token {
    while (this.lookahead.length <= k) this.lookahead.push(this.lexer.next());
    return this.lookahead[k];
  }

  private advance(): Token {
    const t = this.peek();
    this.lookahead.shift();
    return t;
  }

  private expect(kind: TokenKind, expected: string[]): Token {
    const t = this.peek();
    if (t.kind !== kind) throw this.unexpected(t, expected);
    return this.advance();
  }

  private unexpected(t: Token, expected: string[]): FilterSyntaxError {
    const what = t.kind === 'EOF' ? '<EOF>' : `"${t.image}"`;
    const position = { offset: t.offset, line: t.line, column: t.column };
    return new FilterSyntaxError(`Encountered ${what}`, 'syntax', position, expected.map(describeKind));
  }
}

function describeKind(kind: string): string {
  switch (kind) {
    case 'DECIMAL':
      return '<DECIMAL_LITERAL>';
    case 'FLOAT':
      return '<FLOATING_POINT_LITERAL>';
    case 'STRING':
      return '<STRING_LITERAL>';
    case 'ID':
      return '<ID>';
    default:
      return kind === '<EOF>' ? kind : `"${kind}"`;
  }
}
