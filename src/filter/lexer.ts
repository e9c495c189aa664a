// On-demand tokenizer for RocketMQ 4.7.1's SQL92 selector language.
//
// Token set (from SelectorParser.jj):
//   keywords (ASCII case-insensitive): NOT AND OR BETWEEN IN TRUE FALSE NULL IS
//   DECIMAL_LITERAL  "0" | [1-9][0-9]* [lL]?
//   FLOATING_POINT   [0-9]+ "." [0-9]* EXP? | "." [0-9]+ EXP? | [0-9]+ EXP     EXP = [eE][+-]?[0-9]+
//   STRING_LITERAL   "'" ( "''" | ~["'"] )* "'"
//   ID               [A-Za-z_$] [A-Za-z0-9_$]*          (ASCII only; no '.')
//   punctuation      =  <>  >  >=  <  <=  (  ,  )  +  -
//   skipped          " " \t \n \r \f, "--" comments that end with a line break,
//                    "/* ... */" comments
// Matching is longest-match, keywords winning over ID on equal length, like
// JavaCC. There is no "!=", "*", "/", "%", "." or "==" token.
//
// Tokens are produced only when the parser asks for them, as JavaCC does: text
// after the point where the Java parser stops is never examined. Positions use
// JavaCC's SimpleCharStream conventions (1-based line/column, tab stops of 8).

import { FilterSyntaxError, type SourcePosition } from './errors';

export type Keyword = 'NOT' | 'AND' | 'OR' | 'BETWEEN' | 'IN' | 'TRUE' | 'FALSE' | 'NULL' | 'IS';
export type Punctuation = '=' | '<>' | '>' | '>=' | '<' | '<=' | '(' | ',' | ')' | '+' | '-';
export type TokenKind = Keyword | Punctuation | 'DECIMAL' | 'FLOAT' | 'STRING' | 'ID' | 'EOF';

