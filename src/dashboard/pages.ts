import { html, type SafeHtml } from './html.ts';
import { barChart, seriesChart } from './charts.ts';
import { CHANNELS, INTENTS, PRIORITIES, STATUSES, TRIGGER_TYPES } from '../escalations/schemas.ts';
import { slaActionText } from '../integrations/render.ts';
import type { SlaClock, SlaClocks } from '../sla/clocks.ts';

// biome-ignore lint/suspicious/noExplicitAny: the page reads the serialized case's JSON shape (src/cases/serialize.ts) field by field
type Case = Record<string, any>;

const ROLE = { customer: 'Customer', assistant: 'AI assistant', agent: 'Agent', system: 'System' } as Record<string, string>;
const when = (iso: string | null | undefined) => (iso ? `${new Date(iso).toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—');
const badge = (cls: string, text: string) => html`<span class="badge ${cls}">${text}</span>`;

export function loginPage(opts: { next: string; error?: string; stores?: { id: string; name: string }[] }): SafeHtml {
  return html`<h1>Sign in</h1>
<div class="card" style="max-width:460px">
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/dashboard/login">
  <input type="hidden" name="next" value="${opts.next}">
  <p><label for="apiKey">API key</label><br><input id="apiKey" name="apiKey" type="password" autocomplete="current-password" required style="width:100%"></p>
  <p class="muted">Your store's API key, or the admin key (you then pick a store).</p>
  <button type="submit">Sign in</button>
</form></div>`;
}

export function storePicker(stores: { id: string; name: string }[], next: string): SafeHtml {
  return html`<h1>Choose a store</h1><div class="card" style="max-width:460px">
<form method="post" action="/dashboard/stores"><input type="hidden" name="next" value="${next}">
<p><label for="storeId">Store</label><br><select id="storeId" name="storeId" required>${stores.map(
    (s) => html`<option value="${s.id}">${s.name} (${s.id.slice(0, 8)})</option>`,
  )}</select></p><button type="submit">Open</button></form>
${stores.length === 0 ? html`<p class="muted">No stores yet: create one with POST /stores.</p>` : ''}</div>`;
}

function select(name: string, label: string, values: readonly string[], current: string | undefined): SafeHtml {
  return html`<label for="f-${name}">${label}<select id="f-${name}" name="${name}"><option value="">Any</option>${values.map(
    (v) => html`<option value="${v}"${v === current ? html` selected` : ''}>${v}</option>`,
  )}</select></label>`;
}

export function listPage(items: Case[], filters: Record<string, string | undefined>, nextCursor: string | null): SafeHtml {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  const next = nextCursor ? `/dashboard?${new URLSearchParams({ ...Object.fromEntries(params), cursor: nextCursor })}` : null;
  return html`<h1>Escalations</h1>
<form class="card filters" method="get" action="/dashboard" role="search" aria-label="Filter escalations">
  <label for="f-q">Search<input id="f-q" name="q" type="search" value="${filters.q ?? ''}" placeholder="order, refund, name…"></label>
  ${select('status', 'Status', STATUSES, filters.status)}
  ${select('priority', 'Priority', PRIORITIES, filters.priority)}
  ${select('channel', 'Channel', CHANNELS, filters.channel)}
  ${select('trigger', 'Trigger', TRIGGER_TYPES, filters.trigger)}
  ${select('intent', 'Intent', INTENTS, filters.intent)}
  <label for="f-assignedTo">Assignee<input id="f-assignedTo" name="assignedTo" value="${filters.assignedTo ?? ''}"></label>
  <button type="submit">Filter</button> <a href="/dashboard">Clear</a>
</form>
${
  items.length === 0
    ? html`<p class="card">No escalations match.</p>`
    : html`<table><caption class="sr-only">Escalations, newest first</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Customer</th><th scope="col">Triggers</th><th scope="col">Assignee</th><th scope="col">Created</th></tr></thead>
<tbody>${items.map(
        (e) => html`<tr>
<td><a href="/dashboard/escalations/${e.id}">${e.summary || e.id}</a><br><span class="muted">${e.channel} · ${e.intent}</span></td>
<td>${badge(`p-${e.priority}`, e.priority)}</td><td>${badge(`s-${e.status}`, e.status)}</td>
<td>${e.customer?.name ?? e.customer?.email ?? '—'}</td><td>${(e.triggers as string[]).join(', ')}</td>
<td>${e.assignedTo ?? '—'}</td><td>${when(e.createdAt)}</td></tr>`,
      )}</tbody></table>`
}
${next ? html`<p><a href="${next}" rel="next">Next page →</a></p>` : ''}`;
}

function firedMessages(decision: Case | undefined): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const t of (decision?.triggers ?? []) as { type: string; messageIndexes?: number[] }[]) {
    for (const i of t.messageIndexes ?? []) map.set(i, [...(map.get(i) ?? []), t.type]);
  }
  return map;
}

/** "Mon 7 Dec 10:00 (Europe/Paris)" from a zoned ISO time, as the store's team reads its clock. */
function localWhen(zonedIso: string, zone: string): string {
  const weekday = new Date(`${zonedIso.slice(0, 10)}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `${weekday} ${zonedIso.slice(11, 16)} (${zone})`;
}

