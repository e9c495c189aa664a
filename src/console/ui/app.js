// The console's shell: session and login, navigation (#/page/arg), the JSON API helper and the
// live charts (uPlot). The pages live in pages.js and message-pages.js.
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import uPlot from 'uplot';
import { ClusterPage, TopicsPage, TopicPage, GroupsPage, GroupPage } from './pages.js';
import { MessagesPage, DlqPage, SendPage } from './message-pages.js';

export const html = htm.bind(h);

/** GET with query parameters, or POST a JSON object; throws Error(message) on an error answer. */
export async function api(path, input, method = 'GET') {
  let url = path;
  const options = { method, headers: {} };
  if (method === 'POST') {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(input ?? {});
  } else if (input !== undefined) {
    url += '?' + new URLSearchParams(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')).toString();
  }
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/** Loads `load()` now and whenever `deps` change; returns [data, error, reload]. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const reload = () => load().then((data) => setState({ data, error: undefined }), (error) => setState({ data: undefined, error: error.message }));
  useEffect(() => {
    reload();
  }, deps);
  return [state.data, state.error, reload];
}

export const time = (ms) => (ms > 0 ? new Date(ms).toLocaleString('sv-SE') : '-');
export const Error_ = ({ error }) => (error ? html`<div class="error" role="alert">${error}</div>` : null);

export function Chart({ title, series, data, id }) {
  const ref = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const options = {
      title,
      width: 560,
      height: 220,
      scales: { x: { time: true } },
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
    };
    plot.current = new uPlot(options, data, ref.current);
    return () => plot.current.destroy();
  }, []);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return html`<div class="card" id=${id} ref=${ref}></div>`;
}

function ChartsPage() {
  const [samples, setSamples] = useState([]);
  const [error, setError] = useState();
  useEffect(() => {
    const load = () => api('/api/stats').then((body) => setSamples(body.samples), (e) => setError(e.message));
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, []);
  const xs = samples.map((s) => s.timestampMs / 1000);
  const last = samples[samples.length - 1];
  return html`<h2>Live charts</h2>
    <${Error_} error=${error} />
    <p class="muted"><span id="sample-count">${samples.length}</span> samples, every 2 s (the last 10 minutes are kept). Now: send ${last?.putTps ?? 0}/s, consume ${last?.getTps ?? 0}/s, lag <span id="lag-now">${last?.lag ?? 0}</span>.</p>
    <div class="charts">
      <${Chart} id="chart-tps" title="Send / consume TPS" series=${[{ label: 'send TPS', color: '#1f6feb' }, { label: 'consume TPS', color: '#1a7f37' }]} data=${[xs, samples.map((s) => s.putTps), samples.map((s) => s.getTps)]} />
      <${Chart} id="chart-lag" title="Consumer lag (all groups)" series=${[{ label: 'lag', color: '#cf222e' }]} data=${[xs, samples.map((s) => s.lag)]} />
    </div>`;
}

function Login({ onDone }) {
  const [error, setError] = useState();
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    api('/api/login', { accessKey: form.get('accessKey'), secretKey: form.get('secretKey') }, 'POST').then(onDone, (e) => setError(e.message));
  };
  return html`<form class="card login" onSubmit=${submit}>
    <h2>Log in</h2>
    <p class="muted">The broker runs with ACL: use an account of plain_acl.yml (writes need admin).</p>
    <div class="row"><label>accessKey<input name="accessKey" id="accessKey" /></label></div>
    <div class="row"><label>secretKey<input name="secretKey" id="secretKey" type="password" /></label></div>
    <${Error_} error=${error} />
    <button type="submit" id="login">Log in</button>
  </form>`;
}

const PAGES = [
  ['cluster', 'Cluster'],
  ['topics', 'Topics'],
  ['groups', 'Consumer groups'],
  ['messages', 'Messages'],
  ['dlq', 'DLQ'],
  ['send', 'Send test message'],
  ['charts', 'Charts'],
];

function currentRoute() {
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { page: page || 'cluster', arg: rest.map(decodeURIComponent).join('/') };
}

function Page({ route, session }) {
  const props = { arg: route.arg, session };
  switch (route.page) {
    case 'topics': return html`<${TopicsPage} ...${props} />`;
    case 'topic': return html`<${TopicPage} ...${props} />`;
    case 'groups': return html`<${GroupsPage} ...${props} />`;
    case 'group': return html`<${GroupPage} ...${props} />`;
    case 'messages': return html`<${MessagesPage} ...${props} />`;
    case 'dlq': return html`<${DlqPage} ...${props} />`;
    case 'send': return html`<${SendPage} ...${props} />`;
    case 'charts': return html`<${ChartsPage} />`;
    default: return html`<${ClusterPage} ...${props} />`;
  }
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [session, setSession] = useState();
  const loadSession = () => api('/api/session').then(setSession, () => setSession({ loggedIn: false, aclEnabled: true }));
  useEffect(() => {
    loadSession();
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (session === undefined) return html`<p>Loading…</p>`;
  const logout = () => api('/api/logout', {}, 'POST').then(loadSession);
  const active = route.page === 'topic' ? 'topics' : route.page === 'group' ? 'groups' : route.page;
  return html`<header>
      <h1>RocketMQ-TS · ${session.clusterName ?? ''} / ${session.brokerName ?? ''}</h1>
      <nav>${PAGES.map(([page, label]) => html`<a href="#/${page}" id="nav-${page}" class=${active === page ? 'active' : ''}>${label}</a>`)}</nav>
      <span class="who">${session.aclEnabled ? (session.loggedIn ? html`${session.accessKey}${session.admin ? ' (admin)' : ' (read only)'} · <a href="#" style="color:#fff" onClick=${logout}>log out</a>` : 'ACL on') : 'ACL off'}</span>
    </header>
    <main>${session.loggedIn ? html`<${Page} route=${route} session=${session} />` : html`<${Login} onDone=${loadSession} />`}</main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
