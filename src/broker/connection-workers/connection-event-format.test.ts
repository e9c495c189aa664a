import { expect } from 'chai';
import { EVENT_HEAD_BYTES, EventKind, EventWriter, forEachEvent } from './connection-event-format';

interface Seen {
  kind: number;
  server: number;
  id: number;
  text: string;
}

function readAll(events: ArrayBuffer, count: number): Seen[] {
  const seen: Seen[] = [];
  forEachEvent(events, count, (kind, server, id, bytes) => seen.push({ kind, server, id, text: bytes.toString() }));
  return seen;
}

describe('connection events (connection-event-format)', () => {
  it('packs a turn of events into one buffer and reads them back in order', () => {
    const writer = new EventWriter();
    writer.add(EventKind.OPEN, 1, 7, Buffer.from('["127.0.0.1",5000,"127.0.0.1",10909]'));
    writer.add(EventKind.FRAME, 1, 7, Buffer.from('frame'));
    writer.add(EventKind.SEND, 1, 7);
    writer.add(EventKind.CLOSED, 0, 0xffff_fffe, Buffer.from('["",0]'));
    expect(writer.count).to.equal(4);
    const { count, events } = writer.take();
    expect(events.byteLength).to.equal(4 * EVENT_HEAD_BYTES + 36 + 5 + 6);
    expect(readAll(events, count)).to.deep.equal([
      { kind: EventKind.OPEN, server: 1, id: 7, text: '["127.0.0.1",5000,"127.0.0.1",10909]' },
      { kind: EventKind.FRAME, server: 1, id: 7, text: 'frame' },
      { kind: EventKind.SEND, server: 1, id: 7, text: '' },
      { kind: EventKind.CLOSED, server: 0, id: 0xffff_fffe, text: '["",0]' },
    ]);
    expect(writer.count, 'the writer starts over').to.equal(0);
    expect(writer.bytes).to.equal(0);
  });

  it('keeps each write its own event (each is admitted against the write limit on its own)', () => {
    const writer = new EventWriter();
    writer.add(EventKind.WRITE, 0, 3, Buffer.from('head'));
    writer.add(EventKind.WRITE, 0, 3, Buffer.from('body'));
    const { count, events } = writer.take();
    expect(readAll(events, count).map((event) => event.text)).to.deep.equal(['head', 'body']);
  });

  const mustFail: [string, Buffer, number][] = [
    ['a count past the buffer', Buffer.alloc(EVENT_HEAD_BYTES), 2],
    ['a head cut short', Buffer.alloc(EVENT_HEAD_BYTES - 1), 1],
    [
      'a length past the end',
      (() => {
        const bytes = Buffer.alloc(EVENT_HEAD_BYTES + 3);
        bytes.writeUInt32BE(4, 6);
        return bytes;
      })(),
      1,
    ],
  ];
  for (const [name, bytes, count] of mustFail) {
    it(`refuses ${name} with an error naming the event`, () => {
      const events = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      expect(() => readAll(events, count)).to.throw(/^event \d+ of \d+/);
    });
  }
});
