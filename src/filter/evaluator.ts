// Turns a checked syntax tree into a closure that evaluates it against one
// message's properties, with the semantics of RocketMQ 4.7.1's expression
// classes: SQL three-valued logic (null = unknown), Java's type conversions in
// comparisons, and Java's evaluation order (which decides whether an error in
// an operand that short-circuiting skips is raised at all).

import type { Node } from './ast';
import { FilterEvaluationError } from './errors';
import { compareDoubles, javaCompare, javaNegate, type JValue, parseJavaDouble } from './java-values';

/** Property lookup; undefined (or null) means the message has no such property. */
export type PropertyLookup = (name: string) => string | null | undefined;

export type Evaluator = (lookup: PropertyLookup) => JValue;

export function compileNode(node: Node): Evaluator {
  switch (node.type) {
    case 'Constant': {
      const value = node.value;
      return () => value;
    }
    case 'Property': {
      const name = node.name;
      return (lookup) => {
        const v = lookup(name);
        return v === undefined || v === null ? null : String(v);
      };
    }
    case 'Negate': {
      const operand = compileNode(node.operand);
      return (lookup) => javaNegate(operand(lookup));
    }
    case 'BooleanCast': {
      // A property value is a String, never a Boolean: present means false.
      const operand = compileNode(node.operand);
      return (lookup) => {
        const v = operand(lookup);
        return v === null ? null : typeof v === 'boolean' ? v : false;
      };
    }
    case 'Not': {
      const operand = compileNode(node.operand);
      return (lookup) => {
        const v = operand(lookup);
        return v === null ? null : !v;
      };
    }
    case 'And':
    case 'Or':
      return logic(node.type === 'And', node.operands.map(compileNode));
    case 'IsNull': {
      const operand = compileNode(node.operand);
      return (lookup) => operand(lookup) === null;
    }
    case 'In': {
      const name = node.property.name;
      const values = new Set(node.values);
      const negated = node.negated;
      return (lookup) => {
        const v = lookup(name);
        if (v === undefined || v === null) return null;
        return values.has(String(v)) !== negated;
      };
    }
    case 'Compare': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      return node.op === '=' ? equal(left, right) : ordering(node.op, left, right);
    }
  }
}

/** LogicExpression AND/OR: the deciding value short-circuits, otherwise unknown wins over the other value. */
function logic(isAnd: boolean, operands: Evaluator[]): Evaluator {
  const decisive = !isAnd; // false decides an AND, true decides an OR
  return (lookup) => {
    let unknown = false;
    for (const operand of operands) {
      const v = operand(lookup);
      if (v === decisive) return decisive;
      if (v === null) unknown = true;
    }
    return unknown ? null : !decisive;
  };
}

/** `=`: NULL = NULL is true; a missing left side is unknown but a missing right side is false (as in Java). */
function equal(left: Evaluator, right: Evaluator): Evaluator {
  return (lookup) => {
    const lv = left(lookup);
    const rv = right(lookup);
    if (lv === null) return rv === null ? true : null;
    if (rv === null) return false;
    return javaCompare(lv, rv) === 0;
  };
}

const ORDERING_TESTS = {
  '>': (c: number) => c > 0,
  '>=': (c: number) => c >= 0,
  '<': (c: number) => c < 0,
  '<=': (c: number) => c <= 0,
};

/** `>`, `>=`, `<`, `<=`: unknown when either side is null; two strings are compared as doubles or fail. */
function ordering(op: keyof typeof ORDERING_TESTS, left: Evaluator, right: Evaluator): Evaluator {
  const test = ORDERING_TESTS[op];
  return (lookup) => {
    const lv = left(lookup);
    if (lv === null) return null;
    const rv = right(lookup);
    if (rv === null) return null;
    if (typeof lv === 'string' && typeof rv === 'string') {
      let l: number;
      let r: number;
      try {
        l = parseJavaDouble(lv);
        r = parseJavaDouble(rv);
      } catch {
        throw new FilterEvaluationError(`It's illegal to compare string by '>=', '>', '<', '<='. lv=${lv}, rv=${rv}`);
      }
      return test(compareDoubles(l, r));
    }
    return test(javaCompare(lv, rv));
  };
}
