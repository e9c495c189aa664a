/**
 * The error the message codec throws for malformed bytes. `position` is the byte position in the
 * input where decoding gave up and `reason` a short machine-friendly tag (e.g. 'truncated').
 */
export class MessageCodecError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
    detail?: string,
  ) {
    super(`${reason}${detail === undefined ? '' : `: ${detail}`} (at byte ${position})`);
    this.name = 'MessageCodecError';
  }
}
