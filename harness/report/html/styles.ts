import type { OutcomeStatus } from '../../judge/outcome';

/** Cell and badge colours per outcome: green for as-documented, violet for divergences, red for failures. */
export const STATUS_COLOURS: Record<OutcomeStatus, { bg: string; fg: string; short: string; label: string }> = {
  pass: { bg: '#c8e6c9', fg: '#1b5e20', short: '\u2713', label: 'pass' },
  rejected: { bg: '#dcedc8', fg: '#33691e', short: 'rej', label: 'rejected (as documented)' },
  divergence: { bg: '#e1bee7', fg: '#4a148c', short: 'div', label: 'divergence' },
  skip: { bg: '#eceff1', fg: '#455a64', short: 'skip', label: 'skipped' },
  timeout: { bg: '#ffe0b2', fg: '#e65100', short: 'T/O', label: 'timeout' },
  error: { bg: '#ffccbc', fg: '#bf360c', short: 'err', label: 'error' },
  'unexpected-reject': { bg: '#ffcdd2', fg: '#b71c1c', short: 'UR', label: 'unexpected reject' },
  'unexpected-accept': { bg: '#ffcdd2', fg: '#b71c1c', short: 'UA', label: 'unexpected accept' },
  fail: { bg: '#ef9a9a', fg: '#7f0000', short: '\u2717', label: 'fail' },
};

/** The page's stylesheet: plain CSS, no framework, printable. */
export function styles(): string {
  const statusRules = Object.entries(STATUS_COLOURS)
    .map(([s, c]) => `.st-${s}{background:${c.bg};color:${c.fg}}`).join('\n');
  return `
:root{--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 8px}
main{padding:0 24px 48px}
nav.toc{display:flex;gap:14px;flex-wrap:wrap;margin-top:8px}
nav.toc a{color:var(--accent);text-decoration:none}
.muted{color:var(--muted)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.banner-sim{margin:10px 0;padding:10px 14px;border:3px solid #b71c1c;background:#ffebee;color:#b71c1c;font-weight:700;font-size:17px;letter-spacing:.02em}
.verdict{display:inline-block;margin:6px 0;padding:6px 12px;border-radius:6px;font-weight:700;font-size:16px}
.verdict.ok{background:#c8e6c9;color:#1b5e20}.verdict.bad{background:#ffcdd2;color:#b71c1c}
.stamp{border-collapse:collapse;margin-top:8px}
.stamp th{text-align:left;font-weight:600;padding:2px 14px 2px 0;color:var(--muted);vertical-align:top;white-space:nowrap}
.stamp td{padding:2px 0;word-break:break-all}
.badges{display:flex;gap:6px;flex-wrap:wrap;margin:6px 0}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12.5px;font-weight:600;border:1px solid rgba(0,0,0,.08)}
button.badge{cursor:pointer;font:inherit;font-size:12.5px;font-weight:600}
table.grid{border-collapse:collapse;font-size:12.5px}
table.grid th,table.grid td{border:1px solid var(--line);padding:3px 6px}
table.grid thead th{background:var(--panel);position:sticky;top:0}
.matrix-wrap{overflow-x:auto;max-width:100%;border:1px solid var(--line)}
table.matrix{border-collapse:separate;border-spacing:0;font-size:12px}
table.matrix th,table.matrix td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);padding:0}
table.matrix thead th{background:var(--panel);vertical-align:bottom;height:150px;min-width:38px}
table.matrix thead th .rot{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;padding:6px 4px;font-weight:600;margin:0 auto}
table.matrix thead th.rowhead{writing-mode:initial;text-align:left;padding:6px;vertical-align:bottom}
table.matrix th.row{text-align:left;padding:4px 8px;background:var(--panel);white-space:nowrap;position:sticky;left:0;z-index:1;font-weight:600}
table.matrix th.row .sub{display:block;font-weight:400;color:var(--muted);font-size:11px;max-width:190px;overflow:hidden;text-overflow:ellipsis}
table.matrix tr.kind-outside th.row,table.matrix tr.kind-guard th.row{background:#fff8e1}
table.matrix tr.kind-rule th.row{background:#e3f2fd}
table.matrix td.cell{text-align:center;min-width:38px;height:38px;cursor:pointer}
table.matrix td.cell:hover,table.matrix td.cell.selected{outline:3px solid var(--accent);outline-offset:-3px}
table.matrix td.empty{background:#fff;cursor:default}
table.matrix td.cell .n{display:block;font-weight:700;font-size:13px}
table.matrix td.cell .parts{display:block;font-size:10px;white-space:nowrap;padding:0 2px}
table.matrix td.cell .parts span{display:inline-block}
table.matrix td.cell.unexp{box-shadow:inset 0 0 0 2px #b71c1c}
table.matrix td.divcol{background:#f3e5f5;text-align:center;font-weight:700;color:#4a148c}
table.matrix td.totcol{background:var(--panel);text-align:center;font-weight:700}
table.matrix td.totcol .parts{white-space:normal;max-width:90px;margin:0 auto}
.legend{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0;font-size:12.5px}
.legend .sw{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:600}
${statusRules}
.filters{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin:8px 0}
.filters .active{outline:2px solid var(--accent)}
table.cases{width:100%}
table.cases td.id{font-family:ui-monospace,Menlo,monospace;font-size:12px;word-break:break-all}
table.cases tbody tr{cursor:pointer}
table.cases tbody tr:hover{background:#f0f6ff}
table.cases td.reason{max-width:520px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
dialog#drilldown{width:min(1000px,94vw);max-height:90vh;border:1px solid var(--line);border-radius:8px;padding:0}
dialog#drilldown::backdrop{background:rgba(0,0,0,.35)}
dialog#drilldown .dd-head{display:flex;justify-content:space-between;align-items:flex-start;gap:12px;padding:12px 16px;background:var(--panel);border-bottom:1px solid var(--line)}
dialog#drilldown .dd-body{padding:12px 16px}
dialog#drilldown h3{margin-top:14px}
.dd-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(400px,1fr));gap:16px;align-items:start}
.replay{display:flex;gap:8px;align-items:flex-start}
.replay pre{flex:1;margin:0;padding:8px;background:#0d1117;color:#e6edf3;border-radius:6px;white-space:pre-wrap;word-break:break-all}
button{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
button:hover{background:var(--panel)}
.reason-box{padding:8px 10px;background:#fff8f8;border-left:4px solid #b71c1c;white-space:pre-wrap;word-break:break-word}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px}
.chart-box{border:1px solid var(--line);border-radius:6px;padding:10px;background:#fff}
.chart-box h4{margin:0 0 6px;font-size:14px}
.chart-box .canvas-wrap{position:relative;height:280px}
.chart-box .note{font-size:12px;color:var(--muted);margin-top:4px}
.not-measured{padding:24px;text-align:center;color:var(--muted);border:1px dashed var(--line);border-radius:6px}
.gaps li{margin:2px 0}
.two-col{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:18px}
.num{text-align:right;font-variant-numeric:tabular-nums}
.caveat{color:#8a4b00;background:#fff4e5;padding:4px 8px;border-radius:4px;display:inline-block;font-size:12.5px}
footer{padding:12px 24px;color:var(--muted);border-top:1px solid var(--line);font-size:12px}
`;
}
