/**
 * The one error type the codec throws for malformed input. `position` is the byte (or character)
 * position where decoding gave up, so a log line can point at the bad byte.
 */
export class CodecError extends Error {
  constructor(
    message: string,
    readonly position: number = -1,
  ) {
    super(position >= 0 ? `${message} (at ${position})` : message);
    this.name = 'CodecError';
  }
}
