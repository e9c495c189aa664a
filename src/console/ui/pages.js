// Cluster, topic and consumer-group pages.
import { useState } from 'preact/hooks';
import { api, html, useLoad, time, Error_ } from './app.js';

const PERM_NAMES = { 2: 'W', 4: 'R', 6: 'RW' };

export function ClusterPage() {
  const [data, error] = useLoad(() => api('/api/cluster'), []);
  return html`<h2>Cluster</h2>
    <${Error_} error=${error ?? data?.error} />
    ${data && html`<p class="muted">NameServers: ${data.nameServers.join(', ')}</p>
      <table id="brokers">
        <tr><th>Cluster</th><th>Broker</th><th>Id</th><th>Role</th><th>Address</th><th>Version</th><th class="num">Send TPS</th><th class="num">Consume TPS</th><th class="num">Today in / out</th><th>Disk</th><th>Since</th></tr>
        ${data.brokers.map((b) => html`<tr>
          <td>${b.cluster}</td><td>${b.brokerName}${b.self ? ' (this)' : ''}</td><td class="num">${b.brokerId}</td><td>${b.role}</td><td>${b.address}</td>
          ${b.runtime
            ? html`<td>${b.runtime.brokerVersionDesc}</td><td class="num">${b.runtime.putTps.split(' ')[0]}</td><td class="num">${b.runtime.getTransferedTps.split(' ')[0]}</td>
                <td class="num">${b.runtime.msgPutTotalTodayNow} / ${b.runtime.msgGetTotalTodayNow}</td>
                <td>${(Number(b.runtime.commitLogDiskRatio) * 100).toFixed(1)}% used · ${b.runtime.commitLogDirCapacity}</td><td>${time(Number(b.runtime.bootTimestamp))}</td>`
            : html`<td colspan="6" class="error">${b.error}</td>`}
        </tr>`)}
      </table>`}`;
}

function TopicForm({ initial, onDone, admin }) {
  const [error, setError] = useState();
  const [done, setDone] = useState();
  if (!admin) return null;
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const input = { topic: form.get('topic'), readQueueNums: Number(form.get('readQueueNums')), writeQueueNums: Number(form.get('writeQueueNums')), perm: Number(form.get('perm')), order: form.get('order') === 'on' };
    api('/api/topic', input, 'POST').then(() => { setError(undefined); setDone(`saved ${input.topic}`); onDone?.(); }, (e) => setError(e.message));
  };
  return html`<form class="card" id="topic-form" onSubmit=${submit}>
    <h3>${initial ? 'Update topic' : 'Create topic'}</h3>
    <div class="row">
      <label>Topic<input name="topic" value=${initial?.topicName ?? ''} readOnly=${!!initial} /></label>
      <label>Read queues<input name="readQueueNums" type="number" min="1" max="1024" value=${initial?.readQueueNums ?? 4} /></label>
      <label>Write queues<input name="writeQueueNums" type="number" min="1" max="1024" value=${initial?.writeQueueNums ?? 4} /></label>
      <label>Perm<select name="perm">${[6, 4, 2].map((p) => html`<option value=${p} selected=${(initial?.perm ?? 6) === p}>${PERM_NAMES[p]}</option>`)}</select></label>
      <label>Ordered<input name="order" type="checkbox" checked=${initial?.order ?? false} /></label>
      <button type="submit">${initial ? 'Update' : 'Create'}</button>
    </div>
    <${Error_} error=${error} />${done && html`<div class="ok">${done}</div>`}
  </form>`;
}

