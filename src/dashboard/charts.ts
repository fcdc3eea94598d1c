import { html, type SafeHtml } from './html.ts';

/** A horizontal bar chart as an HTML table with CSS bars: readable without JavaScript and by screen readers. */
export function barChart(title: string, data: Record<string, number>): SafeHtml {
  const entries = Object.entries(data).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return html`<figure><figcaption><h2>${title}</h2></figcaption><p class="muted">No data in this range.</p></figure>`;
  const max = Math.max(...entries.map(([, v]) => v), 1);
  return html`<figure><figcaption><h2>${title}</h2></figcaption><table class="bars"><tbody>${entries.map(
    ([label, value]) =>
      html`<tr><th scope="row">${label}</th><td><span class="bar" style="width:${Math.max(1, (100 * value) / max).toFixed(1)}%"></span></td><td class="num">${value}</td></tr>`,
  )}</tbody></table></figure>`;
}

/** Evaluated vs escalated per bucket as paired vertical bars. */
export function seriesChart(title: string, series: { start: string; evaluated: number; escalated: number }[]): SafeHtml {
  if (series.length === 0) return html`<figure><figcaption><h2>${title}</h2></figcaption><p class="muted">No data.</p></figure>`;
  const height = 160;
  const max = Math.max(...series.map((s) => s.evaluated), 1);
  const step = Math.max(8, Math.min(40, Math.floor(900 / series.length)));
  const width = series.length * step + 40;
  const bars = series.map((s, i) => {
    const x = 30 + i * step;
    const he = (height * s.evaluated) / max;
    const hs = (height * s.escalated) / max;
    return html`<rect class="bar2" x="${x}" y="${(height - he).toFixed(1)}" width="${step / 2 - 1}" height="${he.toFixed(1)}"><title>${s.start.slice(0, 10)}: ${s.evaluated} evaluated</title></rect><rect class="bar" x="${x + step / 2 - 1}" y="${(height - hs).toFixed(1)}" width="${step / 2 - 1}" height="${hs.toFixed(1)}"><title>${s.start.slice(0, 10)}: ${s.escalated} escalated</title></rect>`;
  });
  return html`<figure><figcaption><h2>${title}</h2><span class="muted">light: evaluated · dark: escalated</span></figcaption>
<svg class="chart" role="img" aria-label="${title}" width="${width}" height="${height + 20}" viewBox="0 0 ${width} ${height + 20}">${bars}
<text x="30" y="${height + 15}">${series[0]!.start.slice(0, 10)}</text><text x="${Math.max(30, width - 80)}" y="${height + 15}">${series[series.length - 1]!.start.slice(0, 10)}</text></svg>
<table class="sr-only"><caption>${title}</caption><thead><tr><th>Start</th><th>Evaluated</th><th>Escalated</th></tr></thead><tbody>${series.map(
    (s) => html`<tr><td>${s.start.slice(0, 10)}</td><td>${s.evaluated}</td><td>${s.escalated}</td></tr>`,
  )}</tbody></table></figure>`;
}
