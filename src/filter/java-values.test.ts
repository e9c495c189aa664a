import { expect } from 'chai';
import { FilterEvaluationError } from './errors';
import {
  compareDoubles,
  JDouble,
  javaCompare,
  javaNegate,
  parseJavaBoolean,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from './java-values';

describe('filter Java value rules', () => {
  it('parses ints like Integer.valueOf', () => {
    expect(parseJavaInt('42')).to.equal(42);
    expect(parseJavaInt('+7')).to.equal(7);
    expect(parseJavaInt('-2147483648')).to.equal(-2147483648);
    expect(parseJavaInt('2147483647')).to.equal(2147483647);
    expect(parseJavaInt('007')).to.equal(7);
    expect(parseJavaInt('\u0663\u0664')).to.equal(34); // Arabic-Indic digits count as digits in Java
    for (const bad of ['', '+', '-', ' 1', '1 ', '1.0', '1e2', '0x10', '2147483648', '-2147483649', 'abc', '1_000']) {
      expect(() => parseJavaInt(bad), bad).to.throw(FilterEvaluationError, 'NumberFormatException');
    }
  });

  it('parses longs like Long.valueOf', () => {
    expect(parseJavaLong('9223372036854775807')).to.equal(9223372036854775807n);
    expect(parseJavaLong('-9223372036854775808')).to.equal(-9223372036854775808n);
    expect(() => parseJavaLong('9223372036854775808')).to.throw(FilterEvaluationError);
    expect(() => parseJavaLong('12L')).to.throw(FilterEvaluationError);
  });

  it('parses doubles like Double.valueOf', () => {
    expect(parseJavaDouble('1.5')).to.equal(1.5);
    expect(parseJavaDouble(' 2 ')).to.equal(2); // trimmed
    expect(parseJavaDouble('\t3\n')).to.equal(3);
    expect(parseJavaDouble('5.')).to.equal(5);
    expect(parseJavaDouble('.5')).to.equal(0.5);
    expect(parseJavaDouble('1e3')).to.equal(1000);
    expect(parseJavaDouble('-1.5E-1')).to.equal(-0.15);
    expect(parseJavaDouble('2f')).to.equal(2);
    expect(parseJavaDouble('2.5D')).to.equal(2.5);
    expect(parseJavaDouble('0x1p4')).to.equal(16);
    expect(parseJavaDouble('0x1.8P1')).to.equal(3);
    expect(parseJavaDouble('NaN')).to.be.NaN;
    expect(parseJavaDouble('-Infinity')).to.equal(-Infinity);
    expect(Object.is(parseJavaDouble('-0'), -0)).to.equal(true);
    for (const bad of ['', 'abc', '1,5', '.', 'e5', '1e', 'inf', 'nan', '0x10', '1ff', '١']) {
      expect(() => parseJavaDouble(bad), bad).to.throw(FilterEvaluationError, 'NumberFormatException');
    }
  });

  it('parses booleans like Boolean.valueOf', () => {
    expect(parseJavaBoolean('true')).to.equal(true);
    expect(parseJavaBoolean('TrUe')).to.equal(true);
    expect(parseJavaBoolean('yes')).to.equal(false);
    expect(parseJavaBoolean('1')).to.equal(false);
  });

  it('orders doubles like Double.compare', () => {
    expect(compareDoubles(1, 2)).to.equal(-1);
    expect(compareDoubles(-0, 0)).to.equal(-1);
    expect(compareDoubles(0, -0)).to.equal(1);
    expect(compareDoubles(NaN, NaN)).to.equal(0);
    expect(compareDoubles(NaN, Infinity)).to.equal(1);
    expect(compareDoubles(1, NaN)).to.equal(-1);
  });

  it('converts across number types before comparing', () => {
    expect(javaCompare(1, 1n)).to.equal(0); // Integer vs Long
    expect(javaCompare(3000000000n, 1)).to.equal(1);
    expect(javaCompare(1, new JDouble(1.5))).to.equal(-1); // Integer vs Double
    expect(javaCompare(new JDouble(2), 2)).to.equal(0);
    expect(javaCompare(2n, new JDouble(2.5))).to.equal(-1);
  });

  it('converts a String to the type of the other side', () => {
    expect(javaCompare('5', 5)).to.equal(0);
    expect(javaCompare(5, '6')).to.equal(-1);
    expect(javaCompare('3000000000', 1n)).to.equal(1);
    expect(javaCompare('2.5', new JDouble(2.5))).to.equal(0);
    expect(javaCompare('TRUE', true)).to.equal(0);
    expect(javaCompare('yes', false)).to.equal(0); // Boolean.valueOf("yes") is false
    expect(() => javaCompare('2.5', 2)).to.throw(FilterEvaluationError, 'For input string: "2.5"');
    expect(() => javaCompare('x', new JDouble(1))).to.throw(FilterEvaluationError);
  });

  it('fails for Boolean against String, and answers -1 for unrelated types', () => {
    // Java casts the Boolean to String here: a ClassCastException.
    expect(() => javaCompare(true, 'true')).to.throw(FilterEvaluationError, 'ClassCastException');
    expect(javaCompare(true, 1)).to.equal(-1);
    expect(javaCompare(1, true)).to.equal(-1);
    expect(javaCompare(new JDouble(1), false)).to.equal(-1);
  });

  it('compares same-type values naturally', () => {
    expect(javaCompare('a', 'b')).to.equal(-1);
    expect(javaCompare('b', 'B')).to.equal(1);
    expect(javaCompare('abc', 'abc')).to.equal(0);
    expect(javaCompare(true, false)).to.equal(1);
    expect(javaCompare(false, false)).to.equal(0);
    expect(javaCompare(-1, 1)).to.equal(-1);
  });

  it('negates numbers and gives null for anything else', () => {
    expect(javaNegate(5)).to.equal(-5);
    expect(javaNegate(-2147483648)).to.equal(-2147483648);
    expect(javaNegate(3000000000n)).to.equal(-3000000000n);
    expect((javaNegate(new JDouble(1.5)) as JDouble).value).to.equal(-1.5);
    expect(javaNegate('5')).to.equal(null);
    expect(javaNegate(true)).to.equal(null);
    expect(javaNegate(null)).to.equal(null);
  });
});
