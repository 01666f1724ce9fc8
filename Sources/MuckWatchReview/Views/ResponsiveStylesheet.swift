/// Issue #26: the field pages' styles and the app on a phone, served after `Stylesheet.css`.
///
/// Phones (≤ 760 px) get one column: the header wraps with Log out kept in view, tabs scroll
/// inside themselves, the case list turns into cards (id, plate, types, place, status, age),
/// wide tables scroll inside their own box, buttons and fields are thumb-sized (44 px, Apple's
/// and Android's minimum touch target). Above 760 px nothing changes but the field pages' own rules.
/// Screens only: a printed A4 sheet is narrower than 760 px and keeps its own print layout.
enum ResponsiveStylesheet {
    static let css = """

        /* ---- Issue #26: field pages and phones ---- */
        .overdue { display:inline-block; padding:1px 7px; border-radius:10px; background:#c92a2a; color:#fff; font-size:12px; font-weight:600; }
        .age { color:var(--muted); white-space:nowrap; }
        a.button { display:inline-block; padding:5px 14px; border-radius:4px; border:1px solid var(--accent); background:var(--accent); color:#fff; }
        a.button:hover { text-decoration:none; }
        button.secondary, a.button.secondary { background:#fff; color:var(--accent); }
        .small { font-size:12px; } .near-bar { display:flex; flex-wrap:wrap; gap:8px 14px; align-items:center; }
        ol.cards { list-style:none; padding:0; margin:0 0 12px; display:grid; grid-template-columns:repeat(auto-fill, minmax(320px, 1fr)); gap:12px; }
        li.card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:12px 14px; display:flex; flex-direction:column; gap:4px; min-width:0; }
        li.card .card-head { display:flex; justify-content:space-between; gap:8px; align-items:center; }
        li.card .case-link { font-weight:600; font-size:15px; overflow-wrap:anywhere; }
        li.card .card-actions { display:flex; flex-wrap:wrap; gap:8px; margin-top:6px; }
        li.card.empty { color:var(--muted); }
        section.field h3 { font-size:14px; margin:14px 0 6px; }
        form.stacked { display:flex; flex-direction:column; gap:10px; max-width:640px; margin:10px 0; }
        form.stacked label { display:flex; flex-direction:column; gap:3px; font-size:12px; color:var(--muted); }
        form.stacked .row { display:flex; flex-wrap:wrap; gap:10px; } form.stacked .row > * { flex:1 1 200px; }
        form.stacked button { align-self:flex-start; }
        .handling, .evaluation { border-left:3px solid #2f9e44; padding:4px 10px; margin:6px 0; background:#f4fce3; }
        .evaluation { border-color:#0b6bcb; background:#e7f5ff; } .handling p, .evaluation p { margin:4px 0 0; }
        .photos { display:grid; grid-template-columns:repeat(auto-fill, minmax(200px, 1fr)); gap:12px; }
        figure.photo { margin:0; min-width:0; } figure.photo img { width:100%; height:180px; object-fit:cover; border:1px solid var(--line); border-radius:4px; display:block; }
        figure.photo figcaption { font-size:12px; overflow-wrap:anywhere; }
        .map-links { display:flex; flex-wrap:wrap; gap:8px; align-items:center; }
        main, section, .two > section { min-width:0; }
        dd, h1, .facts, .crumbs, #case-table td { overflow-wrap:anywhere; }

        /* Tablets and narrow windows: the wide tables (manifests, gate passes) scroll inside their own box. */
        @media screen and (max-width: 1100px) {
          table.list:not(#case-table) { display:block; overflow-x:auto; }
        }

        @media screen and (max-width: 760px) {
          body { font-size:15px; }
          header.top { flex-wrap:wrap; gap:6px 12px; padding:8px 12px; }
          header.top .brand { flex:1 1 auto; }
          header.top .logout { order:2; }
          header.top .logout button { min-height:44px; padding:8px 14px; }
          header.top nav { order:3; width:100%; display:flex; overflow-x:auto; gap:4px; }
          header.top nav a { margin-right:0; padding:10px 10px; white-space:nowrap; }
          header.top .who { order:4; width:100%; margin-left:0; font-size:12px; }
          main { padding:12px 10px 32px; }
          h1 { font-size:19px; }
          section { padding:12px 12px; }
          .tabs { overflow-x:auto; flex-wrap:nowrap; padding-bottom:4px; }
          .tabs a { white-space:nowrap; padding:10px 14px; }
          form.filters { padding:10px; }
          form.filters label { flex:1 1 140px; min-width:0; }
          form.filters input, form.filters select { width:100%; min-height:44px; }
          input, select, textarea { font-size:16px; min-height:44px; }
          button, a.button { min-height:44px; padding:10px 16px; }
          #case-table thead { display:none; }
          #case-table, #case-table tbody, #case-table tr, #case-table td { display:block; }
          #case-table tr.case-row { position:relative; background:#fff; border:1px solid var(--line); border-radius:6px; margin-bottom:10px; padding:10px 12px; }
          #case-table td { border:0; padding:2px 0; }
          #case-table td:nth-child(4), #case-table td:nth-child(7) { display:none; }
          #case-table td:first-child { padding-right:110px; }
          #case-table td:first-child a { display:inline-block; padding:8px 0; font-size:16px; font-weight:600; }
          #case-table td:last-child { position:absolute; top:14px; right:12px; text-align:right; }
          #case-table td:nth-child(3) { font-weight:600; }
          .two { grid-template-columns:minmax(0, 1fr); }
          .chain { flex-direction:column; }
          .chain .link { border-right:0; border-bottom:1px solid var(--line); }
          dl { grid-template-columns:96px minmax(0, 1fr); }
          .grid { grid-template-columns:minmax(0, 1fr); }
          .kpi { min-width:0; flex:1 1 140px; }
          .actions form.action { display:flex; flex-wrap:wrap; width:100%; margin:0 0 10px; }
          .actions textarea, .actions input { width:100%; }
          ol.cards { grid-template-columns:minmax(0, 1fr); }
          .photos { grid-template-columns:repeat(auto-fill, minmax(140px, 1fr)); }
          form.stacked button { align-self:stretch; }
          .pager a { display:inline-block; padding:10px 0; }
          .login { margin:24px auto; }
        }
        """
}
