import { expect } from 'chai';
import { compileSql92, FilterSyntaxError, MAX_EXPRESSION_BYTES, MAX_NESTING_DEPTH } from './index';
import type { FilterSyntaxErrorKind } from './index';

function rejection(src: string): FilterSyntaxError {
  try {
    compileSql92(src);
  } catch (e) {
    expect(e, src).to.be.instanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(src)} to be rejected`);
}

// [expression, kind, fragment of the message]
const REJECTED: [string, FilterSyntaxErrorKind, string][] = [
  // grammar
  ['', 'syntax', 'Encountered <EOF>'],
  ['   \n ', 'syntax', 'Encountered <EOF>'],
  ['-- only a comment\n', 'syntax', 'Encountered <EOF>'],
  ['a = 1 AND', 'syntax', 'Encountered <EOF> at line 1, column 9'],
  ['AND a = 1', 'syntax', 'Encountered "AND" at line 1, column 1'],
  ['a = 1 OR OR b = 2', 'syntax', 'Encountered "OR" at line 1, column 10'],
  ['a =', 'syntax', 'Encountered <EOF>'],
  ['a == 1', 'syntax', 'Encountered "="'],
  ['a => 1', 'syntax', 'Encountered ">"'],
  ['(a = 1', 'syntax', 'Encountered <EOF>'],
  ['((a = 1)', 'syntax', 'Encountered <EOF>'],
  ['()', 'syntax', 'Encountered ")"'],
  // Java 4.7.1 parses only the longest valid prefix and ignores the rest, so it
  // accepts the next seven (as `a = 1` or `a`); trailing input is rejected here
  // unless ignoreTrailingInput is set (see parser.test.ts).
  ['a = 1)', 'syntax', 'Encountered ")" at line 1, column 6'],
  ['a = 1 b', 'syntax', 'Encountered "b" at line 1, column 7'],
  ["a = 1 'x'", 'syntax', `Encountered "'x'"`],
  ["a LIKE 'x%'", 'syntax', 'Encountered "LIKE"'],
  ['a + 1 > 2', 'syntax', 'Encountered "+"'],
  ['a - 1 > 2', 'syntax', 'Encountered "-"'],
  ['a = 1 -- comment without a line break', 'syntax', 'Encountered "-"'],
  ['a BETWEEN 1', 'syntax', 'Was expecting: "AND"'],
  ['a BETWEEN 1 OR 2', 'syntax', 'Encountered "OR"'],
  ['a IS 1', 'syntax', 'Encountered "1"'],
  ['a IS NOT 1', 'syntax', 'Was expecting: "NULL"'],
  ['a NOT = 1', 'syntax', 'Encountered "NOT"'],
  ["a NOT LIKE 'x'", 'syntax', 'Encountered "NOT"'],
  ['a IN ()', 'syntax', 'Encountered ")"'],
  ['a IN (1, 2)', 'syntax', 'Was expecting: <STRING_LITERAL>'],
  ["a IN 'x'", 'syntax', 'Was expecting: "("'],
  ["a IN ('x' 'y')", 'syntax', 'Was expecting one of: ",", ")"'],
  ["a IN ('x',)", 'syntax', 'Encountered ")"'],
  // Also accepted by Java as `a = 0` / `a = 1.5`:
  ['a = 007', 'syntax', 'Encountered "0" at line 1, column 6'],
  ['a = 0x1F', 'syntax', 'Encountered "x1F"'],
  ['a = 1.5.3', 'syntax', 'Encountered ".3"'],
  ['and = 1', 'syntax', 'Encountered "and"'],
  // tokens that do not exist
  ["a = 'unterminated", 'lexical', 'unterminated string literal at line 1, column 5'],
  ["a = 'it''s", 'lexical', 'unterminated string literal'],
  ['a != 1', 'lexical', 'unexpected character "!"'],
  ['a = "x"', 'lexical', 'unexpected character """'],
  ['a * 2 > 1', 'lexical', 'unexpected character "*"'],
  ['a.b = 1', 'lexical', 'unexpected character "."'],
  ['a = 1 /* open', 'lexical', 'unexpected character "/"'],
  ['a = 1 ; b = 2', 'lexical', 'unexpected character ";"'],
  ['größe = 1', 'lexical', 'unexpected character "ö"'],
  // checks Java makes while building the expression
  ["'a' < 'b'", 'semantic', "Value ''a'' cannot be compared"],
  ["a > 'x'", 'semantic', "Value ''x'' cannot be compared"],
  ['a > TRUE', 'semantic', 'cannot be compared'],
  ['a <= NULL', 'semantic', 'cannot be compared'],
  ['(a = 1) > 0', 'semantic', 'cannot be compared'],
  ['NOT a > 1', 'semantic', 'cannot be compared'],
  ['a = NULL', 'semantic', "'NULL' cannot be compared"],
  ['NULL <> a', 'semantic', "'NULL' cannot be compared"],
  ["TRUE = 'true'", 'semantic', "'TRUE' cannot be compared with ''true''"],
  ['FALSE = 0', 'semantic', 'cannot be compared with'],
  ["1 IN ('1')", 'semantic', 'Expected a property for In expression, got: 1'],
  ["-a IN ('1')", 'semantic', 'Expected a property'],
  ["NOT a IN ('1')", 'semantic', 'Expected a property'],
  ['a BETWEEN 3 AND 0', 'semantic', 'left value(3) must less than or equal to right value(0)'],
  ['a BETWEEN 2.5 AND 2', 'semantic', 'must less than or equal'],
  ['a BETWEEN NULL AND 1', 'semantic', 'values can not be null'],
  ["a BETWEEN 'a' AND 'b'", 'semantic', 'cannot be compared'],
  ['1', 'semantic', 'Expression will not result in a boolean value: 1'],
  ["'abc'", 'semantic', 'will not result in a boolean value'],
  ['-a', 'semantic', 'will not result in a boolean value'],
  ['a = 1 AND 2', 'semantic', 'will not result in a boolean value: 2'],
  ['NOT 1', 'semantic', 'will not result in a boolean value'],
  ['a > 9223372036854775808', 'semantic', 'For input string: "9223372036854775808"'],
  ['a > -9223372036854775808', 'semantic', 'For input string'],
  ['a > 0.0', 'semantic', '0.0 is less than 4.9E-324'],
  ['a > 1e-400', 'semantic', 'is less than 4.9E-324'],
  ['a < 1e400', 'semantic', 'is greater than 1.7976931348623157E308'],
];

describe('filter syntax errors', () => {
  for (const [src, kind, fragment] of REJECTED) {
    it(`rejects ${JSON.stringify(src)} (${kind})`, () => {
      const e = rejection(src);
      expect(e.kind).to.equal(kind);
      expect(e.message).to.contain(fragment);
    });
  }

  it('names the line and column of the offending token, as Java does', () => {
    // Java: Encountered " <DECIMAL_LITERAL> "1 "" at line 3, column 14.
    const e = rejection("a = 1\n  AND b = 'x'\n  OR\tc IS 1");
    expect(e.message).to.equal('Encountered "1" at line 3, column 14. Was expecting one of: "NULL", "NOT".');
    expect([e.line, e.column, e.position?.offset]).to.deep.equal([3, 14, 30]);
    expect(rejection('a = 1\n  OR\tc c').message).to.match(
      /^Encountered "c" at line 2, column 11\. Was expecting one of: <EOF>, /,
    );
  });

  it('rejects input that is not a string', () => {
    expect(() => compileSql92(undefined as unknown as string)).to.throw(FilterSyntaxError);
  });

  it(`rejects expressions longer than ${MAX_EXPRESSION_BYTES} bytes`, () => {
    const filler = (n: number) => `a = '${'x'.repeat(n - 6)}'`;
    expect(() => compileSql92(filler(MAX_EXPRESSION_BYTES))).not.to.throw();
    const e = rejection(filler(MAX_EXPRESSION_BYTES + 1));
    expect(e.kind).to.equal('limit');
    expect(e.message).to.contain('too long');
    // The limit counts UTF-8 bytes.
    expect(rejection(`a = '${'€'.repeat(6000)}'`).kind).to.equal('limit');
    expect(() => compileSql92("a = 'xxxx'", { maxBytes: 5 })).to.throw(FilterSyntaxError, 'too long');
  });

  it(`rejects nesting deeper than ${MAX_NESTING_DEPTH} levels`, () => {
    const parens = (n: number) => `${'('.repeat(n)}a = 1${')'.repeat(n)}`;
    expect(() => compileSql92(parens(MAX_NESTING_DEPTH - 2))).not.to.throw();
    for (const deep of [
      parens(MAX_NESTING_DEPTH + 1),
      parens(5000),
      `${'NOT '.repeat(200)}a`,
      `${'- '.repeat(200)}1 = a`,
    ]) {
      const e = rejection(deep);
      expect(e.kind).to.equal('limit');
      expect(e.message).to.contain('nested too deeply');
    }
    // Long left-nested chains of = count too; flat AND/OR chains do not.
    expect(rejection(`a${' = a'.repeat(100)}`).kind).to.equal('limit');
    expect(() => compileSql92(Array.from({ length: 1000 }, (_, i) => `p${i} = 1`).join(' OR '))).not.to.throw();
    expect(() => compileSql92('((a = 1))', { maxDepth: 2 })).not.to.throw();
    expect(() => compileSql92('(((a = 1)))', { maxDepth: 2 })).to.throw(FilterSyntaxError, 'nested too deeply');
  });
});
