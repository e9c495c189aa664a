import { expect } from 'chai';
import { FilterSyntaxError } from './errors';
import { decodeStringLiteral, Lexer, type Token } from './lexer';

function tokens(src: string): Token[] {
  const lexer = new Lexer(src);
  const out: Token[] = [];
  for (;;) {
    const t = lexer.next();
    out.push(t);
    if (t.kind === 'EOF') return out;
  }
}

const kinds = (src: string): string[] => tokens(src).map((t) => t.kind);
const images = (src: string): string[] =>
  tokens(src)
    .slice(0, -1)
    .map((t) => t.image);

function lexError(src: string): FilterSyntaxError {
  try {
    tokens(src);
  } catch (e) {
    expect(e).to.be.instanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`expected a lexical error for ${src}`);
}

describe('filter lexer', () => {
  it('recognises keywords in any case, and longer words as identifiers', () => {
    expect(kinds('not And oR BETWEEN in True FALSE null Is')).to.deep.equal([
      'NOT',
      'AND',
      'OR',
      'BETWEEN',
      'IN',
      'TRUE',
      'FALSE',
      'NULL',
      'IS',
      'EOF',
    ]);
    expect(kinds('notx ina nulls IS_ TRUE1')).to.deep.equal(['ID', 'ID', 'ID', 'ID', 'ID', 'EOF']);
  });

  it('reads identifiers made of ASCII letters, digits, _ and $', () => {
    expect(images('$a_1 _x TAGS UNIQ_KEY a$b')).to.deep.equal(['$a_1', '_x', 'TAGS', 'UNIQ_KEY', 'a$b']);
    expect(lexError('a.b = 1').column).to.equal(2);
    expect(lexError('é = 1').kind).to.equal('lexical');
  });

  it('reads every operator and punctuation token', () => {
    expect(kinds('= <> > >= < <= ( , ) + -')).to.deep.equal([
      '=',
      '<>',
      '>',
      '>=',
      '<',
      '<=',
      '(',
      ',',
      ')',
      '+',
      '-',
      'EOF',
    ]);
    expect(kinds('a<>=b')).to.deep.equal(['ID', '<>', '=', 'ID', 'EOF']);
    expect(kinds('==')).to.deep.equal(['=', '=', 'EOF']);
  });

  it('has no !=, *, /, %, ; or " tokens', () => {
    for (const bad of ['a != 1', 'a * 2', 'a / 2', 'a % 2', 'a;', 'a = "x"']) {
      expect(lexError(bad).kind, bad).to.equal('lexical');
    }
    expect(lexError('a != 1').message).to.contain('"!"').and.contain('line 1, column 3');
  });

  it('splits numbers the way the JavaCC token definitions do', () => {
    expect(
      tokens('0 7 12L 1234567890123 5l')
        .map((t) => `${t.kind}:${t.image}`)
        .slice(0, -1),
    ).to.deep.equal(['DECIMAL:0', 'DECIMAL:7', 'DECIMAL:12L', 'DECIMAL:1234567890123', 'DECIMAL:5l']);
    expect(
      tokens('1.5 5. .5 5E10 5.e-3 .5e+2 00.5')
        .map((t) => `${t.kind}:${t.image}`)
        .slice(0, -1),
    ).to.deep.equal(['FLOAT:1.5', 'FLOAT:5.', 'FLOAT:.5', 'FLOAT:5E10', 'FLOAT:5.e-3', 'FLOAT:.5e+2', 'FLOAT:00.5']);
    // No octal or hex: a leading zero is a token of its own.
    expect(images('007')).to.deep.equal(['0', '0', '7']);
    expect(images('0x1F')).to.deep.equal(['0', 'x1F']);
    expect(images('0L')).to.deep.equal(['0', 'L']);
    // An exponent needs digits; otherwise the e starts an identifier.
    expect(images('1e 1.5e+')).to.deep.equal(['1', 'e', '1.5', 'e', '+']);
    expect(images('1.5.3')).to.deep.equal(['1.5', '.3']);
    expect(lexError('a = .').kind).to.equal('lexical');
  });

  it("reads string literals where '' stands for a quote", () => {
    const [t] = tokens("'it''s' 'x'");
    expect(t.image).to.equal("'it''s'");
    expect(decodeStringLiteral(t.image)).to.equal("it's");
    expect(decodeStringLiteral("''''")).to.equal("'");
    expect(decodeStringLiteral("''")).to.equal('');
    expect(images("'a\nb' ''")).to.deep.equal(["'a\nb'", "''"]);
    expect(images("'ü 中文 \u{1F600}'")).to.deep.equal(["'ü 中文 \u{1F600}'"]);
  });

  it('rejects an unterminated string literal', () => {
    const e = lexError("a = 'abc");
    expect(e.kind).to.equal('lexical');
    expect(e.message).to.contain('unterminated string literal at line 1, column 5');
    // "'a'" is complete; the quote after it opens a new, unterminated literal.
    expect(lexError("'a''").column).to.equal(4);
  });

  it('skips whitespace, block comments and line comments that end with a line break', () => {
    expect(kinds(' \t\r\n\fa /* c * / */ = -- note\n1 --x\r\n')).to.deep.equal(['ID', '=', 'DECIMAL', 'EOF']);
    expect(kinds('a/**/=/***/1')).to.deep.equal(['ID', '=', 'DECIMAL', 'EOF']);
    // Without a line break "--" is not a comment but two minus signs.
    expect(kinds('1 -- c')).to.deep.equal(['DECIMAL', '-', '-', 'ID', 'EOF']);
    // An unterminated block comment leaves a "/" that is no token.
    expect(lexError('a /* c').column).to.equal(3);
    // Other whitespace is not skipped.
    expect(lexError('a\u00a0= 1').kind).to.equal('lexical');
    expect(lexError('a\v= 1').kind).to.equal('lexical');
  });

  it('reports JavaCC line and column numbers (tab stops every 8 columns)', () => {
    const pos = (src: string) => tokens(src).map((t) => `${t.line}:${t.column}`);
    expect(pos('a = 1')).to.deep.equal(['1:1', '1:3', '1:5', '1:5']);
    expect(pos('\ta\t=')).to.deep.equal(['1:9', '1:17', '1:17']);
    expect(pos('a\n b\r\n  c\rd')).to.deep.equal(['1:1', '2:2', '3:3', '4:1', '4:1']);
  });

  it('only examines the text it is asked for', () => {
    const lexer = new Lexer('a = 1 # @');
    expect([lexer.next().kind, lexer.next().kind, lexer.next().kind]).to.deep.equal(['ID', '=', 'DECIMAL']);
    expect(() => lexer.next()).to.throw(FilterSyntaxError, /"#"/);
  });
});