export function TopicsPage({ session }) {
  const [rows, error, reload] = useLoad(() => api('/api/topics'), []);
  const [showSystem, setShowSystem] = useState(false);
  return html`<h2>Topics</h2>
    <${TopicForm} admin=${session.admin} onDone=${reload} />
    <label style="flex-direction:row;gap:6px"><input type="checkbox" checked=${showSystem} onChange=${(e) => setShowSystem(e.target.checked)} /> show system, retry and DLQ topics</label>
    <${Error_} error=${error} />
    ${rows && html`<table id="topics">
      <tr><th>Topic</th><th>Kind</th><th class="num">Read / write queues</th><th>Perm</th><th class="num">Messages</th></tr>
      ${rows.filter((r) => showSystem || r.kind === 'NORMAL').map((r) => html`<tr>
        <td><a href="#/topic/${encodeURIComponent(r.topic)}">${r.topic}</a></td><td>${r.kind}</td>
        <td class="num">${r.readQueueNums} / ${r.writeQueueNums}</td><td>${PERM_NAMES[r.perm] ?? r.perm}${r.order ? ' ordered' : ''}</td><td class="num">${r.messages}</td></tr>`)}
    </table>`}`;
}

export function TopicPage({ arg, session }) {
  const [data, error, reload] = useLoad(() => api('/api/topic', { topic: arg }), [arg]);
  const [deleted, setDeleted] = useState();
  const remove = () => {
    if (!confirm(`Delete topic ${arg}?`)) return;
    api('/api/topic/delete', { topic: arg }, 'POST').then(() => setDeleted(`deleted ${arg}`), (e) => setDeleted(`error: ${e.message}`));
  };
  if (deleted) return html`<h2>Topic ${arg}</h2><div class="ok" id="deleted">${deleted}</div><a href="#/topics">back to topics</a>`;
  const route = data?.route;
  return html`<h2>Topic ${arg}</h2>
    <${Error_} error=${error} />
    ${data && html`
      <h3>Queues</h3>
      <table id="queues"><tr><th class="num">Queue</th><th class="num">Min offset</th><th class="num">Max offset</th><th>Last stored</th></tr>
        ${data.queues.map((q) => html`<tr><td class="num">${q.queueId}</td><td class="num">${q.minOffset}</td><td class="num">${q.maxOffset}</td><td>${time(q.lastStoreTimestampMs)}</td></tr>`)}
      </table>
      <h3>Route (NameServer)</h3>
      ${route ? html`<table id="route"><tr><th>Broker</th><th class="num">Read</th><th class="num">Write</th><th>Perm</th><th>Addresses</th></tr>
        ${(route.queueDatas ?? []).map((q) => {
          const broker = (route.brokerDatas ?? []).find((b) => b.brokerName === q.brokerName);
          const addrs = Array.isArray(broker?.brokerAddrs) ? broker.brokerAddrs.map((e) => `${e.key}=${e.value}`) : Object.entries(broker?.brokerAddrs ?? {}).map(([k, v]) => `${k}=${v}`);
          return html`<tr><td>${q.brokerName}</td><td class="num">${q.readQueueNums}</td><td class="num">${q.writeQueueNums}</td><td>${PERM_NAMES[q.perm] ?? q.perm}</td><td>${addrs.join(', ')}</td></tr>`;
        })}</table>` : html`<p class="muted">No route: ${data.routeError}</p>`}
      <h3>Consumer groups with offsets</h3>
      <p>${data.groups.length === 0 ? 'none' : data.groups.map((g) => html`<a href="#/group/${encodeURIComponent(g)}">${g}</a> `)}</p>
      <${TopicForm} admin=${session.admin} initial=${data.config} onDone=${reload} />
      ${session.admin && data.kind !== 'SYSTEM' && html`<button class="danger" id="delete-topic" onClick=${remove}>Delete topic</button>`}`}`;
}

export function GroupsPage() {
  const [rows, error] = useLoad(() => api('/api/groups'), []);
  return html`<h2>Consumer groups</h2>
    <${Error_} error=${error} />
    ${rows && html`<table id="groups"><tr><th>Group</th><th class="num">Members</th><th>Model</th><th class="num">Lag</th><th class="num">Consume TPS</th></tr>
      ${rows.map((r) => html`<tr><td><a href="#/group/${encodeURIComponent(r.group)}">${r.group}</a></td><td class="num">${r.members}</td><td>${r.messageModel}</td><td class="num lag">${r.lag}</td><td class="num">${r.consumeTps}</td></tr>`)}
    </table>`}`;
}

