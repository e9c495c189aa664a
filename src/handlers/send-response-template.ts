// The JSON header of a successful send's answer, built from a template instead of the generic
// serializer (issue #15: the main thread's share per send). The template is the generic encoder's
// own output for marker values, cut at the markers, and is checked against the generic encoder
// when built; a template that does not reproduce it is not used.
import { encodeJsonHeader } from '../codec/json-header-codec';
import {
  createResponseCommand,
  type RemotingCommand,
  RPC_TYPE_RESPONSE,
  SerializeType,
} from '../codec/remoting-command';
import { ResponseCode } from '../codec/response-code';

export interface SendAnswerFields {
  msgId: string;
  queueId: string;
  queueOffset: string;
  MSG_REGION: string;
  TRACE_ON: string;
}

const MARKERS = { opaque: 1357924680, msgId: '@@msgId@@', queueId: '@@queueId@@', queueOffset: '@@queueOffset@@' };
type Slot = 'opaque' | 'msgId' | 'queueId' | 'queueOffset';

interface Template {
  parts: string[];
  slots: Slot[];
}

/** The last template built, for which region and trace setting; null template: not usable. */
let cache: { regionAndTrace: string; template: Template | null } | undefined;

function answerCommand(opaque: number, fields: SendAnswerFields): RemotingCommand {
  const request = { opaque, serializeType: SerializeType.JSON } as RemotingCommand;
  const command = createResponseCommand(request, ResponseCode.SUCCESS, { extFields: { ...fields } });
  command.flag |= RPC_TYPE_RESPONSE;
  return command;
}

function build(region: string, traceOn: string): Template | null {
  const text = encodeJsonHeader(
    answerCommand(MARKERS.opaque, {
      msgId: MARKERS.msgId,
      queueId: MARKERS.queueId,
      queueOffset: MARKERS.queueOffset,
      MSG_REGION: region,
      TRACE_ON: traceOn,
    }),
  ).toString('utf8');
  const found = (Object.keys(MARKERS) as Slot[]).map((slot) => ({
    slot,
    marker: String(MARKERS[slot]),
    at: text.indexOf(String(MARKERS[slot])),
  }));
  if (found.some(({ marker, at }) => at < 0 || text.indexOf(marker, at + 1) >= 0)) return null;
  found.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const { marker, at } of found) {
    parts.push(text.slice(from, at));
    from = at + marker.length;
  }
  parts.push(text.slice(from));
  const built = { parts, slots: found.map(({ slot }) => slot) };
  const sample = {
    msgId: '7F00000100002A9F0000000000001234',
    queueId: '7',
    queueOffset: '123456789012',
    MSG_REGION: region,
    TRACE_ON: traceOn,
  };
  const expected = encodeJsonHeader(answerCommand(-2147483648, sample));
  return render(built, -2147483648, sample).equals(expected) ? built : null;
}

function render(built: Template, opaque: number, fields: SendAnswerFields): Buffer {
  let text = built.parts[0];
  for (let i = 0; i < built.slots.length; i++) {
    const slot = built.slots[i];
    text += (slot === 'opaque' ? String(opaque) : fields[slot]) + built.parts[i + 1];
  }
  return Buffer.from(text, 'utf8');
}

const FIELD_ORDER = 'msgId,queueId,queueOffset,MSG_REGION,TRACE_ON';
const PLAIN_TEXT = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/; // nothing JSON would escape

/**
 * The encoded JSON header of `answer` (a SUCCESS answer to `request` with exactly these extFields),
 * or undefined when the template does not apply (then the generic encoder runs).
 */
export function sendAnswerHeader(request: RemotingCommand, fields: SendAnswerFields): Buffer | undefined {
  if (request.serializeType !== SerializeType.JSON || Object.keys(fields).join() !== FIELD_ORDER) return undefined;
  if (!PLAIN_TEXT.test(fields.msgId) || !PLAIN_TEXT.test(fields.queueId) || !PLAIN_TEXT.test(fields.queueOffset))
    return undefined;
  const regionAndTrace = `${fields.MSG_REGION}\u0000${fields.TRACE_ON}`;
  if (cache?.regionAndTrace !== regionAndTrace) {
    cache = {
      regionAndTrace,
      template: PLAIN_TEXT.test(fields.MSG_REGION) ? build(fields.MSG_REGION, fields.TRACE_ON) : null,
    };
  }
  return cache.template === null ? undefined : render(cache.template, request.opaque, fields);
}
