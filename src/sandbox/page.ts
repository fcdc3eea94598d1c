import type { SandboxModule } from './module.ts';
import type { FreshdeskState, FreshdeskTicket, SandboxState, SlackMessage, SlackState, ZendeskState, ZendeskTicket } from './state.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
/** Only http(s) links are clickable: a `javascript:` URL in a button must not run in the page. */
const href = (url: unknown) => (typeof url === 'string' && /^https?:\/\//i.test(url) ? esc(url) : '#');
const text = (t: unknown) => (isObj(t) ? esc(t.text) : '');

const FD_STATUS: Record<number, string> = { 2: 'Open', 3: 'Pending', 4: 'Resolved', 5: 'Closed' };
const FD_PRIORITY: Record<number, string> = { 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Urgent' };
const FD_SOURCE: Record<number, string> = { 1: 'Email', 2: 'Portal', 3: 'Phone', 7: 'Chat', 9: 'Feedback Widget', 10: 'Outbound Email' };

function element(el: unknown): string {
  if (!isObj(el)) return '';
  if (el.type === 'button') {
    const title = esc(`action_id=${String(el.action_id ?? '')} value=${String(el.value ?? '')}`);
    const cls = `btn ${el.style === 'primary' || el.style === 'danger' ? el.style : ''}`;
    return el.url
      ? `<a class="${cls}" href="${href(el.url)}" rel="noreferrer" title="${title}">${text(el.text)} ↗</a>`
      : `<span class="${cls}" title="${title}">${text(el.text)}</span>`;
  }
  return `<span class="el">[${esc(el.type)}${el.action_id ? ` ${esc(el.action_id)}` : ''}]</span>`;
}

function block(b: unknown): string {
  if (!isObj(b)) return '';
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  switch (b.type) {
    case 'header':
      return `<div class="b-header">${text(b.text)}</div>`;
    case 'section':
      return `<div class="b-section"><div class="pre">${text(b.text)}</div>${
        b.fields
          ? `<div class="fields">${list(b.fields)
              .map((f) => `<div class="pre">${text(f)}</div>`)
              .join('')}</div>`
          : ''
      }${b.accessory ? element(b.accessory) : ''}</div>`;
    case 'divider':
      return '<hr>';
    case 'context':
      return `<div class="b-context">${list(b.elements)
        .map((e) => (isObj(e) && e.type === 'image' ? `[image: ${esc(e.alt_text)}]` : text(e)))
        .join(' · ')}</div>`;
    case 'actions':
      return `<div class="b-actions">${list(b.elements).map(element).join(' ')}</div>`;
    case 'image':
      // No remote images: the page loads nothing from the internet.
      return `<div class="b-context">[image: ${esc(b.alt_text)}] <a href="${href(b.image_url)}" rel="noreferrer">${esc(b.image_url)}</a></div>`;
    default:
      return `<pre class="raw">${esc(JSON.stringify(b, null, 2))}</pre>`;
  }
}

function message(m: SlackMessage, replies: SlackMessage[]): string {
  return `<div class="msg" id="msg-${esc(m.channel)}-${esc(m.ts)}">
  <div class="meta">ts ${esc(m.ts)} · ${esc(m.postedAt)}${m.updatedAt ? ` · edited ${esc(m.updatedAt)}` : ''}</div>
  ${m.text ? `<div class="pre text">${esc(m.text)}</div>` : ''}
  ${(m.blocks ?? []).map(block).join('\n')}
  ${m.attachments?.length ? `<pre class="raw">${esc(JSON.stringify(m.attachments, null, 2))}</pre>` : ''}
  ${replies.length ? `<div class="thread">${replies.map((r) => message(r, [])).join('')}</div>` : ''}
</div>`;
}

export function slackSection(slack: SlackState): string {
  const state = { slack };
  const names = Object.fromEntries(Object.entries(state.slack.channels).map(([name, id]) => [id, name]));
  const channels = [...new Set(state.slack.messages.map((m) => m.channel))];
  const byChannel = channels.map((id) => {
    const msgs = state.slack.messages.filter((m) => m.channel === id);
    const top = msgs.filter((m) => !m.thread_ts);
    return `<h3>#${esc(names[id] ?? id)} <small>${esc(id)}</small></h3>${top
      .map((m) =>
        message(
          m,
          msgs.filter((r) => r.thread_ts === m.ts),
        ),
      )
      .join('')}`;
  });
  const ephemeral = state.slack.ephemeral.map(
    (e) =>
      `<div class="msg eph"><div class="meta">ephemeral to ${esc(e.user)} in ${esc(e.channel)}</div><div class="pre">${esc(e.text)}</div>${(e.blocks ?? []).map(block).join('')}</div>`,
  );
  // chat.delete removes a message from the channel; listed apart so a test run can be followed.
  const deleted = state.slack.deleted.map(
    (m) =>
      `<div class="msg del"><div class="meta">deleted ${esc(m.deletedAt)} · ts ${esc(m.ts)} in ${esc(names[m.channel] ?? m.channel)}${m.thread_ts ? ' (thread reply)' : ''}</div><div class="pre">${esc(m.text)}</div></div>`,
  );
  return `<section><h2>Slack</h2>${byChannel.join('') || '<p class="none">No messages.</p>'}${ephemeral.join('')}${
    deleted.length ? `<h3>Deleted messages</h3>${deleted.join('')}` : ''
  }${
    // Posts over a channel's limit (429 ratelimited): each one a client that did not wait its turn.
    (state.slack.rateLimited ?? []).length ? `<p class="none">Refused as over a channel's limit (429): ${state.slack.rateLimited.length}</p>` : ''
  }</section>`;
}

function zendeskTicket(t: ZendeskTicket, requester: string): string {
  return `<div class="card"><h3>#${t.id} ${esc(t.subject)}</h3>
  <div class="meta">${esc(t.status)} · priority ${esc(t.priority ?? '-')} · type ${esc(t.type ?? '-')} · requester ${esc(requester)}${t.external_id ? ` · external_id ${esc(t.external_id)}` : ''}</div>
  <div class="meta">tags: ${t.tags.map((tag) => `<code>${esc(tag)}</code>`).join(' ') || '-'}${t.custom_fields.length ? ` · fields: ${t.custom_fields.map((f) => `${f.id}=${esc(JSON.stringify(f.value))}`).join(', ')}` : ''}</div>
  <div class="meta">status history: ${t.statusHistory.map((s) => esc(s.status)).join(' → ')}</div>
  ${t.comments.map((c) => `<div class="comment ${c.public ? '' : 'private'}"><div class="meta">${c.public ? 'public' : 'internal note'} · ${esc(c.created_at)}</div><div class="pre">${esc(c.body)}</div></div>`).join('')}
</div>`;
}

function freshdeskTicket(t: FreshdeskTicket, requester: string): string {
  return `<div class="card"><h3>#${t.id} ${esc(t.subject)}</h3>
  <div class="meta">${esc(FD_STATUS[t.status] ?? t.status)} · priority ${esc(FD_PRIORITY[t.priority] ?? t.priority)} · source ${esc(FD_SOURCE[t.source] ?? t.source)} · requester ${esc(requester)}</div>
  <div class="meta">tags: ${t.tags.map((tag) => `<code>${esc(tag)}</code>`).join(' ') || '-'}${Object.keys(t.custom_fields).length ? ` · fields: ${esc(JSON.stringify(t.custom_fields))}` : ''}</div>
  <div class="comment"><div class="pre">${esc(t.description_text)}</div></div>
  ${t.notes.map((n) => `<div class="comment ${n.private ? 'private' : ''}"><div class="meta">${n.private ? 'private note' : 'public note'} · ${esc(n.created_at)}</div><div class="pre">${esc(n.body_text)}</div></div>`).join('')}
</div>`;
}

export function zendeskSection(zendesk: ZendeskState): string {
  const zdUser = (id: number) => zendesk.users.find((u) => u.id === id)?.email || String(id);
  return `<section><h2>Zendesk</h2>${zendesk.tickets.map((t) => zendeskTicket(t, zdUser(t.requester_id))).join('') || '<p class="none">No tickets.</p>'}</section>`;
}

export function freshdeskSection(freshdesk: FreshdeskState): string {
  const fdContact = (id: number) => freshdesk.contacts.find((c) => c.id === id)?.email ?? String(id);
  return `<section><h2>Freshdesk</h2>${freshdesk.tickets.map((t) => freshdeskTicket(t, fdContact(t.requester_id))).join('') || '<p class="none">No tickets.</p>'}
<p class="meta">contacts: ${freshdesk.contacts.map((c) => `${c.id} ${esc(c.name)} &lt;${esc(c.email ?? c.phone ?? '')}&gt;`).join(', ') || '-'}</p></section>`;
}

/** The page: each module's own section (in registry order), then the last requests. */
export function renderPage(state: SandboxState, modules: readonly SandboxModule[] = []): string {
  const recent = state.requests.slice(-20).reverse();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>reva-escalations sandbox</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1d1c1d;background:#f8f8f8}
h2{border-bottom:2px solid #ddd;padding-bottom:.2rem}h3{margin:.8rem 0 .3rem}small,.meta{color:#666;font-size:12px}
.msg,.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem;margin:.4rem 0}
.thread{border-left:3px solid #9ac;margin:.4rem 0 0 .5rem;padding-left:.6rem}.eph{border-style:dashed}
.del{opacity:.55;text-decoration:line-through}
.pre{white-space:pre-wrap;word-break:break-word}.b-header{font-weight:700;font-size:16px;margin:.3rem 0}
.b-section{margin:.3rem 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1rem}
.b-context{color:#555;font-size:12px;margin:.2rem 0}.b-actions{margin:.3rem 0}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:.1rem .5rem;margin:.1rem;text-decoration:none;color:#1d1c1d}
.btn.primary{background:#007a5a;color:#fff}.btn.danger{background:#e01e5a;color:#fff}.el{color:#666}
.comment{border-top:1px solid #eee;padding:.3rem 0}.private{background:#fff8e1}
pre.raw{background:#f3f3f3;padding:.4rem;overflow:auto;font-size:12px}.none{color:#888}code{background:#eef;padding:0 .2rem}
table{border-collapse:collapse;font-size:12px}td{padding:.1rem .5rem;border-bottom:1px solid #eee}
</style></head><body>
<h1>reva-escalations sandbox</h1>
<p class="meta">Refreshes every 5 s. ${state.requests.length} requests received. JSON: <a href="/_sandbox/state">/_sandbox/state</a></p>
${modules.map((m) => (m.page ? m.page(state[m.service] as object) : '')).join('\n')}
<section><h2>Last requests</h2><table>${recent.map((r) => `<tr><td>${esc(r.at)}</td><td>${esc(r.service)}</td><td>${esc(r.method)}</td><td>${esc(r.path)}</td></tr>`).join('')}</table></section>
</body></html>`;
}
