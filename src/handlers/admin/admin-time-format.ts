// Date strings Java writes into admin bodies, in the broker's local time zone.

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** UtilAll.formatDate(date, "yyyy-MM-dd#HH:mm:ss:SSS"), as QueueTimeSpan's *Str getters write it. */
export function formatQueueTimeSpanDate(timestampMs: number): string {
  const date = new Date(timestampMs);
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}#` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}:${pad(date.getMilliseconds(), 3)}`
  );
}
