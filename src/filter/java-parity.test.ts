import { expect } from 'chai';
import { compileSql92, type CompiledFilter, FilterEvaluationError, FilterSyntaxError } from './index';
import { PARITY_CASES, PARITY_PROPERTIES } from './java-parity.fixture';

function outcomes(filter: CompiledFilter): string {
  return PARITY_PROPERTIES.map((props) => {
    try {
      const r = filter.evaluate(new Map(Object.entries(props)));
      return r === null ? 'N' : r ? 'T' : 'F';
    } catch (e) {
      if (!(e instanceof FilterEvaluationError)) throw e;
      return 'E';
    }
  }).join('');
}

function compile(expr: string, ignoreTrailingInput: boolean): CompiledFilter | FilterSyntaxError {
  try {
    return compileSql92(expr, { ignoreTrailingInput });
  } catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e;
    return e;
  }
}

describe('filter parity with RocketMQ 4.7.1 (recorded Java results)', () => {
  it(`has ${PARITY_CASES.length} recorded expressions`, () => {
    expect(PARITY_CASES.length).to.be.greaterThan(200);
  });

  it('accepts, rejects and evaluates exactly as Java does with ignoreTrailingInput', () => {
    const mismatches: string[] = [];
    for (const [expr, expected] of PARITY_CASES) {
      const filter = compile(expr, true);
      const actual = filter instanceof FilterSyntaxError ? 'P' : outcomes(filter);
      if (actual !== expected) mismatches.push(`${JSON.stringify(expr)}: java ${expected}, ours ${actual}`);
    }
    expect(mismatches).to.deep.equal([]);
  });

  it('by default differs only by rejecting input Java would silently ignore', () => {
    let rejectedMore = 0;
    for (const [expr, expected] of PARITY_CASES) {
      const filter = compile(expr, false);
      if (filter instanceof FilterSyntaxError) {
        if (expected !== 'P') {
          expect(filter.kind, expr).to.equal('syntax');
          expect(compile(expr, true), expr).not.to.be.instanceOf(FilterSyntaxError);
          rejectedMore++;
        }
      } else {
        expect(outcomes(filter), expr).to.equal(expected);
      }
    }
    expect(rejectedMore).to.be.greaterThan(0);
  });
});
