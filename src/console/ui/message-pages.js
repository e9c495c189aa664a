// Message search (topic + time range, message id, key), message detail with body preview and
// resend to a group, the DLQ with resend, and sending a test message.
import { useState } from 'preact/hooks';
import { api, html, useLoad, time, Error_ } from './app.js';

const localInput = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 19);

function Resend({ message, defaultGroup, admin }) {
  const [result, setResult] = useState();
  if (!admin) return null;
  const submit = (event) => {
    event.preventDefault();
    const group = new FormData(event.target).get('group');
    api('/api/messages/resend', { msgId: message.msgId, group }, 'POST').then(
      (r) => setResult(`resent to ${r.topic} queue ${r.queueId} offset ${r.queueOffset} (${r.msgId})`),
      (e) => setResult(`error: ${e.message}`),
    );
  };
  return html`<form class="row resend-form" onSubmit=${submit}>
    <label>Resend to group<input name="group" value=${defaultGroup ?? ''} /></label><button type="submit">Resend</button>
    ${result && html`<span class=${result.startsWith('error') ? 'error' : 'ok'} id="resend-result">${result}</span>`}
  </form>`;
}

function MessageDetail({ message, defaultGroup, admin }) {
  const [view, setView] = useState(message.bodyJson !== undefined ? 'json' : 'text');
  const body = view === 'json' ? JSON.stringify(message.bodyJson, null, 2) : view === 'hex' ? message.bodyHex.replace(/(..)/g, '$1 ').replace(/((?:.. ){16})/g, '$1\n') : message.bodyText;
  return html`<div class="card" id="message-detail">
    <h3>Message ${message.msgId}</h3>
    <table><tr><th>Topic</th><td>${message.topic}</td><th>Queue / offset</th><td>${message.queueId} / ${message.queueOffset}</td></tr>
      <tr><th>Stored</th><td>${time(message.storeTimestampMs)}</td><th>Born</th><td>${time(message.bornTimestampMs)} from ${message.bornHost}</td></tr>
      <tr><th>UNIQ_KEY</th><td>${message.uniqKey}</td><th>Reconsume times</th><td>${message.reconsumeTimes}</td></tr></table>
    <h3>Properties</h3>
    <table id="properties"><tr><th>Name</th><th>Value</th></tr>${Object.entries(message.properties).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
    <h3>Body (${message.bodySizeBytes} bytes)</h3>
    <div class="tabs">${['text', 'json', 'hex'].map((v) => html`<button class=${view === v ? '' : 'plain'} disabled=${v === 'json' && message.bodyJson === undefined} onClick=${() => setView(v)} id="body-${v}">${v.toUpperCase()}</button>`)}</div>
    <pre id="body-preview">${body}</pre>
    <${Resend} message=${message} defaultGroup=${defaultGroup} admin=${admin} />
  </div>`;
}

function MessageTable({ messages, onPick }) {
  return html`<table id="messages"><tr><th>Message id</th><th>Topic</th><th>Tags</th><th>Keys</th><th class="num">Queue</th><th class="num">Offset</th><th>Stored</th></tr>
    ${messages.map((m) => html`<tr><td><button class="link msg-link" onClick=${() => onPick(m)}>${m.msgId}</button></td><td>${m.topic}</td><td>${m.tags}</td><td>${m.keys}</td><td class="num">${m.queueId}</td><td class="num">${m.queueOffset}</td><td>${time(m.storeTimestampMs)}</td></tr>`)}
  </table>`;
}

