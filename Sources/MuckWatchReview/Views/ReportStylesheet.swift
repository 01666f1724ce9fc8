/// Styles of the officers' reports (issue #21), appended to `/static/app.css` after the app's own:
/// the reports page, the replay controls, the basemap and the A4 print stylesheet. Kept apart
/// from `Stylesheet.css` so the phone layout (issue #26) and these do not edit the same lines.
enum ReportStylesheet {
    static let css = """

        /* ---- issue #21: officers' reports ---- */
        a.download, a.button { display:inline-block; padding:5px 12px; border-radius:4px; border:1px solid var(--accent); color:var(--accent); background:#fff; }
        a.download:hover, a.button:hover { background:#e7f5ff; text-decoration:none; }
        .case-tools { float:right; display:flex; gap:8px; }
        table.funnel tbody#funnel-weeks tr:first-child td { border-top:2px solid #bcccdc; }
        tr.funnel-week td { background:#f8f9fa; } table.funnel tfoot th { text-align:right; } table.funnel tfoot th:first-child { text-align:left; }
        #league-table a.sort { color:inherit; } #league-table a.sort:hover { color:var(--accent); }
        td.league-name { font-weight:600; white-space:nowrap; } .league-scroll { overflow-x:auto; }
        table.funnel td.n, table.funnel th.n, #league-table td.n, #league-table th.n { text-align:right; }
        .replay { display:flex; flex-wrap:wrap; align-items:center; gap:8px 12px; margin-top:8px; font-size:13px; }
        .replay label { display:flex; gap:6px; align-items:center; color:var(--muted); }
        .replay input[type=range] { flex:1; min-width:160px; }
        .replay-clock { font-variant-numeric: tabular-nums; font-weight:700; }
        .replay-event { flex-basis:100%; color:var(--muted); min-height:1.4em; }
        ol#timeline li.replay-future { opacity:.18; }
        ol#timeline li.replay-now { background:#fff9db; }
        .basemap { width:100%; height:520px; border:1px solid var(--line); border-radius:4px; }
        .print-bar { display:flex; gap:16px; align-items:center; }
        .generated { color:var(--muted); font-size:12px; }
        .print-images { display:grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap:10px; }
        .print-images figure { margin:0; } .print-images img { width:100%; height:auto; border:1px solid var(--line); }
        .print-images figcaption { font-size:11px; color:var(--muted); }

        @media print {
          @page { size: A4; margin: 14mm 12mm; }
          body { background:#fff; font-size:10.5pt; }
          header.top, .no-print, .actions, .replay { display:none !important; }
          main { padding:0; max-width:none; }
          section { border:0; padding:0; margin:0 0 10pt; break-inside:auto; }
          .print-sheet h1 { font-size:16pt; margin:0 0 4pt; }
          .chain { border:1px solid #999; break-inside:avoid; }
          .print-map svg { max-height:150mm; break-inside:avoid; border:1px solid #999; }
          .violation, table.list tr, figure { break-inside:avoid; }
          .two { display:block; }
          a { color:inherit; }
          table.list th { background:#eee; }
        }
        """
}
