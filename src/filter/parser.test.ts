import { expect } from 'chai';
import type { Node } from './ast';
import { JDouble } from './java-values';
import { parseSelector } from './parser';

/** Renders a tree as an S-expression, with Java's types on constants. */
function show(node: Node): string {
  switch (node.type) {
    case 'Constant': {
      const v = node.value;
      if (v === null) return 'NULL';
      if (typeof v === 'string') return `'${v}'`;
      if (typeof v === 'bigint') return `${v}L`;
      if (v instanceof JDouble) return `${v.value}D`;
      return String(v);
    }
    case 'Property':
      return node.name;
    case 'Negate':
      return `(- ${show(node.operand)})`;
    case 'BooleanCast':
      return `(bool ${show(node.operand)})`;
    case 'Not':
      return `(NOT ${show(node.operand)})`;
    case 'IsNull':
      return `(ISNULL ${show(node.operand)})`;
    case 'And':
    case 'Or':
      return `(${node.type.toUpperCase()} ${node.operands.map(show).join(' ')})`;
    case 'Compare':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'In':
      return `(${node.negated ? 'NOTIN' : 'IN'} ${show(node.property)} ${node.values.map((v) => `'${v}'`).join(' ')})`;
  }
}

const tree = (src: string, ignoreTrailingInput = false) =>
  show(parseSelector(src, { maxDepth: 64, ignoreTrailingInput }));

describe('filter parser', () => {
  it('binds OR loosest, then AND, then =/<>/IS, then the comparisons, then unary operators', () => {
    expect(tree('a = 1 OR b = 2 AND c = 3')).to.equal('(OR (= a 1) (AND (= b 2) (= c 3)))');
    expect(tree('(a = 1 OR b = 2) AND c = 3')).to.equal('(AND (OR (= a 1) (= b 2)) (= c 3))');
    expect(tree('a > 1 = TRUE')).to.equal('(= (> a 1) true)');
    expect(tree('a IS NULL = TRUE')).to.equal('(= (ISNULL a) true)');
    expect(tree('-a > -1')).to.equal('(> (- a) (- 1))');
  });

  it('binds NOT tighter than comparisons, as the Java grammar does', () => {
    expect(tree('NOT a = 1')).to.equal('(= (NOT (bool a)) 1)');
    expect(tree('NOT (a = 1)')).to.equal('(NOT (= a 1))');
    expect(tree('NOT a IS NULL')).to.equal('(ISNULL (NOT (bool a)))');
    expect(tree('NOT NOT a')).to.equal('(NOT (NOT (bool a)))');
  });

  it('flattens AND/OR chains and keeps them left to right', () => {
    expect(tree('a = 1 AND b = 2 AND c = 3')).to.equal('(AND (= a 1) (= b 2) (= c 3))');
    expect(tree('a = 1 OR (b = 2 OR c = 3)')).to.equal('(OR (= a 1) (= b 2) (= c 3))');
  });

  it('builds <>, IS NOT NULL, BETWEEN and NOT BETWEEN from the basic nodes', () => {
    expect(tree("a <> 'x'")).to.equal("(NOT (= a 'x'))");
    expect(tree('a IS NOT NULL')).to.equal('(NOT (ISNULL a))');
    expect(tree('a BETWEEN 0 AND 3')).to.equal('(AND (>= a 0) (<= a 3))');
    expect(tree('a NOT BETWEEN 0 AND 3')).to.equal('(OR (< a 0) (> a 3))');
    expect(tree('a BETWEEN 0 AND 3 AND b = 1')).to.equal('(AND (>= a 0) (<= a 3) (= b 1))');
    expect(tree('a BETWEEN -5 AND -1')).to.equal('(AND (>= a (- 5)) (<= a (- 1)))');
  });

  it('parses IN and NOT IN lists of strings', () => {
    expect(tree("TAGS IN ('TagA', 'TagB')")).to.equal("(IN TAGS 'TagA' 'TagB')");
    expect(tree("a NOT IN ('it''s', '')")).to.equal("(NOTIN a 'it's' '')");
    expect(tree("(a) IN ('x')")).to.equal("(IN a 'x')");
    expect(tree("+a IN ('x')")).to.equal("(IN a 'x')");
  });

  it('types literals like Java: Integer when it fits, else Long; Double; String; Boolean; NULL', () => {
    expect(tree('a = 2147483647')).to.equal('(= a 2147483647)');
    expect(tree('a = 2147483648')).to.equal('(= a 2147483648L)');
    expect(tree('a = 12L')).to.equal('(= a 12)');
    expect(tree('a = 9223372036854775807')).to.equal('(= a 9223372036854775807L)');
    expect(tree('a = 1.5')).to.equal('(= a 1.5D)');
    expect(tree('a = 1.')).to.equal('(= a 1D)');
    expect(tree('a = .25e1')).to.equal('(= a 2.5D)');
    expect(tree("a = ''")).to.equal("(= a '')");
    expect(tree('a = true')).to.equal('(= a true)');
    expect(tree('a IS null')).to.equal('(ISNULL a)');
  });

  it('treats a bare property, TRUE, FALSE and NULL as conditions', () => {
    expect(tree('a')).to.equal('(bool a)');
    expect(tree('(a)')).to.equal('(bool a)');
    expect(tree('a AND b')).to.equal('(AND (bool a) (bool b))');
    expect(tree('TRUE')).to.equal('true');
    expect(tree('NULL OR FALSE')).to.equal('(OR NULL false)');
  });

  it('accepts keywords in any case', () => {
    expect(tree("a between 0 and 3 or b is not null and c not in ('x')")).to.equal(
      "(OR (AND (>= a 0) (<= a 3)) (AND (NOT (ISNULL b)) (NOTIN c 'x')))",
    );
    expect(tree('A = TrUe')).to.equal('(= A true)');
  });

  it('with ignoreTrailingInput stops after the longest valid prefix, like Java', () => {
    expect(tree('a = 1 b', true)).to.equal('(= a 1)');
    expect(tree("a LIKE 'x%'", true)).to.equal('(bool a)');
    expect(tree('a + 1 > 2', true)).to.equal('(bool a)');
    expect(tree('a = 1 -- no line break', true)).to.equal('(= a 1)');
    expect(tree('a = 1 ) ( garbage #', true)).to.equal('(= a 1)');
    // The token right after the prefix is still read, so it must be a valid token...
    expect(() => tree('a = 1 #', true)).to.throw(/Lexical error/);
    // ...and operators that continue an expression must be completed.
    expect(() => tree('a = 1 NOT x', true)).to.throw(/Encountered "NOT"/);
    expect(() => tree('a = 1 IS x', true)).to.throw(/Encountered "x"/);
    expect(() => tree('a = 1 AND', true)).to.throw(/Encountered <EOF>/);
  });
});
