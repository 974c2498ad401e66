/**
 * The console's only stylesheet, inlined in every page and allowed by its hash in the CSP (no
 * `'unsafe-inline'`, no file to fetch). System fonts: nothing loads from anywhere.
 */
export const CONSOLE_CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6570;--line:#d8dde3;--bg:#fff;--panel:#f6f8fa;--accent:#0b5cad;--warn:#9a4d00;--bad:#b42318;--ok:#1a7f37}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa6b2;--line:#30363d;--bg:#0d1117;--panel:#161b22;--accent:#58a6ff;--warn:#d29922;--bad:#f85149;--ok:#3fb950}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;border-bottom:1px solid var(--line);background:var(--panel)}
header strong{font-size:15px}
header nav{display:flex;gap:1rem;flex:1}
header form{display:flex;gap:.4rem}
main{padding:1rem 1.2rem;max-width:84rem}
time,.status{white-space:nowrap}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
h1{font-size:20px;margin:.2rem 0 1rem}
h2{font-size:15px;margin:1.4rem 0 .5rem}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}
.panel{border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;background:var(--panel)}
.panel h2{margin:0 0 .5rem}
.big{font-size:26px;font-weight:600}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .6rem .3rem 0;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:500}
td.n{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dt{color:var(--muted)}
dd{margin:0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.status{display:inline-block;padding:0 .45rem;border-radius:999px;border:1px solid var(--line);font-size:12px}
.s-verified,.s-active{color:var(--ok)}
.s-rejected,.s-deactivated{color:var(--bad)}
.s-needs_info,.s-pending{color:var(--warn)}
.muted{color:var(--muted)}
.warn{color:var(--warn)}
.notice{padding:.5rem .8rem;border:1px solid var(--line);border-left:4px solid var(--ok);margin:0 0 1rem}
.notice.failed{border-left-color:var(--bad)}
button,input{font:inherit}
input[type=search]{padding:.25rem .5rem;min-width:18rem}
button{padding:.25rem .8rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);cursor:pointer}
.row{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
form.inline{margin:0}
.failed-outcome{color:var(--bad)}
`;
