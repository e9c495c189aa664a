// Public surface of the message codec (pure: no fs, sockets or timers).
export * from './body-crc';
export * from './buffer-int64';
export * from './host-address';
export * from './message-batch';
export * from './message-codec-error';
export * from './message-id';
export * from './message-properties';
export * from './message-record';
export * from './message-record-check';
export * from './message-record-layout';
export * from './message-sys-flag';
