import { html, raw, type SafeHtml } from './html.ts';

const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;--accent:#0b5cad;--urgent:#b42318;--high:#b54708;--medium:#8a6d00;--low:#1a7f37;--hl:#fff4c2}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #80b3ff;outline-offset:1px}
header.top{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.5rem;background:#0d1b2a;color:#fff}
header.top a{color:#fff;text-decoration:none}header.top nav{display:flex;gap:1rem;flex:1}header.top form{margin:0}
main{max-width:1200px;margin:1.5rem auto;padding:0 1.5rem}h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;margin-bottom:1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}
table{width:100%;border-collapse:collapse;background:var(--card)}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:var(--muted)}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid currentColor}
.p-URGENT{color:var(--urgent)}.p-HIGH{color:var(--high)}.p-MEDIUM{color:var(--medium)}.p-LOW{color:var(--low)}
.s-OPEN{color:var(--urgent)}.s-IN_PROGRESS{color:var(--high)}.s-RESOLVED{color:var(--low)}.s-CLOSED{color:var(--muted)}
.muted{color:var(--muted)}.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);border-radius:6px;background:#fff}
button{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
.msg{padding:.5rem .7rem;border-radius:6px;margin:.35rem 0;border:1px solid var(--line);background:#fff;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.customer{border-left:4px solid var(--accent)}.msg.assistant{border-left:4px solid #8250df;background:#fbf8ff}
.msg.agent{border-left:4px solid var(--low)}.msg.fired{background:var(--hl);border-color:#d4a72c}
.msg .who{font-size:.8rem;font-weight:600;color:var(--muted)}.trigger-tag{font-size:.75rem;background:#ffe8a3;border-radius:4px;padding:0 .3rem;margin-left:.4rem;color:#5c4200}
.timeline{list-style:none;padding:0;margin:0}.timeline li{padding:.35rem 0;border-bottom:1px dashed var(--line)}
.error{background:#fff0ee;border:1px solid #ffb3a8;color:#8c1d12;padding:.6rem .8rem;border-radius:6px}
.notice{background:#eef6ff;border:1px solid #a8cfff;padding:.6rem .8rem;border-radius:6px}
form.inline{display:inline}.actions{display:flex;gap:1rem;flex-wrap:wrap}.actions form{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
figure{margin:0}svg.chart{width:100%;height:auto}.chart text{font-size:11px;fill:var(--muted)}.chart rect.bar{fill:var(--accent)}table.bars{background:none}table.bars th{font-size:.8rem;text-transform:none;color:var(--fg);font-weight:500;width:40%;overflow-wrap:anywhere}table.bars td{border:0;padding:.2rem .4rem}table.bars td.num{width:3rem;text-align:right}span.bar{display:block;height:.9rem;background:var(--accent);border-radius:2px}.chart rect.bar2{fill:#8fb8e8}
`;

export interface LayoutOptions {
  title: string;
  signedIn?: boolean;
  storeName?: string | null;
  isAdmin?: boolean;
}

export function layout(opts: LayoutOptions, body: SafeHtml): string {
  const nav = opts.signedIn
    ? html`<nav aria-label="Main"><a href="/dashboard">Escalations</a><a href="/dashboard/analytics">Analytics</a><a href="/dashboard/settings">Settings</a>${
        opts.isAdmin ? html`<a href="/dashboard/stores">Switch store</a>` : ''
      }</nav>
      <span class="muted" style="color:#c9d1d9">${opts.storeName ?? ''}</span>
      <form method="post" action="/dashboard/logout"><button class="secondary" type="submit">Sign out</button></form>`
    : html`<nav aria-label="Main"></nav>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · Reva escalations</title><style>${raw(CSS)}</style></head>
<body><header class="top"><a href="/dashboard"><strong>Reva</strong> escalations</a>${nav}</header>
<main id="main">${body}</main></body></html>`.value;
}
