// Syntax tree of a compiled selector. The node kinds follow the Java
// expression classes RocketMQ 4.7.1 builds, because which checks apply (and
// what an expression evaluates to) depends on them:
//
//   Constant     ConstantExpression / BooleanConstantExpression (TRUE, FALSE, NULL)
//   Property     PropertyExpression: a message property, a String or null
//   Negate       unary minus (numbers only; anything else gives null)
//   BooleanCast  a bare property used as a condition (true only for a Boolean value,
//                which a String property never is)
//   Not, And, Or SQL three-valued logic (And/Or are n-ary here; Java nests them
//                left-deep, which evaluates identically)
//   Compare      =, >, >=, <, <=  (<> is Not(=), BETWEEN is And(>=, <=),
//                NOT BETWEEN is Or(<, >))
//   IsNull       IS NULL (IS NOT NULL is Not(IsNull))
//   In           property [NOT] IN ('s1', ...)
// Parentheses and unary plus create no node.

import type { JValue } from './java-values';

export interface Span {
  /** 0-based offsets into the expression text. */
  readonly start: number;
  readonly end: number;
}

interface NodeBase extends Span {
  /** Height of the tree below and including this node. */
  readonly depth: number;
}

export interface ConstantNode extends NodeBase {
  readonly type: 'Constant';
  readonly value: JValue;
}

export interface PropertyNode extends NodeBase {
  readonly type: 'Property';
  readonly name: string;
}

export interface NegateNode extends NodeBase {
  readonly type: 'Negate';
  readonly operand: Node;
}

export interface BooleanCastNode extends NodeBase {
  readonly type: 'BooleanCast';
  readonly operand: PropertyNode;
}

export interface NotNode extends NodeBase {
  readonly type: 'Not';
  readonly operand: Node;
}

export interface LogicNode extends NodeBase {
  readonly type: 'And' | 'Or';
  readonly operands: readonly Node[];
}

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

export interface CompareNode extends NodeBase {
  readonly type: 'Compare';
  readonly op: CompareOp;
  readonly left: Node;
  readonly right: Node;
}

export interface IsNullNode extends NodeBase {
  readonly type: 'IsNull';
  readonly operand: Node;
}

export interface InNode extends NodeBase {
  readonly type: 'In';
  readonly property: PropertyNode;
  readonly values: readonly string[];
  readonly negated: boolean;
}

export type Node =
  | ConstantNode
  | PropertyNode
  | NegateNode
  | BooleanCastNode
  | NotNode
  | LogicNode
  | CompareNode
  | IsNullNode
  | InNode;

/** Java's `instanceof BooleanExpression`: nodes that may stand where a condition is expected. */
export function isBooleanNode(node: Node): boolean {
  switch (node.type) {
    case 'Constant':
      return node.value === null || typeof node.value === 'boolean';
    case 'Property':
    case 'Negate':
      return false;
    default:
      return true;
  }
}

/** Distinct property names the expression reads, in order of first appearance. */
export function referencedProperties(root: Node): string[] {
  const names = new Set<string>();
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'Property':
        names.add(node.name);
        break;
      case 'Negate':
      case 'BooleanCast':
      case 'Not':
      case 'IsNull':
        visit(node.operand);
        break;
      case 'And':
      case 'Or':
        node.operands.forEach(visit);
        break;
      case 'Compare':
        visit(node.left);
        visit(node.right);
        break;
      case 'In':
        visit(node.property);
        break;
      case 'Constant':
        break;
    }
  };
  visit(root);
  return [...names];
}