export interface Token extends SourcePosition {
  readonly kind: TokenKind;
  /** The token's text exactly as written ('' for EOF). */
  readonly image: string;
  /** Offset just past the token. */
  readonly end: number;
}

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>([
  'NOT',
  'AND',
  'OR',
  'BETWEEN',
  'IN',
  'TRUE',
  'FALSE',
  'NULL',
  'IS',
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$');
const isIdPart = (c: string | undefined): boolean => isIdStart(c) || isDigit(c);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

export class Lexer {
  private pos = 0;
  // Line/column bookkeeping (SimpleCharStream.UpdateLineColumn) up to `tracked`.
  private tracked = 0;
  private line = 1;
  private column = 0;
  private prevCR = false;
  private prevLF = false;
  private lastCharPosition: SourcePosition = { offset: 0, line: 0, column: 0 };

  constructor(private readonly src: string) {}

  /** Returns the next token, throwing FilterSyntaxError('lexical') where no token matches. */
  next(): Token {
    this.skipIgnorable();
    const src = this.src;
    const start = this.pos;
    if (start >= src.length) {
      // JavaCC reports EOF at the position of the last character read.
      this.positionOf(src.length - 1);
      return { kind: 'EOF', image: '', ...this.lastCharPosition, end: start };
    }
    const c = src[start];
    let end: number;
    let kind: TokenKind;
    if (isIdStart(c)) {
      end = start + 1;
      while (isIdPart(src[end])) end++;
      const upper = src.slice(start, end).toUpperCase();
      kind = KEYWORDS.has(upper) ? (upper as Keyword) : 'ID';
    } else if (isDigit(c) || (c === '.' && isDigit(src[start + 1]))) {
      [kind, end] = this.number(start);
    } else if (c === "'") {
      end = this.stringEnd(start);
      kind = 'STRING';
    } else {
      const two = src.slice(start, start + 2);
      if (two === '<>' || two === '>=' || two === '<=') {
        kind = two;
      } else if ('=<>(),+-'.includes(c)) {
        kind = c as Punctuation;
      } else {
        throw this.lexicalError(start, `unexpected character "${c}" (${c.charCodeAt(0)})`);
      }
      end = start + kind.length;
    }
    this.pos = end;
    return { kind, image: src.slice(start, end), ...this.positionOf(start), end };
  }

  /** The JavaCC line/column of the character at `offset`. */
  positionOf(offset: number): SourcePosition {
    while (this.tracked <= offset && this.tracked < this.src.length) this.track(this.src[this.tracked++]);
    if (offset < this.tracked - 1) return this.recompute(offset);
    return this.lastCharPosition;
  }

  private track(c: string): void {
    this.column++;
    if (this.prevLF) {
      this.prevLF = false;
      this.line++;
      this.column = 1;
    } else if (this.prevCR) {
      this.prevCR = false;
      if (c === '\n') {
        this.prevLF = true;
      } else {
        this.line++;
        this.column = 1;
      }
    }
    if (c === '\r') this.prevCR = true;
    else if (c === '\n') this.prevLF = true;
    else if (c === '\t') this.column = this.column - 1 + (8 - ((this.column - 1) % 8));
    this.lastCharPosition = { offset: this.tracked - 1, line: this.line, column: this.column };
  }

  private recompute(offset: number): SourcePosition {
    const again = new Lexer(this.src);
    return again.positionOf(offset);
  }

  private skipIgnorable(): void {
    const src = this.src;
    for (;;) {
      const c = src[this.pos];
      if (isSpace(c)) {
        this.pos++;
      } else if (c === '-' && src[this.pos + 1] === '-') {
        // A line comment only counts when a line break ends it; otherwise "--" is two minus signs.
        let i = this.pos + 2;
        while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
        if (i >= src.length) return;
        this.pos = src[i] === '\r' && src[i + 1] === '\n' ? i + 2 : i + 1;
      } else if (c === '/' && src[this.pos + 1] === '*') {
        const close = src.indexOf('*/', this.pos + 2);
        if (close < 0) return; // "/" then fails as an unexpected character
        this.pos = close + 2;
      } else {
        return;
      }
    }
  }

  private number(start: number): [TokenKind, number] {
    const src = this.src;
    let i = start;
    while (isDigit(src[i])) i++;
    const digits = i - start;
    // DECIMAL_LITERAL candidate
    let decimalEnd = -1;
    if (digits > 0) {
      if (src[start] === '0') decimalEnd = start + 1;
      else decimalEnd = src[i] === 'l' || src[i] === 'L' ? i + 1 : i;
    }
    // FLOATING_POINT_LITERAL candidate
    let floatEnd = -1;
    if (src[i] === '.') {
      let j = i + 1;
      while (isDigit(src[j])) j++;
      if (digits > 0 || j > i + 1) floatEnd = this.exponentEnd(j) ?? j;
    } else if (digits > 0) {
      floatEnd = this.exponentEnd(i) ?? -1;
    }
    return floatEnd > decimalEnd ? ['FLOAT', floatEnd] : ['DECIMAL', decimalEnd];
  }

  private exponentEnd(i: number): number | undefined {
    const src = this.src;
    if (src[i] !== 'e' && src[i] !== 'E') return undefined;
    let j = i + 1;
    if (src[j] === '+' || src[j] === '-') j++;
    if (!isDigit(src[j])) return undefined;
    while (isDigit(src[j])) j++;
    return j;
  }

  /** End of the longest complete string literal starting at `start` (a quote). */
  private stringEnd(start: number): number {
    const src = this.src;
    let lastAccept = -1;
    let i = start + 1;
    while (i < src.length) {
      if (src[i] === "'") {
        lastAccept = i + 1;
        if (src[i + 1] !== "'") break;
        i += 2;
      } else {
        i++;
      }
    }
    if (lastAccept < 0) throw this.lexicalError(start, 'unterminated string literal');
    return lastAccept;
  }

  private lexicalError(offset: number, what: string): FilterSyntaxError {
    return new FilterSyntaxError(`Lexical error: ${what}`, 'lexical', this.positionOf(offset));
  }
}

/** Decodes a STRING_LITERAL image: strips the quotes and turns '' into '. */
export function decodeStringLiteral(image: string): string {
  return image.slice(1, -1).replace(/''/g, "'");
}
