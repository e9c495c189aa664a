// DataVersion (org.apache.rocketmq.common.DataVersion): the broker's topic-config version.
//
//   JSON = {"counter":<long>,"timestamp":<ms>}
//
// The broker bumps it (timestamp = now, counter + 1) on every topic config change. The name server
// compares versions with DataVersion.equals: timestamp AND counter equal.
import type { FastjsonValue } from '../fastjson-parse';
import { asBean, longField } from './bean-fields';

export interface DataVersion {
  timestamp: number;
  counter: number;
}

/** The version Java assumes for a REGISTER_BROKER without a body. */
export const EMPTY_DATA_VERSION: Readonly<DataVersion> = Object.freeze({ timestamp: 0, counter: 0 });

export function dataVersionEquals(a: DataVersion, b: DataVersion): boolean {
  return a.timestamp === b.timestamp && a.counter === b.counter;
}

/**
 * Reads a parsed DataVersion bean. Missing properties keep Java's constructor defaults
 * (timestamp = now, counter = 0), so a wrapper without a version always counts as changed.
 */
export function readDataVersion(value: FastjsonValue | undefined, nowMs: number): DataVersion {
  if (value === undefined || value === null) return { timestamp: nowMs, counter: 0 };
  const bean = asBean(value, 'DataVersion');
  return {
    timestamp: longField(bean, 'timestamp', nowMs, 'DataVersion'),
    counter: longField(bean, 'counter', 0, 'DataVersion'),
  };
}

/** The bean to hand to the fastjson writer: `{"counter":n,"timestamp":ms}`. */
export function dataVersionBean(version: DataVersion): { counter: number; timestamp: number } {
  return { counter: version.counter, timestamp: version.timestamp };
}