function ResetOffset({ group, topics, onDone }) {
  const [message, setMessage] = useState();
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const when = form.get('time');
    const timestamp = when === '' ? -1 : new Date(when).getTime();
    api('/api/group/reset-offset', { group, topic: form.get('topic'), timestamp }, 'POST').then(
      (r) => { setMessage(`reset ${r.topic}: ${r.offsets.map((o) => `q${o.queueId}→${o.offset}`).join(', ')}`); onDone(); },
      (e) => setMessage(`error: ${e.message}`),
    );
  };
  return html`<form class="card" id="reset-form" onSubmit=${submit}>
    <h3>Reset offset by time</h3>
    <div class="row">
      <label>Topic<select name="topic">${topics.map((t) => html`<option>${t}</option>`)}</select></label>
      <label>Time (empty = latest)<input name="time" type="datetime-local" step="1" /></label>
      <button type="submit">Reset</button>
    </div>
    ${message && html`<div class=${message.startsWith('error') ? 'error' : 'ok'} id="reset-result">${message}</div>`}
  </form>`;
}

export function GroupPage({ arg, session }) {
  const [data, error, reload] = useLoad(() => api('/api/group', { group: arg }), [arg]);
  const [running, setRunning] = useState();
  const showRunning = (clientId) => api('/api/group/running-info', { group: arg, clientId }).then((r) => setRunning({ clientId, info: r }), (e) => setRunning({ clientId, error: e.message }));
  const topics = data ? [...new Set(data.lag.map((r) => r.topic))] : [];
  return html`<h2>Consumer group ${arg}</h2>
    <${Error_} error=${error} />
    ${data && html`
      <p class="muted">${data.messageModel ?? 'offline'} ${data.consumeFromWhere ?? ''} · total lag <span class="lag" id="total-lag">${data.lag.reduce((s, r) => s + r.lag, 0)}</span></p>
      <h3>Members</h3>
      ${data.members.length === 0 ? html`<p>No member online.</p>` : html`<table id="members"><tr><th>Client id</th><th>Address</th><th>Language</th><th class="num">Version</th><th></th></tr>
        ${data.members.map((m) => html`<tr><td>${m.clientId}</td><td>${m.address}</td><td>${m.language}</td><td class="num">${m.version}</td><td><button class="plain running-info" onClick=${() => showRunning(m.clientId)}>Running info</button></td></tr>`)}</table>`}
      ${running && html`<div class="card" id="running-info"><h3>Running info of ${running.clientId}</h3>${running.error ? html`<div class="error">${running.error}</div>` : html`<pre>${JSON.stringify(running.info, null, 2)}</pre>`}</div>`}
      <h3>Subscriptions</h3>
      <p>${data.subscriptions.length === 0 ? 'none (offline)' : data.subscriptions.map((s) => html`<code>${s.topic}: ${s.subString}</code> `)}</p>
      <h3>Lag per queue</h3>
      <table id="lag"><tr><th>Topic</th><th class="num">Queue</th><th class="num">Broker offset</th><th class="num">Consumer offset</th><th class="num">Lag</th><th>Last consumed</th></tr>
        ${data.lag.map((r) => html`<tr><td>${r.topic}</td><td class="num">${r.queueId}</td><td class="num">${r.brokerOffset}</td><td class="num">${r.consumerOffset}</td><td class="num lag">${r.lag}</td><td>${time(r.lastTimestampMs)}</td></tr>`)}
      </table>
      ${session.admin && topics.length > 0 && html`<${ResetOffset} group=${arg} topics=${topics} onDone=${reload} />`}`}`;
}
