/**
 * The stylesheet and script inlined into report.html. The file must open offline from
 * a CI artifact, so nothing here refers to a URL: system fonts, no images, no imports.
 */

export const HTML_STYLE = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1f2328; --muted: #59636e; --line: #d8dee4; --code: #eff2f5;
  --pass: #1a7f37; --pass-bg: #dafbe1;
  --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #f5edff;
  --warn: #9a6700; --warn-bg: #fff4c2;
  --info: #0969da; --info-bg: #ddf4ff;
  --skip: #6e7781; --skip-bg: #eef1f4;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --panel: #151b23; --text: #e6edf3; --muted: #9198a1; --line: #30363d; --code: #1f2630;
    --pass: #3fb950; --pass-bg: #12261a; --fail: #f85149; --fail-bg: #2d1416;
    --error: #bc8cff; --error-bg: #231a33; --warn: #d29922; --warn-bg: #2b2111;
    --info: #58a6ff; --info-bg: #112236; --skip: #8b949e; --skip-bg: #1c2128;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.45;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
code { background: var(--code); padding: 1px 5px; border-radius: 4px; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
h2 { font-size: 18px; margin: 0 0 12px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
.muted { color: var(--muted); }
.top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 12px; }
.brand { font-size: 20px; font-weight: 700; letter-spacing: -0.01em; }
.brand span { font-weight: 400; color: var(--muted); }
.meta { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; }
.meta div { display: flex; gap: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; font-weight: 600; }
.verdict { display: flex; align-items: center; gap: 18px; margin-top: 18px; padding: 22px 24px; border-radius: 12px;
  border: 1px solid var(--line); border-left-width: 8px; background: var(--panel); }
.verdict .icon { font-size: 34px; width: 58px; height: 58px; border-radius: 50%; display: grid; place-items: center; flex: none; font-weight: 700; }
.verdict h1 { margin: 0; font-size: 28px; letter-spacing: -0.01em; }
.verdict p { margin: 4px 0 0; font-size: 15px; color: var(--muted); }
.verdict.pass { border-left-color: var(--pass); } .verdict.pass .icon { background: var(--pass-bg); color: var(--pass); }
.verdict.interrupted { border-left-color: var(--warn); } .verdict.interrupted .icon { background: var(--warn-bg); color: var(--warn); }
.verdict.not-conformant { border-left-color: var(--fail); } .verdict.not-conformant .icon { background: var(--fail-bg); color: var(--fail); }
.verdict.inconclusive { border-left-color: var(--warn); } .verdict.inconclusive .icon { background: var(--warn-bg); color: var(--warn); }
.counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 10px; margin-top: 18px; }
.count { background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.count b { display: block; font-size: 26px; line-height: 1.1; }
.count span { color: var(--muted); }
.o-pass { --c: var(--pass); --cb: var(--pass-bg); } .o-fail { --c: var(--fail); --cb: var(--fail-bg); }
.o-error { --c: var(--error); --cb: var(--error-bg); } .o-warn { --c: var(--warn); --cb: var(--warn-bg); }
.o-info { --c: var(--info); --cb: var(--info-bg); } .o-skip { --c: var(--skip); --cb: var(--skip-bg); }
.count[class*="o-"] { border-top-color: var(--c); } .count[class*="o-"] b { color: var(--c); }
td.req-id { white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap;
  color: var(--c, var(--muted)); background: var(--cb, var(--code)); }
.tag { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11.5px; border: 1px solid var(--line); color: var(--muted); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 7px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
.table-scroll { overflow-x: auto; }
table.matrix { border-collapse: separate; border-spacing: 4px; }
table.matrix th, table.matrix td { border: 0; }
table.matrix th.variant { text-transform: none; letter-spacing: 0; font-size: 13px; color: var(--text); white-space: nowrap; }
table.matrix th.variant small { display: block; font-weight: 400; color: var(--muted); }
table.matrix td.cell { min-width: 120px; border-radius: 7px; text-align: center; vertical-align: middle; background: var(--cb); color: var(--c); }
table.matrix td.empty { background: transparent; border: 1px dashed var(--line); color: var(--muted); }
td.cell summary { cursor: pointer; font-weight: 700; font-size: 15px; list-style: none; }
td.cell summary::-webkit-details-marker { display: none; }
td.cell ul { list-style: none; margin: 6px 0 0; padding: 0; text-align: left; font-size: 12px; }
td.cell li { margin: 2px 0; color: var(--text); }
a { color: var(--info); text-decoration: none; } a:hover { text-decoration: underline; }
.legend { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 10px; align-items: center; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 10px; }
button { font: inherit; font-size: 12.5px; border: 1px solid var(--line); background: var(--panel); color: var(--text); border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button[aria-pressed="true"] { background: var(--text); color: var(--panel); border-color: var(--text); }
input[type="search"] { font: inherit; border: 1px solid var(--line); background: var(--panel); color: var(--text); border-radius: 6px; padding: 4px 10px; min-width: 220px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--c); border-radius: 8px; padding: 12px 14px; margin-top: 12px; background: var(--panel); }
.card h3 { margin: 0 0 6px; font-size: 15px; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.card .message { margin: 6px 0; white-space: pre-wrap; }
.findings td.expected { color: var(--pass); } .findings td.observed { color: var(--fail); font-weight: 600; }
.findings .statement { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
.findings tr.req-row td { background: var(--bg); border-top: 2px solid var(--line); }
.findings .devices { font-size: 12px; color: var(--muted); margin-top: 4px; word-break: break-all; }
details.evidence { margin-top: 6px; font-size: 12.5px; } details.evidence summary { cursor: pointer; color: var(--muted); }
details.evidence ol { margin: 6px 0 0; padding-left: 20px; } details.evidence li { margin-bottom: 6px; }
details.evidence li > div { margin-left: 8px; word-break: break-all; } code.http { font-weight: 600; }
code.http.s4xx, code.http.s5xx { color: var(--fail); } code.http.s2xx { color: var(--pass); }
.matrices { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 0 18px; align-items: start; }
.matrices table.matrix td.cell { min-width: 84px; } .role-expect { display: block; font-size: 11px; font-weight: 500; color: var(--muted); } .matrices table.matrix th.variant { white-space: normal; } .matrices table.matrix th { font-size: 11px; }
#comparison details.diff { margin-top: 8px; } #comparison details.new summary { color: var(--fail); } #comparison details.fixed summary { color: var(--pass); }
tr.unchecked td { color: var(--muted); }
.bar { height: 10px; background: var(--code); border-radius: 999px; overflow: hidden; min-width: 160px; }
.bar > div { height: 100%; background: var(--pass); border-radius: 999px; }
details.missed summary { cursor: pointer; color: var(--muted); }
details.missed ul { margin: 6px 0 0; padding-left: 18px; columns: 2; font-size: 12.5px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; text-align: center; }
@media print { button, input, .toolbar { display: none; } details > * { display: block; } section.panel { break-inside: avoid; } }
`;

/** Scenario filtering and expand-all for the matrix; the page reads fine without it. */
export const HTML_SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#scenario-table tbody tr'));
  var filterButtons = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var search = document.getElementById('scenario-search');
  var active = 'all';
  function apply() {
    var query = search ? search.value.trim().toLowerCase() : '';
    rows.forEach(function (row) {
      var byOutcome = active === 'all' || row.getAttribute('data-outcome') === active;
      var byText = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
      row.hidden = !(byOutcome && byText);
    });
  }
  function setFilter(value) {
    active = value;
    filterButtons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === value)); });
    apply();
  }
  filterButtons.forEach(function (b) { b.addEventListener('click', function () { setFilter(b.getAttribute('data-filter')); }); });
  if (search) search.addEventListener('input', apply);
  // Following a link to a scenario must not land on a row the filter hides.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#scenario-"]');
    if (link) { if (search) search.value = ''; setFilter('all'); }
  });
  var toggle = document.getElementById('matrix-toggle');
  if (toggle) toggle.addEventListener('click', function () {
    var cells = Array.prototype.slice.call(document.querySelectorAll('table.matrix details'));
    var open = !cells.every(function (d) { return d.open; });
    cells.forEach(function (d) { d.open = open; });
    toggle.textContent = open ? 'Hide scenario ids' : 'Show scenario ids';
  });
})();
`;