export function MessagesPage({ session }) {
  const [mode, setMode] = useState('time');
  const [result, setResult] = useState();
  const [error, setError] = useState();
  const [picked, setPicked] = useState();
  const nowMs = Date.now();
  const search = (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    const path = { time: '/api/messages/by-time', id: '/api/messages/by-id', key: '/api/messages/by-key' }[mode];
    if (mode === 'time') Object.assign(form, { begin: new Date(form.begin).getTime(), end: new Date(form.end).getTime() });
    setPicked(undefined);
    api(path, form).then((r) => { setError(undefined); setResult(r); }, (e) => { setResult(undefined); setError(e.message); });
  };
  return html`<h2>Messages</h2>
    <div class="tabs">${[['time', 'Topic + time'], ['id', 'Message id'], ['key', 'Key']].map(([m, label]) => html`<button id="mode-${m}" class=${mode === m ? '' : 'plain'} onClick=${() => setMode(m)}>${label}</button>`)}</div>
    <form class="card row" id="search-form" onSubmit=${search}>
      ${mode !== 'id' ? html`<label>Topic<input name="topic" required /></label>` : html`<label>Topic (optional for an offsetMsgId)<input name="topic" /></label>`}
      ${mode === 'time' && html`<label>From<input name="begin" type="datetime-local" step="1" value=${localInput(nowMs - 3600_000)} /></label><label>To<input name="end" type="datetime-local" step="1" value=${localInput(nowMs + 60_000)} /></label>`}
      ${mode === 'id' && html`<label>Message id (offsetMsgId or UNIQ_KEY)<input name="msgId" size="36" required /></label>`}
      ${mode === 'key' && html`<label>Key<input name="key" required /></label>`}
      <button type="submit" id="search">Search</button>
    </form>
    <${Error_} error=${error} />
    ${result && html`<p class="muted" id="found">${result.messages.length} found${result.truncated ? ' (more exist: narrow the range)' : ''}</p><${MessageTable} messages=${result.messages} onPick=${setPicked} />`}
    ${picked && html`<${MessageDetail} message=${picked} admin=${session.admin} />`}`;
}

export function DlqPage({ session }) {
  const [rows, error] = useLoad(() => api('/api/dlq'), []);
  const [topic, setTopic] = useState();
  const [messages, setMessages] = useState();
  const [picked, setPicked] = useState();
  const open = (row) => {
    setTopic(row);
    setPicked(undefined);
    api('/api/messages/by-time', { topic: row.topic, begin: 0, end: Date.now() + 60_000 }).then((r) => setMessages(r.messages), () => setMessages([]));
  };
  return html`<h2>Dead-letter queues</h2>
    <${Error_} error=${error} />
    ${rows && (rows.length === 0 ? html`<p>No %DLQ% topic on this broker.</p>` : html`<table id="dlq-topics"><tr><th>DLQ topic</th><th>Group</th><th class="num">Messages</th></tr>
      ${rows.map((r) => html`<tr><td><button class="link dlq-link" onClick=${() => open(r)}>${r.topic}</button></td><td>${r.group}</td><td class="num">${r.messages}</td></tr>`)}</table>`)}
    ${topic && messages && html`<h3>${topic.topic}</h3><${MessageTable} messages=${messages} onPick=${setPicked} />`}
    ${picked && html`<${MessageDetail} message=${picked} defaultGroup=${topic.group} admin=${session.admin} />`}`;
}

export function SendPage({ session }) {
  const [result, setResult] = useState();
  const [topics] = useLoad(() => api('/api/topics'), []);
  if (!session.admin) return html`<h2>Send test message</h2><p>Sending needs an admin account.</p>`;
  const submit = (event) => {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.target));
    api('/api/messages/send', form, 'POST').then(
      (r) => setResult(`sent: ${r.msgId} to ${r.topic} queue ${r.queueId} offset ${r.queueOffset} (UNIQ_KEY ${r.uniqKey})`),
      (e) => setResult(`error: ${e.message}`),
    );
  };
  return html`<h2>Send test message</h2>
    <form class="card" id="send-form" onSubmit=${submit}>
      <div class="row">
        <label>Topic<select name="topic">${(topics ?? []).filter((t) => t.kind === 'NORMAL').map((t) => html`<option>${t.topic}</option>`)}</select></label>
        <label>Tags<input name="tags" /></label><label>Keys<input name="keys" /></label>
      </div>
      <label>Body<textarea name="body">{"hello":"rocketmq"}</textarea></label>
      <div class="row" style="margin-top:8px"><button type="submit" id="send">Send</button></div>
      ${result && html`<div class=${result.startsWith('error') ? 'error' : 'ok'} id="send-result">${result}</div>`}
    </form>`;
}
