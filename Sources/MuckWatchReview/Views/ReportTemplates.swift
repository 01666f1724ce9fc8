/// The templates of the officers' reports (issue #21): the reports page (funnel and league
/// tables), the printable evidence sheet and the case page's replay and basemap block (a partial
/// the case page includes). Registered with `Templates.all` by `Renderer`.
enum ReportTemplates {
    static let all: [String: String] = ["reports": reports, "case-print": print, "case-replay": replay]

    static let replay = """
        <div class="replay no-print" id="replay" data-src="/cases/{{id}}/replay.json">
          <button type="button" id="replay-play">▶ Replay 回放</button>
          <label>Speed 倍速 <select id="replay-speed"><option value="10">10×</option><option value="30">30×</option><option value="60" selected>60×</option><option value="120">120×</option><option value="300">300×</option></select></label>
          <input type="range" id="replay-pos" min="0" max="1000" value="0" aria-label="replay position">
          <span id="replay-clock" class="replay-clock">--:--:--</span>
          <span id="replay-event" class="replay-event"></span>
        </div>
        {{#basemap}}<script src="/static/leaflet/leaflet.js"></script>{{/basemap}}
        <script src="/static/replay.js" defer></script>
        """

    static let reports = """
        <h1>Reports 报表 <small>{{period}}</small></h1>
        {{#notice}}<p class="error">{{notice}}</p>{{/notice}}
        <form method="get" action="/reports" class="filters" id="report-filters">
          <label>From <input type="date" name="from" id="r-from" value="{{from}}"></label>
          <label>To <input type="date" name="to" id="r-to" value="{{to}}"></label>
          <button id="r-apply">Show</button> <a href="/reports">all days</a>
          <a href="{{xlsx}}" id="reports-xlsx" class="download">Excel ⤓</a>
        </form>
        <section id="funnel"><h2>Funnel 漏斗: signals → cases → confirmed → closed</h2>
          <table class="list funnel"><thead><tr><th>Period 周期</th><th class="n">Camera events 抓拍</th><th class="n">Detections 研判</th><th class="n">Signals 信号</th><th class="n">Cases 立案</th><th class="n">Confirmed 确认派单</th><th class="n">Closed 结案</th><th class="n">Dismissed 驳回</th></tr></thead>
          <tbody id="funnel-days">
          {{#days}}<tr class="funnel-day"><td>{{period}}</td><td class="n">{{cameraEvents}}</td><td class="n">{{detections}}</td><td class="n">{{signals}}</td><td class="n">{{cases}}</td><td class="n">{{confirmed}}</td><td class="n">{{closed}}</td><td class="n">{{dismissed}}</td></tr>{{/days}}
          {{^days}}<tr><td colspan="8" class="empty">No signals or cases in these days.</td></tr>{{/days}}
          </tbody>
          <tbody id="funnel-weeks">
          {{#weeks}}<tr class="funnel-week"><td>{{period}}</td><td class="n">{{cameraEvents}}</td><td class="n">{{detections}}</td><td class="n">{{signals}}</td><td class="n">{{cases}}</td><td class="n">{{confirmed}}</td><td class="n">{{closed}}</td><td class="n">{{dismissed}}</td></tr>{{/weeks}}
          </tbody>
          <tfoot>{{#total}}<tr id="funnel-total"><th>{{period}}</th><th class="n">{{cameraEvents}}</th><th class="n">{{detections}}</th><th class="n">{{signals}}</th><th class="n">{{cases}}</th><th class="n">{{confirmed}}</th><th class="n">{{closed}}</th><th class="n">{{dismissed}}</th></tr>{{/total}}</tfoot>
          </table>
          <h3>Dismissal reasons 驳回原因</h3>
          {{#hasReasons}}<table class="list" id="dismissal-reasons"><thead><tr><th>Reason</th><th class="n">Cases</th></tr></thead><tbody>
          {{#reasons}}<tr><td>{{reason}}</td><td class="n">{{count}}</td></tr>{{/reasons}}
          </tbody></table>{{/hasReasons}}
          {{^hasReasons}}<p class="muted" id="dismissal-reasons">No case dismissed.</p>{{/hasReasons}}
        </section>
        <section id="league"><h2>League table 排行榜 · {{league}}</h2>
          <nav class="tabs" id="league-tabs">{{#tabs}}<a href="{{href}}" class="{{#active}}active{{/active}}" data-league="{{key}}">{{label}}</a>{{/tabs}}</nav>
          <div class="league-scroll"><table class="list" id="league-table"><thead><tr>
          {{#headers}}<th class="{{#numeric}}n{{/numeric}}">{{#href}}<a href="{{href}}" class="sort" data-sort="{{key}}">{{label}}{{mark}}</a>{{/href}}{{^href}}{{label}}{{/href}}</th>{{/headers}}
          </tr></thead><tbody>
          {{#rows}}<tr class="league-row"><td class="n">{{rank}}</td><td class="league-name">{{name}}</td>{{#cells}}<td class="n">{{.}}</td>{{/cells}}</tr>{{/rows}}
          {{^rows}}<tr><td colspan="6" class="empty">No trips or violations in these days.</td></tr>{{/rows}}
          </tbody></table></div>
          <p class="muted" id="score-rule">{{scoreRule}} (docs/reports.md)</p>
        </section>
        """

    static let print = """
        <div class="print-sheet">
        {{#page}}
        <p class="no-print print-bar"><a href="/cases/{{id}}">← back to the case</a> <button type="button" id="print-now">Print 打印</button></p>
        <h1 id="case-id">Evidence sheet 证据单 · {{id}} <span class="status st-{{status}}">{{status}}</span></h1>
        <p class="facts">{{date}} · vehicle <b>{{vehicle}}</b> · {{company}} · routed to {{departments}}</p>
        {{/page}}
        <p class="generated" id="generated">Generated 生成 {{generated}} · store run {{runID}} · MuckWatch</p>
        {{#page}}
        <section class="chain" id="chain">
          {{#chain}}<div class="link {{kind}}"><span class="k">{{label}}</span><b>{{name}}</b><span>{{detail}}</span></div>{{/chain}}
        </section>
        <section class="map print-map"><h2>Map 轨迹</h2>{{{map}}}</section>
        <section class="timeline"><h2>Timeline 时间线</h2>
          <ol id="timeline">{{#timeline}}<li class="{{kind}}"><time>{{time}}</time> {{text}}</li>{{/timeline}}</ol>
        </section>
        <section id="violations"><h2>Violations and evidence 违规与证据 ({{violationCount}})</h2>
          {{> case-violation-list}}
        </section>
        {{/page}}
        {{#hasImages}}
        <section id="evidence-images"><h2>Images 图片</h2>
          <div class="print-images">{{#images}}<figure><img src="{{src}}" alt="{{caption}}"><figcaption>{{caption}}</figcaption></figure>{{/images}}</div>
        </section>
        {{/hasImages}}
        {{#page}}
        {{> case-records}}
        {{> case-audit}}
        {{/page}}
        </div>
        <script src="/static/print.js" defer></script>
        """
}
