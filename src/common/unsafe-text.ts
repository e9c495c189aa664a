// Text that would not survive being persisted and loaded back as itself: control characters
// (Java's Character.isISOControl) break line-based files and are never part of a name a client
// sends; an unpaired UTF-16 surrogate is written as U+FFFD, so it loads back as other text.

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `U+000A` for the UTF-16 unit at `index`. */
export function codeUnitName(text: string, index: number): string {
  return `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `text` would not be written as UTF-8 and read back as itself, or undefined. */
export function unpairedSurrogateProblem(text: string): string | undefined {
  const surrogate = UNPAIRED_SURROGATE.exec(text);
  if (surrogate !== null)
    return `contains the unpaired surrogate ${codeUnitName(text, surrogate.index)} at index ${surrogate.index}`;
  return undefined;
}

/** Why `text` would not load back as itself from a line-based file, or undefined. */
export function unsafeTextProblem(text: string): string | undefined {
  const control = CONTROL_CHARACTER.exec(text);
  if (control !== null)
    return `contains the control character ${codeUnitName(text, control.index)} at index ${control.index}`;
  return unpairedSurrogateProblem(text);
}
