import { CodecError } from '../codec-error';

/**
 * The error the message codec throws for malformed bytes: a CodecError (so callers can catch
 * every codec failure as one type) with a short machine-friendly `reason` such as 'truncated',
 * 'bad-magic' or 'bad-length'. `position` is the byte where decoding gave up.
 */
export class MessageCodecError extends CodecError {
  constructor(
    readonly reason: string,
    position: number,
    detail?: string,
  ) {
    super(detail === undefined ? reason : `${reason}: ${detail}`, position);
    this.name = 'MessageCodecError';
  }
}
