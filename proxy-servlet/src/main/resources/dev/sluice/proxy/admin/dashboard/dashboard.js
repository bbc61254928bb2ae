// Sluice dashboard: reads only Sluice's JSON API (Traefik's endpoints plus /api/reloads and
// /api/explain) and, when [metrics.prometheus] answers here, /metrics. Plain browser JavaScript,
// no framework, no build step. Every value is put in the page as text (never as HTML): router
// rules and header values come from configuration and requests.
'use strict';

(() => {
  const API = new URL('../api/', location.href);
  const params = new URLSearchParams(location.search);
  // ?refresh=MILLISECONDS: how often server health (and the rest) is read again; 5 s by default.
  const REFRESH_MS = Math.max(250, Number(params.get('refresh')) || 5000);
  // ?metrics=PATH: where the Prometheus text is, when it is not ../metrics (another entry point needs a router here).
  const METRICS = new URL(params.get('metrics') || '../metrics', location.href);
  const MAX_PAGES = 50;

  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const code = (text) => el('code', null, text);
  const badge = (text) => el('span', { class: 'badge status-' + text }, text);
  const list = (values) => (values && values.length ? values.join(', ') : '—');

  async function getJson(path) {
    const response = await fetch(new URL(path, API), { cache: 'no-store', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(path + ': ' + response.status + (body && body.message ? ' ' + body.message : ''));
    }
    return body;
  }

  /** Every page of a Traefik list (X-Next-Page is 1 on the last one). */
  async function getAll(path) {
    const out = [];
    for (let page = 1; page <= MAX_PAGES; ) {
      const response = await fetch(new URL(path + '?per_page=100&page=' + page, API), { cache: 'no-store' });
      if (!response.ok) throw new Error(path + ': ' + response.status);
      out.push(...(await response.json()));
      const next = Number(response.headers.get('X-Next-Page') || '1');
      if (next <= page) break;
      page = next;
    }
    return out;
  }

  /** Replaces a table body's rows; one muted row when there is nothing. */
  function fill(tbodyId, items, columns, row) {
    const body = $(tbodyId);
    const rows = items.map((item) => {
      const tr = el('tr', { 'data-name': item.name }, row(item).map((cell) => el('td', null, cell)));
      return tr;
    });
    if (!rows.length) rows.push(el('tr', null, el('td', { class: 'empty', colspan: columns }, 'none')));
    body.replaceChildren(...rows);
  }

  function tls(router) {
    if (!router.tls) return '—';
    const parts = [];
    if (router.tls.options) parts.push('options ' + router.tls.options);
    if (router.tls.certResolver) parts.push('resolver ' + router.tls.certResolver);
    if (router.tls.passthrough) parts.push('passthrough');
    return parts.length ? parts.join(', ') : 'yes';
  }

  /** A service's servers: for a load balancer each URL with its live UP/DOWN. */
  function servers(service) {
    const lb = service.loadBalancer;
    if (!lb || !lb.servers) {
      const inner = service.weighted || service.mirroring || service.failover;
      if (inner) return el('span', { class: 'muted' }, JSON.stringify(inner));
      return '—';
    }
    const status = service.serverStatus || {};
    return lb.servers.map((s) => {
      const where = s.url || s.address;
      const state = status[where];
      return el('span', { class: 'server', 'data-server': where, 'data-status': state || '' },
        code(where), ' ', state ? badge(state) : '');
    });
  }

  function options(middleware) {
    const key = Object.keys(middleware).find((k) => k.toLowerCase() === middleware.type);
    return key ? el('span', { class: 'mono' }, JSON.stringify(middleware[key])) : '—';
  }

  function renderOverview(o, version) {
    $('version').textContent = version ? 'v' + version.Version + ' · started ' + new Date(version.startDate).toLocaleString() : '';
    const cards = [];
    for (const proto of ['http', 'tcp', 'udp']) {
      for (const kind of ['routers', 'services', 'middlewares']) {
        const s = o[proto] && o[proto][kind];
        if (!s) continue;
        cards.push(el('div', { class: 'card', id: 'count-' + proto + '-' + kind },
          el('b', null, s.total), proto.toUpperCase() + ' ' + kind,
          s.errors ? el('span', { class: 'error' }, ' · ' + s.errors + ' errors') : ''));
      }
    }
    $('overview-cards').replaceChildren(...cards);
    const f = o.features || {};
    $('features').textContent = 'Metrics: ' + (f.metrics || 'off') + ' · Tracing: ' + (f.tracing || 'off')
      + ' · Access log: ' + (f.accessLog ? 'on' : 'off') + ' · Providers: ' + list(o.providers);
  }

  function renderEntryPoints(eps) {
    fill('entrypoints-body', eps, 4, (ep) => {
      const to = ep.http && ep.http.redirections && ep.http.redirections.entryPoint;
      return [ep.name, code(ep.address || ''), ep.http3 ? 'yes' : '—', to ? 'to ' + to.to + ' (' + (to.scheme || 'https') + ')' : '—'];
    });
  }

  function renderReloads(r) {
    if (!r) {
      $('reload-summary').textContent = 'This API has no /api/reloads.';
      return;
    }
    $('reload-summary').replaceChildren(
      el('b', null, r.applied), ' applied',
      r.lastApplied ? ' (last ' + new Date(r.lastApplied).toLocaleString() + ')' : '', ' · ',
      el('b', { class: r.rejected ? 'lost' : '' }, r.rejected), ' rejected',
      r.lastRejected ? ' (last ' + new Date(r.lastRejected).toLocaleString() + '; the previous configuration kept serving)' : '');
    $('reload-errors').replaceChildren(...r.recentRejections.map((x) =>
      el('li', { class: 'rejection' }, el('span', { class: 'muted' }, new Date(x.time).toLocaleString() + ': '),
        el('ul', null, (x.problems.length ? x.problems : ['(no detail)']).map((p) => el('li', null, code(p)))))));
  }

  // Request rates: the Prometheus text parsed here, per service, against the previous read.
  let previousSample = null;
  const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*_service_requests_total)\{([^}]*)\}\s+(\S+)/;
  const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

  function parseServiceRequests(text) {
    const totals = new Map();
    for (const line of text.split('\n')) {
      const m = SAMPLE.exec(line);
      if (!m) continue;
      const labels = {};
      for (const l of m[2].matchAll(LABEL)) labels[l[1]] = l[2];
      const t = totals.get(labels.service) || { all: 0, errors: 0 };
      const value = Number(m[3]);
      t.all += value;
      if ((labels.code || '').startsWith('5')) t.errors += value;
      totals.set(labels.service, t);
    }
    return totals;
  }

  async function renderRates(overview) {
    if (!overview.features || overview.features.metrics !== 'Prometheus') {
      $('rates-state').textContent = 'Metrics are off: add [metrics.prometheus] to see request rates.';
      $('rates-table').hidden = true;
      return;
    }
    let text;
    try {
      const response = await fetch(METRICS, { cache: 'no-store' });
      if (!response.ok) throw new Error(String(response.status));
      text = await response.text();
    } catch (e) {
      $('rates-state').textContent = 'Metrics are on, but ' + METRICS.pathname + ' does not answer here (' + e.message
        + '): metrics.prometheus.entryPoint is another entry point; open this page with ?metrics=PATH.';
      $('rates-table').hidden = true;
      return;
    }
    const now = performance.now();
    const totals = parseServiceRequests(text);
    const rows = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([service, t]) => {
      const before = previousSample && previousSample.totals.get(service);
      const seconds = previousSample ? (now - previousSample.at) / 1000 : 0;
      const rate = before && seconds > 0 ? ((t.all - before.all) / seconds).toFixed(2) : '…';
      return { name: service, cells: [service, t.all, rate, t.errors] };
    });
    previousSample = { at: now, totals };
    $('rates-state').textContent = rows.length ? 'From ' + METRICS.pathname + ', per second over the last refresh.'
      : 'No request counted yet (addServicesLabels must be on).';
    $('rates-table').hidden = !rows.length;
    fill('rates-body', rows, 4, (r) => r.cells);
  }

  async function refresh() {
    try {
      const [overview, version, entryPoints, routers, services, middlewares, tcpRouters, tcpServices, tcpMiddlewares,
        udpRouters, udpServices, reloads] = await Promise.all([
        getJson('overview'), getJson('version'), getAll('entrypoints'),
        getAll('http/routers'), getAll('http/services'), getAll('http/middlewares'),
        getAll('tcp/routers'), getAll('tcp/services'), getAll('tcp/middlewares'),
        getAll('udp/routers'), getAll('udp/services'), getJson('reloads').catch(() => null)]);
      renderOverview(overview, version);
      renderEntryPoints(entryPoints);
      fill('http-routers', routers, 8, (r) => [r.name, code(r.rule || ''), r.priority ?? 'rule length', list(r.entryPoints), r.service,
        list(r.middlewares), tls(r), badge(r.status)]);
      fill('http-services', services, 5, (s) => [s.name, s.type || '', servers(s), list(s.usedBy), badge(s.status)]);
      fill('http-middlewares', middlewares, 4, (m) => [m.name, m.type || '', options(m), list(m.usedBy)]);
      fill('tcp-routers', tcpRouters, 6, (r) => [r.name, code(r.rule || ''), list(r.entryPoints), r.service, tls(r), badge(r.status)]);
      fill('tcp-services', tcpServices, 4, (s) => [s.name, s.type || '', servers(s), list(s.usedBy)]);
      fill('tcp-middlewares', tcpMiddlewares, 4, (m) => [m.name, m.type || '', options(m), list(m.usedBy)]);
      fill('udp-routers', udpRouters, 4, (r) => [r.name, list(r.entryPoints), r.service, badge(r.status)]);
      fill('udp-services', udpServices, 4, (s) => [s.name, s.type || '', servers(s), list(s.usedBy)]);
      renderReloads(reloads);
      await renderRates(overview);
      $('error').hidden = true;
      $('refresh-state').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    } catch (e) {
      $('error').textContent = 'The API did not answer: ' + e.message;
      $('error').hidden = false;
      $('refresh-state').textContent = 'stale since ' + new Date().toLocaleTimeString();
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  // The explainer: the form becomes /api/explain's query (header=Name:Value repeated).
  function renderExplain(answer) {
    const out = [];
    for (const ep of answer.entryPoints || []) {
      const facts = el('dl', { class: 'explained', 'data-entry-point': ep.entryPoint || '' },
        el('dt', null, 'Entry point'), el('dd', null, ep.entryPoint || '(all routers)'),
        el('dt', null, 'Router'), el('dd', { class: ep.router ? 'won' : 'lost', 'data-router': ep.router || '' },
          ep.router || ep.answer || 'none'));
      if (ep.router) {
        const up = ep.upstream || {};
        facts.append(
          el('dt', null, 'Middlewares'), el('dd', null, list(ep.middlewares)),
          el('dt', null, 'Upstream path'), el('dd', null, code(ep.path || '')),
          el('dt', null, 'Service'), el('dd', null, ep.service),
          el('dt', null, 'Server'), el('dd', null, up.answeredBySluice ? 'answered by Sluice (' + up.answeredBySluice + ')'
            : up.server ? [code(up.server), ' ', badge(up.serverStatus), up.url ? [' → ', code(up.url)] : '']
              : (up.answer || '—')));
      }
      const candidates = el('table', { class: 'candidates' },
        el('thead', null, el('tr', null, ['Router', 'Priority', 'Rule', 'Why'].map((h) => el('th', null, h)))),
        el('tbody', null, (ep.candidates || []).map((c) => el('tr', { class: c.router === ep.router ? 'won' : '' },
          el('td', null, c.router), el('td', null, c.priority), el('td', null, code(c.rule)), el('td', null, c.reason)))));
      out.push(facts, el('h3', null, 'Candidates, in the order they are tried'), candidates);
    }
    out.push(el('details', null, el('summary', null, 'JSON'), el('pre', null, JSON.stringify(answer, null, 2))));
    $('explain-result').replaceChildren(...out);
  }

  async function explain(event) {
    event.preventDefault();
    const query = new URLSearchParams();
    query.set('method', $('explain-method').value);
    query.set('url', $('explain-url').value.trim());
    if ($('explain-client-ip').value.trim()) query.set('clientIp', $('explain-client-ip').value.trim());
    if ($('explain-entry-point').value.trim()) query.set('entryPoint', $('explain-entry-point').value.trim());
    for (const line of $('explain-headers').value.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) query.append('header', line.slice(0, colon).trim() + ':' + line.slice(colon + 1).trim());
    }
    $('explain-result').replaceChildren(el('p', { class: 'muted' }, 'asking…'));
    try {
      renderExplain(await getJson('explain?' + query));
    } catch (e) {
      $('explain-result').replaceChildren(el('p', { class: 'error', id: 'explain-error' }, e.message));
    }
  }

  $('interval').textContent = REFRESH_MS >= 1000 ? REFRESH_MS / 1000 + ' s' : REFRESH_MS + ' ms';
  $('explain-form').addEventListener('submit', explain);
  refresh();
})();
