// Property tests of the SQL92 filter on hostile input: random text, token soup, deep nesting and
// long expressions compile or throw FilterSyntaxError; a compiled filter evaluated against random
// properties gives true/false/null or FilterEvaluationError, and matches() never throws.
import { expect } from 'chai';
import fc from 'fast-check';
import { assertValueOrTypedError, fcParams } from '../codec/property-support';
import { FilterEvaluationError, FilterSyntaxError } from './errors';
import { type CompiledFilter, compileSql92, MAX_EXPRESSION_BYTES } from './index';
import { PARITY_CASES } from './java-parity.fixture';

const TOKENS = [
  'a',
  'b',
  'TAGS',
  '(',
  ')',
  'AND',
  'OR',
  'NOT',
  '=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  'IN',
  'BETWEEN',
  'LIKE',
  'ESCAPE',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  "'x'",
  "'%a_'",
  "''''",
  '1',
  '-1',
  '1.5',
  '1e308',
  '1e-400',
  '9223372036854775808',
  '0x1F',
  '017',
  '12L',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  ' ',
  '\t',
  '\n',
  '"q"',
  '$',
  '#',
];
const VALUES = [
  '',
  '1',
  '-0',
  'abc',
  'TagA',
  '1.5',
  'NaN',
  'Infinity',
  '3000000000',
  '9223372036854775808',
  'true',
  '%',
  '\u0000',
  ' 1 ',
];

const expression = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' ')),
  fc.constantFrom(...PARITY_CASES.map(([text]) => text)),
);
const properties = fc.dictionary(
  fc.constantFrom('a', 'b', 'TAGS', 'c'),
  fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 10 })),
);

describe('SQL92 filter properties (hostile input)', () => {
  it('compileSql92 then evaluate: a filter or FilterSyntaxError, then true/false/null or FilterEvaluationError', () => {
    fc.assert(
      fc.property(expression, properties, fc.boolean(), (text, props, ignoreTrailingInput) => {
        const filter = assertValueOrTypedError(
          text.length,
          () => compileSql92(text, { ignoreTrailingInput }),
          [FilterSyntaxError],
          { factor: 64 },
        ) as CompiledFilter | undefined;
        if (filter === undefined) return;
        const map = new Map(Object.entries(props));
        const value = assertValueOrTypedError(1, () => filter.evaluate(map), [FilterEvaluationError]);
        expect([true, false, null, undefined]).to.include(value);
        expect(filter.matches(map)).to.equal(value === true);
      }),
      fcParams(),
    );
  });

  it('deep nesting and long expressions: FilterSyntaxError (limit) or a filter, in time', () => {
    const nested = fc
      .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(['(', ')'], ['NOT ', ''], ['- ', ''], ['+', '']))
      .map(([depth, [open, close]]) => `${open.repeat(depth)}a > 1${close.repeat(depth)}`);
    const chained = fc
      .tuple(fc.integer({ min: 1, max: 4000 }), fc.constantFrom(' AND ', ' OR ', ' + ', ' * '))
      .map(
        ([count, op]) =>
          Array.from({ length: count }, () => (op.trim().length > 1 ? 'a = 1' : 'a')).join(op) +
          (op.trim().length > 1 ? '' : ' > 1'),
      );
    const wideIn = fc
      .integer({ min: 1, max: 3000 })
      .map((count) => `a IN (${Array.from({ length: count }, (_, i) => `'v${i}'`).join(',')})`);
    const huge = fc
      .integer({ min: MAX_EXPRESSION_BYTES - 8, max: MAX_EXPRESSION_BYTES * 4 })
      .map((length) => `a = '${'x'.repeat(length)}'`);
    fc.assert(
      fc.property(fc.oneof(nested, chained, wideIn, huge), (text) => {
        const filter = assertValueOrTypedError(text.length, () => compileSql92(text), [FilterSyntaxError], {
          maxMs: 2000,
          factor: 64,
        }) as CompiledFilter | undefined;
        if (filter !== undefined)
          assertValueOrTypedError(1, () => filter.matches(new Map([['a', '2']])), [], { maxMs: 2000 });
      }),
      fcParams(40),
    );
  });
});
