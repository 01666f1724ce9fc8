/// The app's one stylesheet, served at `/static/app.css` (a file, so the CSP can forbid inline styles).
enum Stylesheet {
    static let css = """
        :root { --ink:#1f2933; --muted:#65748b; --line:#d9e0e8; --bg:#f5f7fa; --accent:#0b6bcb; --loaded:#d9480f; --empty:#1971c2; }
        * { box-sizing: border-box; }
        body { margin:0; font: 14px/1.45 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; color:var(--ink); background:var(--bg); }
        a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
        header.top { display:flex; align-items:center; gap:24px; padding:10px 24px; background:#102a43; color:#fff; }
        header.top a { color:#fff; } .brand { font-weight:700; font-size:16px; } .brand span { font-weight:400; opacity:.75; }
        header nav a { margin-right:16px; } .who { margin-left:auto; opacity:.85; }
        .logout button { background:transparent; color:#fff; border:1px solid #ffffff66; border-radius:4px; padding:3px 10px; cursor:pointer; }
        main { padding: 18px 24px 40px; max-width: 1400px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 6px 0 12px; } h1 small { font-size: 14px; color: var(--muted); font-weight: 400; }
        h2 { font-size: 15px; margin: 0 0 8px; color:#334e68; text-transform: none; }
        section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:14px 16px; margin-bottom:16px; }
        .tabs { display:flex; gap:6px; margin-bottom:10px; }
        .tabs a { padding:6px 12px; border-radius:16px; background:#fff; border:1px solid var(--line); color:var(--ink); }
        .tabs a.active { background:var(--accent); color:#fff; border-color:var(--accent); } .tabs b { margin-left:4px; }
        form.filters { display:flex; flex-wrap:wrap; gap:10px 14px; align-items:flex-end; background:#fff; padding:10px 14px; border:1px solid var(--line); border-radius:6px; margin-bottom:12px; }
        form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
        input, select, textarea, button { font: inherit; } input, select, textarea { padding:4px 6px; border:1px solid #bcccdc; border-radius:4px; }
        button { padding:5px 14px; border-radius:4px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
        table.list { width:100%; border-collapse:collapse; background:#fff; }
        table.list th, table.list td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
        table.list th { font-size:12px; color:var(--muted); font-weight:600; background:#f0f4f8; } td.n, th.n { text-align:right; }
        td.empty { color:var(--muted); text-align:center; padding:20px; }
        .vt { display:inline-block; padding:1px 6px; border-radius:3px; background:#fff3bf; border:1px solid #ffe066; font-size:12px; margin:1px 0; }
        .vt-illegal_dump, .vt-unapproved_disposal, .vt-plate_mismatch { background:#ffe3e3; border-color:#ffa8a8; }
        .status { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:#e7f5ff; border:1px solid #a5d8ff; }
        .st-open { background:#fff4e6; border-color:#ffc078; } .st-dispatched { background:#e7f5ff; border-color:#74c0fc; }
        .st-resolved { background:#ebfbee; border-color:#8ce99a; } .st-dismissed { background:#f1f3f5; border-color:#ced4da; } .st-closed { background:#e9ecef; border-color:#adb5bd; }
        .superseded { font-size:12px; color:#c92a2a; }
        .ms-open { background:#fff4e6; border-color:#ffc078; } .ms-closed { background:#ebfbee; border-color:#8ce99a; }
        .ms-unclosed, .ms-mismatched { background:#ffe3e3; border-color:#ffa8a8; } td.bad { color:#c92a2a; font-weight:600; }
        tr.gate-row.cited { background:#fff9db; } .kpis { display:flex; flex-wrap:wrap; gap:10px; margin-bottom:16px; }
        .kpi { background:#fff; border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:150px; }
        .kpi span { display:block; font-size:12px; color:var(--muted); } .kpi b { font-size:18px; }
        .pager { margin-top:10px; display:flex; gap:16px; }
        .error { background:#fff5f5; border:1px solid #ffa8a8; color:#c92a2a; padding:8px 12px; border-radius:4px; }
        .login { max-width:360px; margin:80px auto; } .login form { display:flex; flex-direction:column; gap:10px; }
        .login label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); } .sub { color:var(--muted); margin-top:-8px; }
        .crumbs { margin:0 0 4px; } .facts { color:var(--muted); margin-top:-6px; } .facts b { color:var(--ink); }
        .chain { display:flex; gap:0; padding:0; overflow:hidden; }
        .chain .link { flex:1; padding:10px 14px; border-right:1px solid var(--line); display:flex; flex-direction:column; }
        .chain .link:last-child { border-right:0; } .chain .k { font-size:11px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
        .chain .link b { font-size:15px; } .chain .link span:last-child { color:var(--muted); font-size:12px; }
        .chain .bad { background:#fff5f5; } .chain .ok { background:#f4fce3; }
        .two { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); gap:16px; } .two > section { margin-bottom:16px; }
        .map svg { width:100%; height:auto; background:#fbfcfd; border:1px solid var(--line); border-radius:4px; }
        ol#timeline { list-style:none; padding:0; margin:0; } ol#timeline li { padding:4px 0 4px 10px; border-left:3px solid var(--line); margin-bottom:2px; }
        ol#timeline time { font-variant-numeric: tabular-nums; color:var(--muted); margin-right:6px; }
        ol#timeline li.violation { border-color:#fa5252; } ol#timeline li.camera { border-color:#7048e8; } ol#timeline li.trip { border-color:#2f9e44; }
        ol#timeline li.gate { border-color:#0c8599; } ol#timeline li.manifest { border-color:#e67700; }
        .violation { border-top:1px solid var(--line); padding-top:8px; margin-top:8px; } .violation h3 { font-size:14px; margin:0 0 4px; }
        .num { display:inline-block; width:20px; height:20px; border-radius:10px; background:#c92a2a; color:#fff; text-align:center; font-size:12px; line-height:20px; }
        dl { display:grid; grid-template-columns: 130px 1fr; gap:2px 10px; margin:6px 0; } dt { color:var(--muted); } dd { margin:0; }
        .cam { display:inline-block; margin-right:8px; } code { font-size:12px; background:#f1f3f5; padding:0 4px; border-radius:3px; }
        .actions form.action { display:inline-flex; gap:6px; align-items:flex-start; margin:0 14px 8px 0; }
        .actions textarea { width:260px; height:34px; } button.dismissed { background:#868e96; border-color:#868e96; }
        button.resolved, button.closed { background:#2f9e44; border-color:#2f9e44; } button.open { background:#f08c00; border-color:#f08c00; }
        .muted { color:var(--muted); } td.note { max-width:380px; }
        .grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap:16px; }
        .stat svg { width:100%; height:auto; margin-bottom:8px; }
        .problem { max-width:640px; }
        /* Issue #20: the case page's dispatch deliveries. */
        .delivery h3 { font-size:14px; margin:8px 0 4px; } .delivery small { color:var(--muted); }
        .status.dl-pending { background:#fff4e6; border-color:#ffc078; } .status.dl-delivered { background:#ebfbee; border-color:#8ce99a; }
        .status.dl-failed { background:#fff5f5; border-color:#ffa8a8; } table.attempts td { font-size:12px; }
        /* Issue #24: a violation's raw fixes from the gateway's journal. */
        details.raw-fixes { margin:6px 0; } details.raw-fixes summary { cursor:pointer; color:#334e68; font-weight:600; }
        table.raw-table td, table.raw-table th { font-size:12px; padding:3px 6px; font-variant-numeric: tabular-nums; }
        tr.raw-fix.late { background:#fff9db; } tr.raw-fix.kept td:last-child { color:var(--loaded); }
        """
}