const minutesText = (m: number) => (m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

function slaClock(label: string, dueAt: string, breached: boolean, metAt: string | null, clock?: SlaClock, zone?: string | null): SafeHtml {
  const state = metAt ? (breached ? 'met late' : 'met') : breached ? 'BREACHED' : 'running';
  const due = clock?.dueAtLocal && zone ? localWhen(clock.dueAtLocal, zone) : when(dueAt);
  const left = clock?.minutesLeft != null ? html` · <span class="muted">${minutesText(clock.minutesLeft)} ${zone ? 'of business time ' : ''}left</span>` : '';
  return html`<dt>${label}</dt><dd>${state === 'BREACHED' ? html`<strong class="p-URGENT">breached</strong>` : state} · due ${due}${left}</dd>`;
}

function businessHoursLine(clocks: SlaClocks | undefined): SafeHtml | '' {
  if (!clocks?.timeZone) return '';
  const status = clocks.openNow ? 'open now' : html`closed now, opens ${clocks.nextOpenAtLocal ? localWhen(clocks.nextOpenAtLocal, clocks.timeZone) : '—'}`;
  return html`<dt>Business hours</dt><dd>${clocks.timeZone} · ${status} <span class="muted">(targets count open time only)</span></dd>`;
}

function handoffLine(handoff: Case | undefined): SafeHtml | '' {
  if (!handoff) return '';
  return html`<dt>Customer was told</dt><dd>“${handoff.message}” <span class="muted">· first response promised by ${when(handoff.expectedFirstResponseAt)} (${handoff.expectedWait.basis === 'observed' ? `median of ${handoff.expectedWait.sampleSize} recent cases` : 'SLA target'})</span></dd>`;
}

export function casePage(e: Case, flash?: { error?: string; notice?: string }, clocks?: SlaClocks): SafeHtml {
  const fired = firedMessages(e.decision);
  const messages = (e.context?.messages ?? []) as { role: string; text: string; sentAt?: string }[];
  const open = e.status === 'OPEN' || e.status === 'IN_PROGRESS';
  const failed = (e.deliveries as Case[]).filter((d) => d.status === 'FAILED');
  return html`<p><a href="/dashboard">← All escalations</a></p>
<h1>${badge(`p-${e.priority}`, e.priority)} ${e.summary}</h1>
${flash?.error ? html`<p class="error" role="alert">${flash.error}</p>` : ''}${flash?.notice ? html`<p class="notice" role="status">${flash.notice}</p>` : ''}
<div class="grid">
<section class="card" aria-labelledby="h-case"><h2 id="h-case">Case</h2><dl class="kv">
<dt>Status</dt><dd>${badge(`s-${e.status}`, e.status)}</dd><dt>Assignee</dt><dd>${e.assignedTo ?? 'nobody yet'}</dd>
<dt>Channel</dt><dd>${e.channel}</dd><dt>Intent</dt><dd>${e.intent}</dd><dt>Conversation</dt><dd>${e.conversationId}</dd>
<dt>Created</dt><dd>${when(e.createdAt)}</dd>${e.resolvedAt ? html`<dt>Resolved</dt><dd>${when(e.resolvedAt)}: ${e.resolutionSummary ?? ''}</dd>` : ''}
</dl></section>
<section class="card" aria-labelledby="h-sla"><h2 id="h-sla">SLA</h2><dl class="kv">
${slaClock('First response', e.sla.firstResponseDueAt, e.sla.firstResponseBreached, e.assignedAt ?? e.resolvedAt, clocks?.firstResponse, e.sla.timeZone)}
${slaClock('Resolution', e.sla.resolutionDueAt, e.sla.resolutionBreached, e.resolvedAt, clocks?.resolution, e.sla.timeZone)}
${businessHoursLine(clocks)}${handoffLine(e.context?.handoff)}
</dl></section>
<section class="card" aria-labelledby="h-cust"><h2 id="h-cust">Customer and order</h2><dl class="kv">
${Object.entries(e.customer ?? {}).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}
${Object.entries(e.order ?? {}).map(([k, v]) => html`<dt>order ${k}</dt><dd>${String(v)}</dd>`)}
</dl></section>
<section class="card" aria-labelledby="h-scores"><h2 id="h-scores">Why it was escalated</h2>
<p>Sentiment <strong>${Number(e.sentiment).toFixed(2)}</strong>${e.aiConfidence !== null ? html` · AI confidence <strong>${Number(e.aiConfidence).toFixed(2)}</strong>` : ''}</p>
<ul>${(e.decision?.triggers ?? []).map((t: Case) => html`<li><strong>${t.type}</strong>: ${t.reason}</li>`)}</ul></section>
</div>
<section class="card" aria-labelledby="h-act"><h2 id="h-act">Actions</h2><div class="actions">
${
  open
    ? html`<form method="post" action="/dashboard/escalations/${e.id}/assign"><label for="assignedTo">Assign to<br><input id="assignedTo" name="assignedTo" required value="${e.assignedTo ?? ''}"></label><button type="submit">Assign</button></form>
<form method="post" action="/dashboard/escalations/${e.id}/resolve"><label for="summary">Resolution summary<br><textarea id="summary" name="summary" rows="2" cols="40" required></textarea></label><button type="submit">Resolve</button></form>`
    : ''
}
${e.status === 'RESOLVED' ? html`<form method="post" action="/dashboard/escalations/${e.id}/reopen"><button type="submit" class="secondary">Reopen</button></form>` : ''}
${failed.length ? html`<form method="post" action="/dashboard/escalations/${e.id}/retry"><button type="submit">Retry</button> <span class="muted">${failed.length} failed deliver${failed.length === 1 ? 'y' : 'ies'}</span></form>` : ''}
</div></section>
<section class="card" aria-labelledby="h-deliv"><h2 id="h-deliv">Deliveries</h2>
${
  (e.deliveries as Case[]).length === 0
    ? html`<p class="muted">No integrations enabled for this store.</p>`
    : html`<table><thead><tr><th>Integration</th><th>Status</th><th>Link</th><th>Attempts</th><th>Last error</th></tr></thead><tbody>${(
        e.deliveries as Case[]
      ).map(
        (d) =>
          html`<tr><td>${d.type}</td><td>${d.status}</td><td>${d.externalUrl ? html`<a href="${d.externalUrl}">${d.type === 'SLACK' ? 'Slack message' : 'Open ticket'}</a>` : '—'}</td><td>${d.attempts}</td><td>${d.lastError ?? ''}</td></tr>`,
      )}</tbody></table>`
}</section>
<section class="card" aria-labelledby="h-conv"><h2 id="h-conv">Conversation (${messages.length} messages)</h2>
<p class="muted">Highlighted: the customer's messages that fired a trigger.</p>
${messages.map((m, i) => {
  const tags = fired.get(i);
  return html`<div class="msg ${m.role}${tags && m.role === 'customer' ? ' fired' : ''}"><div class="who">${ROLE[m.role] ?? m.role}${m.sentAt ? html` · ${when(m.sentAt)}` : ''}${(tags && m.role === 'customer' ? tags : []).map((t) => html`<span class="trigger-tag">${t}</span>`)}</div>${m.text}</div>`;
})}</section>
<section class="card" aria-labelledby="h-tl"><h2 id="h-tl">Timeline</h2><ol class="timeline">${(e.timeline as Case[]).map(
    (ev) =>
      html`<li><strong>${ev.type}</strong> <span class="muted">via ${ev.source}${ev.actor ? html` by ${ev.actor}` : ''} · ${when(ev.createdAt)}</span>${
        ev.type === 'sla_action'
          ? html` — ${slaActionText(ev.data)}`
          : ev.data?.summary
            ? html` — ${String(ev.data.summary)}`
            : ev.data?.error
              ? html` — ${String(ev.data.error)}`
              : ''
      }</li>`,
  )}</ol></section>`;
}

export function analyticsPage(a: Case, range: { from: string; to: string; interval: string }): SafeHtml {
  const t = a.totals;
  const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
  const secs = (s: number | null) =>
    s === null ? '—' : s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
  const precision = Object.fromEntries(
    Object.entries(a.triggerPrecision as Record<string, { precision: number | null }>).map(([k, v]) => [k, Math.round((v.precision ?? 0) * 100)]),
  );
  return html`<h1>Analytics</h1>
<form class="card filters" method="get" action="/dashboard/analytics">
<label for="a-from">From<input id="a-from" name="from" type="date" value="${range.from.slice(0, 10)}"></label>
<label for="a-to">To<input id="a-to" name="to" type="date" value="${range.to.slice(0, 10)}"></label>
<label for="a-int">Interval<select id="a-int" name="interval"><option value="day"${range.interval === 'day' ? html` selected` : ''}>day</option><option value="week"${range.interval === 'week' ? html` selected` : ''}>week</option></select></label>
<button type="submit">Show</button></form>
<div class="grid">
<div class="card"><h2>Escalation rate</h2><p style="font-size:2rem;margin:0">${(t.escalationRate * 100).toFixed(1)}%</p><p class="muted">${t.escalated} escalated of ${t.evaluated} evaluated · ${t.resolved} resolved</p></div>
<div class="card"><h2>Time to first response</h2><p style="font-size:2rem;margin:0">${secs(a.timeToFirstResponse.medianSeconds)}</p><p class="muted">median · p90 ${secs(a.timeToFirstResponse.p90Seconds)}</p></div>
<div class="card"><h2>Time to resolution</h2><p style="font-size:2rem;margin:0">${secs(a.timeToResolution.medianSeconds)}</p><p class="muted">median · p90 ${secs(a.timeToResolution.p90Seconds)}</p></div>
<div class="card"><h2>SLA targets</h2><p style="font-size:2rem;margin:0">${a.sla.met} met</p><p class="muted">${a.sla.breached} breached</p></div>
${a.slaAttainment ? html`<div class="card"><h2>SLA attainment</h2><p style="font-size:2rem;margin:0">${pct(a.slaAttainment.rate)}</p><p class="muted">first response ${pct(a.slaAttainment.firstResponse.rate)} · resolution ${pct(a.slaAttainment.resolution.rate)} · ${a.slaAttainment.businessTimeCases} case${a.slaAttainment.businessTimeCases === 1 ? '' : 's'} counted in business hours</p></div>` : ''}
${a.breachActions ? html`<div class="card"><h2>SLA breach actions</h2><p style="font-size:2rem;margin:0">${a.breachActions.taken}</p><p class="muted">${a.breachActions.raisedPriority} priority raised · ${a.breachActions.rerouted} re-routed · ${a.breachActions.reassigned} re-assigned</p></div>` : ''}
${a.expectedWaitAccuracy ? html`<div class="card"><h2>Expected-wait accuracy</h2><p style="font-size:2rem;margin:0">± ${secs(a.expectedWaitAccuracy.medianAbsoluteErrorSeconds)}</p><p class="muted">median error of the promised first response over ${a.expectedWaitAccuracy.cases} cases · promise kept ${pct(a.expectedWaitAccuracy.keptRate)}</p></div>` : ''}
</div>
<div class="card">${seriesChart('Evaluated and escalated over time', a.series)}</div>
<div class="grid">
<div class="card">${barChart('By trigger', a.byTrigger)}</div><div class="card">${barChart('By priority', a.byPriority)}</div>
<div class="card">${barChart('By channel', a.byChannel)}</div><div class="card">${barChart('By intent', a.byIntent)}</div>
<div class="card">${barChart('By status', a.byStatus)}</div>
<div class="card">${barChart('Top keywords', Object.fromEntries((a.topKeywords as { keyword: string; count: number }[]).map((k) => [k.keyword, k.count])))}</div>
<div class="card">${barChart('Trigger precision from feedback (%)', precision)}</div>
</div>`;
}
