import { expect } from 'chai';
import { compileSql92 } from './index';

type Outcome = true | false | null | 'error';

/** Evaluates `expr` against `props` (a missing key is a missing property). */
function ev(expr: string, props: Record<string, string> = {}): Outcome {
  const filter = compileSql92(expr);
  try {
    return filter.evaluate(new Map(Object.entries(props)));
  } catch {
    return 'error';
  }
}

/** Each row: [expression, { property values }, expected outcome]. */
function table(rows: [string, Record<string, string>, Outcome][]): void {
  for (const [expr, props, expected] of rows) {
    expect(ev(expr, props), `${expr} with ${JSON.stringify(props)}`).to.equal(expected);
  }
}

describe('filter evaluation', () => {
  it('runs the examples from the RocketMQ documentation', () => {
    table([
      ['a between 0 and 3', { a: '0' }, true],
      ['a between 0 and 3', { a: '3' }, true],
      ['a between 0 and 3', { a: '4' }, false],
      ['a between 0 and 3', {}, null],
      ["a > 5 AND b = 'abc'", { a: '6', b: 'abc' }, true],
      ["a > 5 AND b = 'abc'", { a: '5', b: 'abc' }, false],
      ["a > 5 AND b = 'abc'", { a: '6' }, null],
      ["TAGS IN ('TagA', 'TagB') AND a BETWEEN 0 AND 3", { TAGS: 'TagB', a: '1' }, true],
      ["TAGS IN ('TagA', 'TagB') AND a BETWEEN 0 AND 3", { TAGS: 'TagC', a: '1' }, false],
      ["TAGS IN ('TagA', 'TagB') AND a BETWEEN 0 AND 3", { a: '1' }, null],
      ["TAGS IS NOT NULL AND TAGS = 'TagA'", { TAGS: 'TagA' }, true],
    ]);
  });

  it('compares for equality with =, <> and with numbers converted from strings', () => {
    table([
      ["a = 'x'", { a: 'x' }, true],
      ["a = 'x'", { a: 'X' }, false],
      ["a <> 'x'", { a: 'y' }, true],
      ["a <> 'x'", { a: 'x' }, false],
      ['a = 1', { a: '1' }, true],
      ['a = 1', { a: '+1' }, true],
      ['a = 1', { a: '01' }, true],
      ['a = 1', { a: '1.0' }, 'error'], // Integer.valueOf("1.0") fails
      ['a = 1', { a: 'x' }, 'error'],
      ['a = 1.0', { a: '1' }, true],
      ['a = 1.0', { a: ' 1 ' }, true], // Double.valueOf trims
      ['a <> 1', { a: '2' }, true],
      ["a = '1'", { a: '1.0' }, false], // two strings: no conversion
      ['a = b', { a: '1', b: '1' }, true],
      ['a = b', { a: '1', b: '1.0' }, false],
      ['a = 3000000000', { a: '3000000000' }, true],
      ['a = 1', { a: '3000000000' }, 'error'], // does not fit an Integer
    ]);
  });

  it('orders numbers with >, >=, <, <= and BETWEEN', () => {
    table([
      ['a > 5', { a: '6' }, true],
      ['a > 5', { a: '5' }, false],
      ['a >= 5', { a: '5' }, true],
      ['a < 5', { a: '-7' }, true],
      ['a <= 5', { a: '6' }, false],
      ['a > 5', { a: '5.5' }, 'error'], // an Integer literal parses the property as an Integer
      ['a > 5.0', { a: '5.5' }, true],
      ['a > 5.0', { a: '5.5f' }, true],
      ['a > 5.0', { a: 'NaN' }, true], // Double.compareTo puts NaN above everything
      ['a < 2.5', { a: '1e0' }, true],
      ['a > -1', { a: '0' }, true],
      ['a > 2147483648', { a: '2147483649' }, true],
      ['5 < a', { a: '6' }, true],
      ['a > 5', { a: 'abc' }, 'error'],
      ['a BETWEEN 1.5 AND 2.5', { a: '2' }, true],
      ['a BETWEEN -3 AND -1', { a: '-2' }, true],
      ['a BETWEEN -1 AND -3', { a: '-2' }, false], // negative bounds are not checked for order
      ['a NOT BETWEEN 0 AND 3', { a: '4' }, true],
      ['a NOT BETWEEN 0 AND 3', { a: '2' }, false],
      ['a NOT BETWEEN 3 AND 0', { a: '2' }, true],
    ]);
  });

  it('orders two properties as doubles, and fails when either is not a number', () => {
    table([
      ['a > b', { a: '2', b: '10' }, false], // numeric, not lexicographic
      ['a < b', { a: '1.5', b: '1e1' }, true],
      ['a >= b', { a: 'x', b: '1' }, 'error'],
      ['a < b', { a: 'a', b: 'b' }, 'error'],
    ]);
  });

  it('compares booleans', () => {
    table([
      ['a = TRUE', { a: 'true' }, true],
      ['a = TRUE', { a: 'TRUE' }, true],
      ['a = TRUE', { a: 'yes' }, false],
      ['a = FALSE', { a: 'anything' }, true], // Boolean.valueOf("anything") is false
      ['a <> TRUE', { a: 'false' }, true],
      ['TRUE = a', { a: 'true' }, 'error'], // Java: ClassCastException
      ['TRUE = a', {}, false],
      ["'true' = TRUE", {}, true],
      ['1 = TRUE', {}, false],
      ['TRUE = FALSE', {}, false],
      ['(a > 1) = TRUE', { a: '2' }, true],
      ['(a > 1) = (b > 1)', { a: '0', b: '0' }, true],
      ["a = (b = 'x')", { a: 'TRUE', b: 'x' }, true],
    ]);
  });

  it('tests membership with IN and NOT IN', () => {
    table([
      ["a IN ('x', 'y')", { a: 'y' }, true],
      ["a IN ('x', 'y')", { a: 'z' }, false],
      ["a IN ('1')", { a: '01' }, false], // plain string equality
      ["a IN ('a', 'b', 'c', 'd', 'e', 'f')", { a: 'f' }, true],
      ["a NOT IN ('x', 'y')", { a: 'z' }, true],
      ["a NOT IN ('x', 'y')", { a: 'x' }, false],
      ["a IN ('it''s')", { a: "it's" }, true],
      ["a IN ('')", { a: '' }, true],
    ]);
  });

  it('uses three-valued logic for AND, OR and NOT', () => {
    const T = 'a = 1';
    const F = 'a = 2';
    const U = 'x = 1'; // x is missing: unknown
    const p = { a: '1' };
    table([
      [`${T} AND ${T}`, p, true],
      [`${T} AND ${F}`, p, false],
      [`${T} AND ${U}`, p, null],
      [`${F} AND ${U}`, p, false],
      [`${U} AND ${F}`, p, false],
      [`${U} AND ${U}`, p, null],
      [`${T} OR ${U}`, p, true],
      [`${U} OR ${T}`, p, true],
      [`${F} OR ${U}`, p, null],
      [`${F} OR ${F}`, p, false],
      [`NOT (${T})`, p, false],
      [`NOT (${F})`, p, true],
      [`NOT (${U})`, p, null],
      ['TRUE', {}, true],
      ['NULL', {}, null],
      ['NOT NULL', {}, null],
      ['NULL OR TRUE', {}, true],
    ]);
  });

  it('short-circuits AND/OR before an operand that would fail', () => {
    table([
      ['a = 2 AND b > 1', { a: '1', b: 'x' }, false],
      ['b > 1 AND a = 2', { a: '1', b: 'x' }, 'error'],
      ['a = 1 OR b > 1', { a: '1', b: 'x' }, true],
      ['a = 2 OR b > 1', { a: '1', b: 'x' }, 'error'],
    ]);
  });

  it('gives unknown for comparisons with a missing property, IS NULL excepted', () => {
    table([
      ["a = 'x'", {}, null],
      ["a <> 'x'", {}, null],
      ['a > 1', {}, null],
      ['a >= 1', {}, null],
      ['a < 1', {}, null],
      ['a <= 1', {}, null],
      ['1 < a', {}, null],
      ['a > b', { a: '1' }, null],
      ['a BETWEEN 0 AND 3', {}, null],
      ['a NOT BETWEEN 0 AND 3', {}, null],
      ["a IN ('x')", {}, null],
      ["a NOT IN ('x')", {}, null],
      ['a IS NULL', {}, true],
      ['a IS NULL', { a: '' }, false],
      ['a IS NOT NULL', {}, false],
      ['a IS NOT NULL', { a: '' }, true],
      ['NOT a IS NULL', {}, true], // (NOT a) IS NULL
      ['(a > 1) IS NULL', {}, true],
    ]);
  });

  it("follows Java's asymmetric NULL rules for =", () => {
    table([
      ["'x' = a", {}, false], // missing right-hand side: false, not unknown
      ["'x' <> a", {}, true],
      ['a = b', {}, true], // both missing: equal
      ['a <> b', {}, false],
      ['a = b', { a: '1' }, false],
      ['a = b', { b: '1' }, null],
      ['a = -NULL', {}, true],
    ]);
  });

  it('treats a bare property as false when present and unknown when missing', () => {
    table([
      ['a', { a: 'true' }, false],
      ['a', {}, null],
      ['NOT a', { a: 'false' }, true],
      ['a OR b', { a: 'true', b: 'true' }, false],
      ['NOT a = 1', { a: '1' }, false], // (NOT a) = 1: a Boolean never equals an Integer
      ['NOT a = 1', {}, null],
    ]);
  });

  it('negates numbers only', () => {
    table([
      ['-a = -1', { a: '1' }, null], // negating a String gives NULL
      ['- -1 = 1', {}, true],
      ['-1.5 < a', { a: '0' }, true],
      ["a > -'x'", { a: '1' }, null],
    ]);
  });

  it('reads property names case-sensitively and literals verbatim', () => {
    table([
      ['A = 1', { a: '1' }, null],
      ['a = 1', { A: '1' }, null],
      ["a = 'Mixed Case ü'", { a: 'Mixed Case ü' }, true],
    ]);
  });
});
