// Golden frames written by the official 4.7.1 jars (compat-tests GoldenGenerator): every frame is
// decoded and compared with its expectation, re-encoded byte for byte, and fed to the frame
// decoder split at every byte.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FrameDecoder } from './frame-decoder';
import { decodeRemotingCommand, encodeRemotingCommand, SerializeType } from './remoting-command';

const FIXTURES = path.resolve(__dirname, '../../../src/codec/fixtures');

interface ManifestEntry {
  file: string;
  kind: string;
  sha256: string;
  description: string;
}

interface FrameExpectation {
  serializeType: 'JSON' | 'ROCKETMQ';
  code: number;
  language: string;
  version: number;
  opaque: number;
  flag: number;
  remark: string | null;
  extFields: Record<string, string> | null;
  bodyHex: string | null;
}

const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as {
  rocketmqVersion: string;
  fixtures: ManifestEntry[];
};
const frames = manifest.fixtures.filter((entry) => entry.kind === 'frame');

function load(entry: ManifestEntry): { bytes: Buffer; expected: FrameExpectation } {
  const bytes = Buffer.from(fs.readFileSync(path.join(FIXTURES, entry.file), 'utf8').trim(), 'hex');
  const expectFile = path.join(FIXTURES, entry.file.replace(/\.hex$/, '.expect.json'));
  return { bytes, expected: JSON.parse(fs.readFileSync(expectFile, 'utf8')) as FrameExpectation };
}

describe('golden frames from the 4.7.1 jars', () => {
  it('has a manifest for 4.7.1 with frames of both serialize types', () => {
    expect(manifest.rocketmqVersion).to.equal('4.7.1');
    expect(frames.some((entry) => entry.file.endsWith('.json.hex'))).to.equal(true);
    expect(frames.some((entry) => entry.file.endsWith('.rocketmq.hex'))).to.equal(true);
  });

  for (const entry of frames) {
    describe(entry.file, () => {
      const { bytes, expected } = load(entry);

      it('matches its manifest checksum', () => {
        expect(createHash('sha256').update(bytes).digest('hex')).to.equal(entry.sha256);
      });

      it('decodes to the expected command', () => {
        const [frame] = new FrameDecoder().push(bytes);
        const command = decodeRemotingCommand(frame);
        expect(command.serializeType).to.equal(
          expected.serializeType === 'JSON' ? SerializeType.JSON : SerializeType.ROCKETMQ,
        );
        expect(command).to.include({
          code: expected.code,
          language: expected.language,
          version: expected.version,
          opaque: expected.opaque,
          flag: expected.flag,
        });
        expect(command.remark ?? null).to.equal(
          expected.remark === '' && expected.serializeType === 'ROCKETMQ' ? null : expected.remark,
        );
        expect(command.extFields ?? null).to.deep.equal(expected.extFields);
        expect(command.body?.toString('hex') ?? null).to.equal(expected.bodyHex === '' ? null : expected.bodyHex);
      });

      it('re-encodes byte for byte', () => {
        const [frame] = new FrameDecoder().push(bytes);
        expect(encodeRemotingCommand(decodeRemotingCommand(frame)).toString('hex')).to.equal(bytes.toString('hex'));
      });

      it('decodes when split at every byte', () => {
        for (let split = 1; split < bytes.length; split++) {
          const decoder = new FrameDecoder();
          const got = [...decoder.push(bytes.subarray(0, split)), ...decoder.push(bytes.subarray(split))];
          expect(got, `split at ${split}`).to.have.length(1);
          expect(decodeRemotingCommand(got[0]).opaque).to.equal(expected.opaque);
        }
      });
    });
  }
});
