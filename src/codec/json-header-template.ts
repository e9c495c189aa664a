// Templates for JSON headers (serializeType 0) of a recurring shape: the same code, flag, language,
// version, remark and extFields keys, where only the opaque and the extFields values change (a pull's
// answer, a send's answer, a heartbeat's). The generic encoder sorts the keys in Java HashMap order
// and runs the serializer for every header; a template is that encoder's own output for marker
// values, cut at the markers, so rendering is string concatenation.
//
//   template = part0 slot0 part1 slot1 ... partN      slot = the opaque | one extFields value
//
// A template is checked against the generic encoder when built (sample values rendered both ways)
// and is not used when they differ. Values JSON would escape, long or escaped remarks and shapes
// past TEMPLATE_SHAPES_MAX take the generic encoder.
import type { RemotingCommand } from './remoting-command-model';

/** Shapes remembered per process (each is a few strings); past it, new shapes are encoded generically. */
export const TEMPLATE_SHAPES_MAX = 512;
/** A remark is part of the shape: longer ones (error texts) are not templated. */
const REMARK_MAX_CHARS = 64;
/** Printable ASCII without `"` and `\`: what JSON writes as it is. */
const PLAIN_TEXT = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const OPAQUE_MARKER = 1357924680;
const SAMPLE_OPAQUE = -2147483648;
const valueMarker = (slot: number) => `@@${slot}~@@`;

type Encode = (command: RemotingCommand) => Buffer;

interface Template {
  parts: string[];
  /** per slot: -1 the opaque, otherwise the index of the extFields value (in the command's key order) */
  slots: number[];
}

const templates = new Map<string, Template | null>();

/** The shapes used last, compared field by field (no key string built): a pull's answers hit here. */
interface RecentShape {
  code: number;
  flag: number;
  language: string;
  version: number;
  remark: string | undefined;
  keys: string[] | undefined;
  template: Template | null;
}
const RECENT_SHAPES = 8;
const recent: RecentShape[] = [];

function sameShape(shape: RecentShape, command: RemotingCommand, keys: string[] | undefined): boolean {
  if (
    shape.code !== command.code ||
    shape.flag !== command.flag ||
    shape.version !== command.version ||
    shape.language !== command.language ||
    shape.remark !== (command.remark ?? undefined)
  )
    return false;
  if (keys === undefined || shape.keys === undefined) return keys === shape.keys;
  if (keys.length !== shape.keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== shape.keys[i]) return false;
  return true;
}

function findTemplate(command: RemotingCommand, keys: string[] | undefined, encode: Encode): Template | null {
  for (let i = 0; i < recent.length; i++) {
    const shape = recent[i];
    if (!sameShape(shape, command, keys)) continue;
    if (i > 0) {
      recent.splice(i, 1);
      recent.unshift(shape);
    }
    return shape.template;
  }
  const key = shapeKey(command, keys ?? []);
  if (key === undefined) return null;
  let template = templates.get(key);
  if (template === undefined) {
    if (templates.size >= TEMPLATE_SHAPES_MAX) return null;
    template = build(command, keys ?? [], encode);
    templates.set(key, template);
  }
  const { code, flag, language, version } = command;
  recent.unshift({ code, flag, language, version, remark: command.remark ?? undefined, keys, template });
  if (recent.length > RECENT_SHAPES) recent.pop();
  return template;
}

function shapeKey(command: RemotingCommand, keys: string[]): string | undefined {
  const remark = command.remark;
  if (remark !== undefined && remark !== null && (remark.length > REMARK_MAX_CHARS || !PLAIN_TEXT.test(remark)))
    return undefined;
  // joined by \u0001, which no plain remark or key contains (keys are checked when the template is built)
  const fields = command.extFields === undefined ? '\u0000' : keys.join('\u0001');
  return `${command.code}\u0001${command.flag}\u0001${command.language}\u0001${command.version}\u0001${remark ?? '\u0000'}\u0001${fields}`;
}

function withValues(command: RemotingCommand, keys: string[], opaque: number, value: (i: number) => string) {
  const extFields: Record<string, string> = {};
  keys.forEach((key, i) => (extFields[key] = value(i)));
  return { ...command, opaque, extFields: command.extFields === undefined ? undefined : extFields };
}

function build(command: RemotingCommand, keys: string[], encode: Encode): Template | null {
  if (!keys.every((key) => PLAIN_TEXT.test(key))) return null;
  const text = encode(withValues(command, keys, OPAQUE_MARKER, valueMarker)).toString('utf8');
  const markers = [String(OPAQUE_MARKER), ...keys.map((_, i) => valueMarker(i))];
  const found = markers.map((marker, i) => ({ marker, slot: i - 1, at: text.indexOf(marker) }));
  if (found.some(({ marker, at }) => at < 0 || text.indexOf(marker, at + 1) >= 0)) return null;
  found.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { marker, at } of found) {
    parts.push(text.slice(from, at));
    from = at + marker.length;
  }
  parts.push(text.slice(from));
  const template = { parts, slots: found.map(({ slot }) => slot) };
  const sample = withValues(command, keys, SAMPLE_OPAQUE, (i) => `${9007199254740991 - i}`);
  const rendered = render(
    template,
    sample.opaque,
    keys.map((key) => sample.extFields?.[key] ?? ''),
  );
  return Buffer.from(rendered, 'latin1').equals(encode(sample)) ? template : null;
}

function render(template: Template, opaque: number, values: string[]): string {
  let text = template.parts[0];
  for (let i = 0; i < template.slots.length; i++) {
    const slot = template.slots[i];
    text += (slot < 0 ? String(opaque) : values[slot]) + template.parts[i + 1];
  }
  return text;
}

/**
 * The header text `encode` (the generic JSON encoder) would give `command`, from its shape's
 * template, or undefined when there is no usable template (then the caller encodes generically).
 * The text is printable ASCII: its length is its byte length, and latin1 writes it as utf8 would.
 */
export function templatedJsonHeaderText(command: RemotingCommand, encode: Encode): string | undefined {
  const extFields = command.extFields;
  const keys = extFields === undefined ? undefined : Object.keys(extFields);
  const values: string[] = [];
  if (keys !== undefined) {
    for (let i = 0; i < keys.length; i++) {
      const value = extFields![keys[i]];
      if (typeof value !== 'string' || !PLAIN_TEXT.test(value)) return undefined;
      values.push(value);
    }
  }
  const template = findTemplate(command, keys, encode);
  return template === null ? undefined : render(template, command.opaque, values);
}

/** templatedJsonHeaderText as bytes. */
export function templatedJsonHeader(command: RemotingCommand, encode: Encode): Buffer | undefined {
  const text = templatedJsonHeaderText(command, encode);
  return text === undefined ? undefined : Buffer.from(text, 'latin1');
}

/** How many shapes are remembered (tests). */
export function templateShapes(): number {
  return templates.size;
}

/** Forgets every shape (tests that make many). */
export function forgetTemplates(): void {
  templates.clear();
  recent.length = 0;
}
