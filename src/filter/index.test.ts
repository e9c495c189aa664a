import { expect } from 'chai';
import {
  compileSql92,
  FilterEvaluationError,
  FilterSyntaxError,
  MAX_EXPRESSION_BYTES,
  MAX_NESTING_DEPTH,
} from './index';

describe('filter API (compileSql92)', () => {
  const filter = compileSql92("TAGS IN ('TagA','TagB') AND a BETWEEN 0 AND 3");

  it('evaluates against a Map of message properties', () => {
    expect(
      filter.evaluate(
        new Map([
          ['TAGS', 'TagA'],
          ['a', '2'],
          ['KEYS', 'k1'],
        ]),
      ),
    ).to.equal(true);
    expect(
      filter.evaluate(
        new Map([
          ['TAGS', 'TagC'],
          ['a', '2'],
        ]),
      ),
    ).to.equal(false);
    expect(filter.evaluate(new Map([['TAGS', 'TagA']]))).to.equal(null);
    expect(filter.evaluate(new Map())).to.equal(null);
  });

  it('evaluates against a lookup function, undefined meaning missing', () => {
    const props: Record<string, string> = { TAGS: 'TagB', a: '0' };
    const seen: string[] = [];
    const lookup = (name: string) => {
      seen.push(name);
      return props[name];
    };
    expect(filter.evaluate(lookup)).to.equal(true);
    expect(seen).to.deep.equal(['TAGS', 'a', 'a']);
    expect(filter.evaluate(() => undefined)).to.equal(null);
  });

  it('matches only when the result is true; unknown and errors do not match', () => {
    expect(
      filter.matches(
        new Map([
          ['TAGS', 'TagA'],
          ['a', '3'],
        ]),
      ),
    ).to.equal(true);
    expect(
      filter.matches(
        new Map([
          ['TAGS', 'TagA'],
          ['a', '4'],
        ]),
      ),
    ).to.equal(false);
    expect(filter.matches(new Map([['a', '1']]))).to.equal(false); // unknown
    expect(
      filter.matches(
        new Map([
          ['TAGS', 'TagA'],
          ['a', 'abc'],
        ]),
      ),
    ).to.equal(false); // error
  });

  it('throws FilterEvaluationError from evaluate where Java evaluation throws', () => {
    expect(() =>
      filter.evaluate(
        new Map([
          ['TAGS', 'TagA'],
          ['a', '1.5'],
        ]),
      ),
    ).to.throw(FilterEvaluationError, 'NumberFormatException: For input string: "1.5"');
    expect(() =>
      compileSql92('a < b').evaluate(
        new Map([
          ['a', 'x'],
          ['b', 'y'],
        ]),
      ),
    ).to.throw(FilterEvaluationError, "It's illegal to compare string by '>=', '>', '<', '<='. lv=x, rv=y");
  });

  it('exposes the source text and the properties it reads', () => {
    expect(filter.expression).to.equal("TAGS IN ('TagA','TagB') AND a BETWEEN 0 AND 3");
    expect(String(filter)).to.equal(filter.expression);
    expect(filter.properties).to.deep.equal(['TAGS', 'a']);
    expect(compileSql92('TRUE').properties).to.deep.equal([]);
    expect(compileSql92('NOT x = -y OR z IS NULL OR (w)').properties).to.deep.equal(['x', 'y', 'z', 'w']);
  });

  it('can be reused across messages and is independent of other filters', () => {
    const f1 = compileSql92('a > 1');
    const f2 = compileSql92('a > 1.0');
    const m = new Map([['a', '1.5']]);
    expect(() => f1.evaluate(m)).to.throw(FilterEvaluationError);
    expect(f2.evaluate(m)).to.equal(true);
    expect(f1.evaluate(new Map([['a', '2']]))).to.equal(true);
  });

  it('throws FilterSyntaxError with kind, position and expected tokens', () => {
    try {
      compileSql92('a = 1 AND AND');
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(FilterSyntaxError);
      const err = e as FilterSyntaxError;
      expect(err.name).to.equal('FilterSyntaxError');
      expect(err.kind).to.equal('syntax');
      expect(err.reason).to.equal('Encountered "AND"');
      expect(err.position).to.deep.equal({ offset: 10, line: 1, column: 11 });
      expect(err.expected).to.include('<ID>').and.include('"("');
      expect(err.message).to.match(/^Encountered "AND" at line 1, column 11\. Was expecting one of: /);
    }
  });

  it('has limits that options can change', () => {
    expect(MAX_EXPRESSION_BYTES).to.equal(16384);
    expect(MAX_NESTING_DEPTH).to.equal(64);
    expect(() => compileSql92('a = 1', { maxBytes: 4 })).to.throw(FilterSyntaxError, 'too long');
    expect(() => compileSql92('(a = 1)', { maxDepth: 1 })).to.throw(FilterSyntaxError, 'nested too deeply');
    expect(compileSql92('a = 1 garbage', { ignoreTrailingInput: true }).evaluate(new Map([['a', '1']]))).to.equal(true);
  });
});
