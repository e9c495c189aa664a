// Tree construction with the checks RocketMQ 4.7.1 makes while it builds the
// expression (ComparisonExpression.create*, ConstantExpression.create*,
// SelectorParser.asBooleanExpression). A failed check rejects the whole
// selector, exactly like a grammar error. Also enforces the depth limit.

import { type CompareOp, type ConstantNode, type InNode, isBooleanNode, type Node, type PropertyNode } from './ast';
import { FilterEvaluationError, FilterSyntaxError, type SourcePosition } from './errors';
import { JDouble, type JValue, javaCompare } from './java-values';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX = 2n ** 63n - 1n;
const DOUBLE_MIN_VALUE = 4.9e-324;

export class NodeBuilder {
  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
    private readonly positionOf: (offset: number) => SourcePosition,
  ) {}

  /** ConstantExpression.createFromDecimal: an Integer when it fits, else a Long; beyond a Long is an error. */
  decimal(image: string, start: number): ConstantNode {
    const digits = image.replace(/[lL]$/, '');
    const value = BigInt(digits);
    if (value > LONG_MAX) throw this.semantic(`For input string: "${digits}"`, start);
    const jv: JValue = value >= INT_MIN && value <= INT_MAX ? Number(value) : value;
    return this.constant(jv, start, start + image.length);
  }

  /** ConstantExpression.createFloat: a Double; overflow to infinity and anything below Double.MIN_VALUE (so 0.0) are errors. */
  float(image: string, start: number): ConstantNode {
    const value = Number(image);
    if (value === Infinity) throw this.semantic(`${image} is greater than 1.7976931348623157E308`, start);
    if (value < DOUBLE_MIN_VALUE) throw this.semantic(`${image} is less than 4.9E-324`, start);
    return this.constant(new JDouble(value), start, start + image.length);
  }

  constant(value: JValue, start: number, end: number): ConstantNode {
    return { type: 'Constant', value, start, end, depth: 1 };
  }

  property(name: string, start: number): PropertyNode {
    return { type: 'Property', name, start, end: start + name.length, depth: 1 };
  }

  negate(operand: Node, start: number): Node {
    return { type: 'Negate', operand, start, end: operand.end, depth: this.depth([operand]) };
  }

  not(operand: Node, start: number): Node {
    const checked = this.asBoolean(operand);
    return { type: 'Not', operand: checked, start, end: operand.end, depth: this.depth([checked]) };
  }

  /** LogicExpression.createAND / createOR over a chain, flattening nested chains of the same kind. */
  logic(type: 'And' | 'Or', terms: readonly Node[]): Node {
    const operands: Node[] = [];
    for (const term of terms) {
      const checked = this.asBoolean(term);
      if (checked.type === type) operands.push(...checked.operands);
      else operands.push(checked);
    }
    const start = terms[0].start;
    const end = terms[terms.length - 1].end;
    return { type, operands, start, end, depth: this.depth(operands) };
  }

  /** SelectorParser.asBooleanExpression: conditions must be boolean expressions; a bare property is cast. */
  asBoolean(node: Node): Node {
    if (isBooleanNode(node)) return node;
    if (node.type === 'Property') {
      return { type: 'BooleanCast', operand: node, start: node.start, end: node.end, depth: this.depth([node]) };
    }
    throw this.semantic(`Expression will not result in a boolean value: ${this.text(node)}`, node.start);
  }

  /** ComparisonExpression.createEqual / createNotEqual. */
  equal(left: Node, right: Node, negated: boolean, opOffset: number): Node {
    for (const side of [left, right]) {
      if (side.type === 'Constant' && side.value === null) throw this.semantic(`'NULL' cannot be compared`, opOffset);
    }
    if (left.type === 'Constant' && right.type === 'Constant' && isBooleanNode(left) && !isBooleanNode(right)) {
      throw this.semantic(`'${this.text(left)}' cannot be compared with '${this.text(right)}'`, opOffset);
    }
    const eq = this.compare('=', left, right);
    return negated ? this.not(eq, left.start) : eq;
  }

  /** createGreaterThan & co: constants must be numbers, and no operand may be a condition. */
  ordering(op: Exclude<CompareOp, '='>, left: Node, right: Node, opOffset: number): Node {
    for (const side of [left, right]) {
      const comparable = side.type === 'Constant' ? isNumber(side.value) : !isBooleanNode(side);
      if (!comparable) throw this.semantic(`Value '${this.text(side)}' cannot be compared`, opOffset);
    }
    return this.compare(op, left, right);
  }

  /** createBetween / createNotBetween. */
  between(value: Node, low: Node, high: Node, negated: boolean, opOffset: number): Node {
    if (negated) {
      return this.logic('Or', [this.ordering('<', value, low, opOffset), this.ordering('>', value, high, opOffset)]);
    }
    if (low.type === 'Constant' && high.type === 'Constant') {
      if (low.value === null || high.value === null) {
        throw this.semantic('Illegal values of between, values can not be null!', opOffset);
      }
      let order: number;
      try {
        order = javaCompare(high.value, low.value);
      } catch (e) {
        if (e instanceof FilterEvaluationError) throw this.semantic(e.message, opOffset);
        throw e;
      }
      if (order < 0) {
        const [lt, ht] = [this.text(low), this.text(high)];
        throw this.semantic(
          `Illegal values of between, left value(${lt}) must less than or equal to right value(${ht})`,
          opOffset,
        );
      }
    }
    return this.logic('And', [this.ordering('>=', value, low, opOffset), this.ordering('<=', value, high, opOffset)]);
  }

  /** createInFilter / createNotInFilter: only a property may be tested. */
  in(left: Node, values: string[], negated: boolean, end: number, opOffset: number): InNode {
    if (left.type !== 'Property') {
      throw this.semantic(`Expected a property for In expression, got: ${this.text(left)}`, opOffset);
    }
    return { type: 'In', property: left, values, negated, start: left.start, end, depth: this.depth([left]) };
  }

  /** createIsNull / createIsNotNull (no operand checks). */
  isNull(operand: Node, negated: boolean, end: number): Node {
    const node: Node = { type: 'IsNull', operand, start: operand.start, end, depth: this.depth([operand]) };
    return negated ? this.not(node, operand.start) : node;
  }

  /** A nesting-limit error at `offset`. */
  tooDeep(offset: number): FilterSyntaxError {
    return new FilterSyntaxError(
      `Expression nested too deeply (more than ${this.maxDepth} levels)`,
      'limit',
      this.positionOf(offset),
    );
  }

  private compare(op: CompareOp, left: Node, right: Node): Node {
    return { type: 'Compare', op, left, right, start: left.start, end: right.end, depth: this.depth([left, right]) };
  }

  private depth(children: readonly Node[]): number {
    let max = 0;
    for (const c of children) if (c.depth > max) max = c.depth;
    if (max + 1 > this.maxDepth) throw this.tooDeep(children[0].start);
    return max + 1;
  }

  private text(node: Node): string {
    return this.src.slice(node.start, node.end).trim();
  }

  private semantic(reason: string, offset: number): FilterSyntaxError {
    return new FilterSyntaxError(reason, 'semantic', this.positionOf(offset));
  }
}

function isNumber(v: JValue): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof JDouble;
}
