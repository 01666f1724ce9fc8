/// The app's Mustache templates. Kept in the binary so `muckwatch serve` needs nothing but the store.
/// `{{x}}` is HTML-escaped; the only `{{{x}}}` (raw) values are HTML and SVG this module built itself.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "cases": cases, "case": caseDetail, "stats": stats, "error": error,
        "manifests": manifests, "deliveries": deliveries,
    ]

    static let layout = """
        <!doctype html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · MuckWatch</title><link rel="stylesheet" href="/static/app.css"></head>
        <body>
        {{#user}}
        <header class="top">
          <a class="brand" href="/cases">MuckWatch <span>渣土车监管</span></a>
          <nav><a href="/cases" id="nav-cases">Cases 案件</a><a href="/manifests" id="nav-manifests">Manifests 联单</a><a href="/stats" id="nav-stats">Statistics 统计</a><a href="/reports" id="nav-reports">Reports 报表</a><a href="/my" id="nav-my">My cases 我的</a></nav>
          <span class="who" id="who">{{name}} · {{role}}{{#departmentList}} · {{departmentList}}{{/departmentList}}</span>
          <form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="{{csrf}}"><button>Log out</button></form>
        </header>
        {{/user}}
        <main>{{{body}}}</main>
        </body>
        </html>
        """

    static let login = """
        <section class="login">
          <h1>MuckWatch</h1>
          <p class="sub">渣土车监管 · case review</p>
          {{#message}}<p class="error" id="login-error">{{message}}</p>{{/message}}
          <form method="post" action="/login">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="next" value="{{next}}">
            <label>User <input name="user" id="user" value="{{user}}" autocomplete="username" required autofocus></label>
            <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button id="login">Log in</button>
          </form>
        </section>
        """

    static let cases = """
        <h1>Cases 案件 <small>{{total}} matching</small></h1>
        {{#notice}}<p class="error">{{notice}}</p>{{/notice}}
        <nav class="tabs" id="status-tabs">
          {{#statusTabs}}<a href="{{href}}" class="{{#active}}active{{/active}}" data-status="{{status}}">{{label}} <b>{{count}}</b></a>{{/statusTabs}}
        </nav>
        <form method="get" action="/cases" class="filters" id="filters">
          {{#status}}<input type="hidden" name="status" value="{{status}}">{{/status}}
          <label>Type <select name="type" id="f-type"><option value="">any</option>{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select></label>
          <label>Department <select name="department" id="f-department"><option value="">any</option>{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select></label>
          <label>Company <select name="company" id="f-company"><option value="">any</option>{{#companies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/companies}}</select></label>
          <label>Vehicle <input name="vehicle" id="f-vehicle" value="{{vehicle}}" size="10" placeholder="渝F12345"></label>
          <label>From <input type="date" name="from" id="f-from" value="{{from}}"></label>
          <label>To <input type="date" name="to" id="f-to" value="{{to}}"></label>
          <label>Sort <select name="sort" id="f-sort">{{#sorts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sorts}}</select></label>
          <label>Order <select name="dir" id="f-dir"><option value="desc"{{#descending}} selected{{/descending}}>newest/Z first</option><option value="asc"{{^descending}} selected{{/descending}}>oldest/A first</option></select></label>
          <button id="apply">Filter</button> <a href="/cases">clear</a> <a href="{{xlsx}}" id="download-xlsx" class="download">Excel ⤓</a>
        </form>
        <table class="list" id="case-table">
          <thead><tr><th>Case</th><th>Date</th><th>Vehicle</th><th>Company</th><th>Violations</th><th>Source → disposal</th><th>Departments</th><th>Status</th></tr></thead>
          <tbody>
          {{#rows}}
            <tr class="case-row"><td><a href="/cases/{{id}}" class="case-link">{{id}}</a></td><td>{{date}}{{#age}} <small class="age">· {{age}}</small>{{/age}}</td><td>{{vehicle}}</td><td>{{company}}</td>
            <td>{{#types}}<span class="vt vt-{{value}}">{{label}}</span> {{/types}}</td><td>{{source}} → {{disposal}}</td><td>{{departments}}</td>
            <td><span class="status st-{{status}}">{{status}}</span>{{#overdue}} <span class="overdue">{{overdue}}</span>{{/overdue}}{{#superseded}} <span class="superseded">superseded</span>{{/superseded}}</td></tr>
          {{/rows}}
          {{^rows}}<tr><td colspan="8" class="empty">No case matches these filters.</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pager">{{#previous}}<a href="{{previous}}" id="prev">← previous</a>{{/previous}} <span>page {{page}} of {{pages}}</span> {{#next}}<a href="{{next}}" id="next">next →</a>{{/next}}</nav>
        """

    static let manifests = """
        <h1>Manifests 电子联单 <small>{{total}} matching</small></h1>
        {{#notice}}<p class="error">{{notice}}</p>{{/notice}}
        <nav class="tabs" id="state-tabs">
          {{#stateTabs}}<a href="{{href}}" class="{{#active}}active{{/active}}" data-state="{{status}}">{{label}} <b>{{count}}</b></a>{{/stateTabs}}
        </nav>
        <form method="get" action="/manifests" class="filters" id="filters">
          {{#state}}<input type="hidden" name="state" value="{{state}}">{{/state}}
          <label>Site <select name="site" id="f-site"><option value="">any</option>{{#sites}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sites}}</select></label>
          <label>Company <select name="company" id="f-company"><option value="">any</option>{{#companies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/companies}}</select></label>
          <label>Vehicle <input name="vehicle" id="f-vehicle" value="{{vehicle}}" size="10" placeholder="渝F12345"></label>
          <label>Driver <input name="driver" id="f-driver" value="{{driver}}" size="10"></label>
          <label>From <input type="date" name="from" id="f-from" value="{{from}}"></label>
          <label>To <input type="date" name="to" id="f-to" value="{{to}}"></label>
          <button id="apply">Filter</button> <a href="/manifests">clear</a>
        </form>
        <table class="list" id="manifest-table">
          <thead><tr><th>Manifest</th><th>State</th><th>Opened</th><th>Vehicle</th><th>Driver</th><th>Waste</th><th>Source → planned</th><th>Closed</th><th class="n">Declared</th><th class="n">Received</th><th>Trip matched</th><th>Case</th></tr></thead>
          <tbody>
          {{#rows}}
            <tr class="manifest-row" id="m-{{id}}"><td class="manifest-id">{{id}}</td><td><span class="status ms-{{state}}">{{stateLabel}}</span></td><td>{{opened}}</td>
            <td>{{vehicle}}<br><small class="muted">{{company}}</small></td><td>{{driver}}</td><td>{{waste}}</td><td>{{source}} → {{planned}}</td><td>{{closed}}</td>
            <td class="n">{{declared}}</td><td class="n">{{received}}</td><td class="{{^matched}}muted{{/matched}}">{{trip}}</td>
            <td>{{#caseLink}}<a href="{{caseLink}}" class="manifest-case">{{caseID}}</a>{{/caseLink}}{{^caseLink}}{{#caseID}}<span class="muted" title="routed to another department">{{caseID}}</span>{{/caseID}}{{^caseID}}—{{/caseID}}{{/caseLink}}</td></tr>
          {{/rows}}
          {{^rows}}<tr><td colspan="12" class="empty">No manifest matches these filters.</td></tr>{{/rows}}
          </tbody>
        </table>
        <nav class="pager">{{#previous}}<a href="{{previous}}" id="prev">← previous</a>{{/previous}} <span>page {{page}} of {{pages}}</span> {{#next}}<a href="{{next}}" id="next">next →</a>{{/next}}</nav>
        """

    static let caseDetail = """
        <p class="crumbs"><a href="/cases">← all cases</a><span class="case-tools no-print"><a href="/cases/{{id}}/print" id="print-link" class="button">Print 打印</a></span></p>
        <h1 id="case-id">{{id}} <span class="status st-{{status}}" id="case-status">{{status}}</span>{{#superseded}} <span class="superseded">superseded: the latest run no longer finds this case</span>{{/superseded}}</h1>
        <p class="facts">{{date}} · vehicle <b>{{vehicle}}</b> · {{company}} · routed to {{departments}}</p>
        {{#message}}<p class="error" id="action-error">{{message}}</p>{{/message}}
        <section class="chain" id="chain">
          {{#chain}}<div class="link {{kind}}"><span class="k">{{label}}</span><b>{{name}}</b><span>{{detail}}</span></div>{{/chain}}
        </section>
        <div class="two">
          <section class="map"><h2>Map 轨迹</h2>{{#basemap}}<link rel="stylesheet" href="/static/leaflet/leaflet.css"><div id="basemap" class="basemap" data-tiles="{{tiles}}" data-datum="{{datum}}"></div>{{/basemap}}{{^basemap}}{{{map}}}{{/basemap}}{{> case-replay}}</section>
          <section class="timeline"><h2>Timeline 时间线</h2>
            <ol id="timeline">{{#timeline}}<li class="{{kind}}" data-at="{{at}}"><time>{{time}}</time> {{text}}</li>{{/timeline}}</ol>
          </section>
        </div>
        <section><h2>Violations 违规 ({{violationCount}})</h2>
          {{> case-violation-list}}
        </section>
        {{> case-records}}
        {{#field}}{{> case-field}}{{/field}}
        <section class="actions" id="actions"><h2>Workflow 处置</h2>
          {{#canAct}}
            {{#actions}}
            <form method="post" action="/cases/{{caseID}}/status" class="action" id="act-{{to}}">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="to" value="{{to}}">
              {{#needsNote}}<textarea name="note" id="note-{{to}}" placeholder="Reason (required) 原因" required></textarea>{{/needsNote}}
              {{^needsNote}}<input name="note" id="note-{{to}}" placeholder="Note (optional)">{{/needsNote}}
              <button id="do-{{to}}" class="{{to}}">{{label}}</button>
            </form>
            {{/actions}}
            {{^actions}}<p>No further steps.</p>{{/actions}}
          {{/canAct}}
          {{^canAct}}<p class="muted">{{cannotAct}}</p>{{/canAct}}
        </section>
        {{> deliveries}}
        {{> case-audit}}
        """

    static let stats = """
        <h1>Statistics 统计 <small>{{date}}</small></h1>
        <p class="muted">Per day and week, signals → cases → confirmed → closed, and league tables: <a href="/reports" id="stats-reports">Reports 报表</a></p>
        <form method="get" action="/stats" class="filters"><label>Day <select name="date" id="s-date">{{#dates}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/dates}}</select></label> <button>Show</button></form>
        {{^hasDates}}<p>No cases in the store yet: run <code>muckwatch analyze</code> into it.</p>{{/hasDates}}
        <div class="grid">
        {{#tables}}
          <section class="stat" id="stat-{{key}}"><h2>{{title}}</h2>{{{chart}}}
            <table class="list"><thead><tr><th>{{column}}</th><th class="n">{{unit}}</th>{{#hasTrips}}<th class="n">trips</th>{{/hasTrips}}</tr></thead><tbody>
            {{#rows}}<tr><td>{{name}}</td><td class="n">{{value}}</td>{{#hasTrips}}<td class="n">{{trips}}</td>{{/hasTrips}}</tr>{{/rows}}
            {{^rows}}<tr><td colspan="3" class="empty">none</td></tr>{{/rows}}
            </tbody></table>
          </section>
        {{/tables}}
        </div>
        {{#chain}}
        <h2 id="chain-stats">Manifests and disposal 联单与资源化 <small>{{date}}</small></h2>
        <div class="kpis" id="chain-figures">{{#figures}}<div class="kpi" id="kpi-{{key}}"><span>{{label}}</span><b>{{value}}</b></div>{{/figures}}</div>
        <div class="grid">
        {{#grids}}
          <section class="stat" id="stat-{{key}}"><h2>{{title}}</h2>{{{chart}}}
            <table class="list"><thead><tr>{{#headers}}<th class="{{#numeric}}n{{/numeric}}">{{text}}</th>{{/headers}}</tr></thead><tbody>
            {{#rows}}<tr>{{#cells}}<td class="{{#numeric}}n{{/numeric}}">{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>{{/rows}}
            {{^rows}}<tr><td colspan="8" class="empty">none</td></tr>{{/rows}}
            </tbody></table>
          </section>
        {{/grids}}
        </div>
        {{/chain}}
        {{#handling}}{{> handling-stats}}{{/handling}}
        """

    static let error = """
        <section class="problem"><h1>{{heading}}</h1><p id="problem">{{message}}</p><p><a href="/cases">Back to the cases</a></p></section>
        """
}
