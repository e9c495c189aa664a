// config/timerWheel.json: per timer-wheel queue, the first queue offset not yet delivered or rolled
// ({"offsetTable":{0:12,64:3,…}}, unquoted int keys, like delayOffset.json). Persisted every few
// seconds when it changed and at shutdown; after a crash the entries since the last persist are
// processed again (at-least-once, as Java's delay levels).
import type { FastjsonValue } from '../../codec/fastjson-parse';
import { ConfigManager, integerOf, wrapperTable } from '../config-manager';

export class TimerWheelOffsets extends ConfigManager {
  readonly offsetTable = new Map<number, number>();
  dirty = false;

  get(queueId: number): number | undefined {
    return this.offsetTable.get(queueId);
  }

  set(queueId: number, queueOffset: number): void {
    if (this.offsetTable.get(queueId) === queueOffset) return;
    this.offsetTable.set(queueId, queueOffset);
    this.dirty = true;
  }

  persistIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (!this.persist()) this.dirty = true; // try again next time
  }

  protected encodeContent(): unknown {
    return { offsetTable: new Map([...this.offsetTable].sort(([a], [b]) => a - b)) };
  }

  protected decodeContent(parsed: FastjsonValue): void {
    const { table } = wrapperTable(parsed, 'offsetTable', 'timer wheel offset table');
    this.loadEntries(table, 'timer queue', (queueId, queueOffset) => {
      this.offsetTable.set(integerOf(queueId, 'queueId', 0, 0x7fffffff), integerOf(queueOffset, 'offset', 0));
    });
  }
}
