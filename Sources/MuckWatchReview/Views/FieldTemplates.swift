/// The field officers' templates (issue #26): My cases, the overdue list, and the partials the
/// case page (`case-field`) and the statistics page (`handling-stats`) include.
enum FieldTemplates {
    static let all: [String: String] = [
        "my": my, "overdue": overdue, "case-field": caseField, "handling-stats": handlingStats,
    ]

    static let my = """
        <h1>My cases 我的案件 <small>{{count}} dispatched to {{scope}}{{#hasOverdue}} · <span class="overdue">{{overdueCount}} overdue</span>{{/hasOverdue}}</small></h1>
        <p class="near-bar"><button type="button" id="near" class="secondary" hidden>Distance from here 距离</button> <span id="near-status" class="muted"></span> <a href="/overdue">Overdue 超时</a></p>
        <ol class="cards" id="my-cases">
        {{#cards}}
          <li class="card" id="my-{{id}}" data-lat="{{lat}}" data-lon="{{lon}}">
            <div class="card-head"><a href="/cases/{{id}}" class="case-link">{{id}}</a> <span class="status st-{{status}}">{{statusLabel}}</span></div>
            <div><b>{{vehicle}}</b> · {{place}} <span class="distance"></span></div>
            <div>{{#types}}<span class="vt vt-{{value}}">{{label}}</span> {{/types}}</div>
            <div class="muted">dispatched {{dispatched}} · age {{age}}{{#due}} · {{due}}{{/due}}</div>
            {{#overdue}}<div><span class="overdue">{{overdue}}</span></div>{{/overdue}}
            <div class="card-actions"><a class="button" href="/cases/{{id}}#field">Handle 处置</a>{{#links}} <a class="button secondary map-app" href="{{geo}}">Map app 地图</a> <a class="button secondary" href="{{amap}}">高德 Amap</a>{{/links}}</div>
          </li>
        {{/cards}}
        {{^cards}}<li class="card empty">Nothing dispatched to you. 暂无派单。</li>{{/cards}}
        </ol>
        <p class="muted small">Map app opens the dump point (WGS84, <code>geo:</code>). Chinese map apps draw on GCJ-02: the 高德 link asks Amap to convert, so its pin is not 300–600 m off.</p>
        <script src="/static/near.js" defer></script>
        """

    static let overdue = """
        <h1>Overdue 超时案件 <small>{{count}} past a deadline · {{policy}}</small></h1>
        <div class="kpis" id="overdue-departments">{{#departments}}<div class="kpi"><span>{{department}}</span><b>{{count}}</b></div>{{/departments}}</div>
        <table class="list" id="overdue-table"><thead><tr><th>Case</th><th>Vehicle</th><th>Departments</th><th>Waiting for</th><th>Due</th><th>Late by</th><th>Status</th></tr></thead><tbody>
        {{#rows}}<tr class="overdue-row"><td><a href="/cases/{{id}}">{{id}}</a></td><td>{{vehicle}}</td><td>{{departments}}</td><td>{{step}}</td><td>{{due}}</td><td class="late">{{late}}</td><td><span class="status st-{{status}}">{{status}}</span></td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7" class="empty">No case is overdue.</td></tr>{{/rows}}
        </tbody></table>
        """

    static let caseField = """
        <section class="field" id="field"><h2>On site 现场处置</h2>
          <p class="facts">{{#due}}<span id="case-due">{{due}}</span>{{/due}}{{#overdue}} <span class="overdue" id="case-overdue">{{overdue}}</span>{{/overdue}}{{#timing}} · <span id="case-timing">{{timing}}</span>{{/timing}}</p>
          {{#links}}<p class="map-links">Dump point {{position}} (WGS84) <a class="button secondary map-app" id="geo-link" href="{{geo}}">Open in map app 地图</a> <a class="button secondary" id="amap-link" href="{{amap}}">高德 Amap</a></p>{{/links}}
          {{#handlings}}<div class="handling"><b>{{outcome}}</b>{{#particulars}} · {{particulars}}{{/particulars}} <small class="muted">{{actor}} · {{at}}</small>{{#note}}<p>{{note}}</p>{{/note}}</div>{{/handlings}}
          {{#canHandle}}
          <form method="post" action="/cases/{{caseID}}/handling" class="stacked" id="handling-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label>Outcome 处置结果 <select name="outcome" id="h-outcome" required>{{#outcomes}}<option value="{{value}}">{{label}}</option>{{/outcomes}}</select></label>
            <div class="row"><label>Penalty (yuan) 罚款金额 <input name="penalty_yuan" id="h-penalty" inputmode="decimal" placeholder="2000"></label>
            <label>Document no. 决定书编号 <input name="document_number" id="h-document" placeholder="万城管罚〔2026〕123号"></label></div>
            <label>Transferred to 移交部门 <input name="transferred_to" id="h-transferred" placeholder="traffic_police"></label>
            <label>Note 说明 <textarea name="note" id="h-note" rows="3"></textarea></label>
            <button id="h-submit">Record outcome 提交处置</button>
          </form>
          {{/canHandle}}
          <h3>Photos 现场照片 <small class="muted">{{photoCount}} of at most {{maxPhotos}}</small></h3>
          <div class="photos" id="photos">
          {{#photos}}<figure class="photo"><a href="{{url}}"><img src="{{url}}" alt="{{name}}" loading="lazy"></a>
            <figcaption><b>{{name}}</b> · {{size}}<br>taken {{#taken}}<span class="taken">{{taken}}</span>{{/taken}}{{^taken}}<span class="muted">(no EXIF time)</span>{{/taken}}<br>GPS {{#gps}}<span class="gps">{{gps}}</span>{{#gpsLinks}} <a href="{{geo}}">map</a>{{/gpsLinks}}{{/gps}}{{^gps}}<span class="muted">(none in EXIF)</span>{{/gps}}<br><small class="muted">added by {{addedBy}} · {{added}}</small></figcaption></figure>{{/photos}}
          {{^photos}}<p class="muted">No photos yet.</p>{{/photos}}
          </div>
          {{#canUpload}}
          <form method="post" action="/cases/{{caseID}}/photos" enctype="multipart/form-data" class="stacked" id="photo-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label>Add photos 上传照片 (JPEG, PNG or WebP, at most {{maxMB}} MB each, {{maxPerUpload}} at a time) <input type="file" name="photo" id="photo-input" accept="image/jpeg,image/png,image/webp" capture="environment" multiple required></label>
            <button id="photo-submit">Upload 上传</button>
          </form>
          {{/canUpload}}
          {{#evaluations}}<div class="evaluation"><b>{{verdict}}</b> · {{timing}} <small class="muted">{{actor}} · {{at}}</small>{{#reason}}<p>{{reason}}</p>{{/reason}}</div>{{/evaluations}}
          {{#canEvaluate}}
          <form method="post" action="/cases/{{caseID}}/evaluation" class="stacked" id="evaluation-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <p>Evaluation 评估: {{#onTime}}<b id="eval-timing">{{onTime}}</b>{{/onTime}}</p>
            <label>Reason when sending back 退回原因 <textarea name="reason" id="e-reason" rows="2"></textarea></label>
            <div class="row"><button name="verdict" value="proper" id="e-proper" class="closed">Handled properly, close 处置得当·结案</button>
            <button name="verdict" value="sent_back" id="e-sent-back" class="open">Send back 退回重办</button></div>
          </form>
          {{/canEvaluate}}
        </section>
        """

    static let handlingStats = """
        <h2 id="handling-stats">Handling 处置与评估 <small>per department and week of first dispatch</small></h2>
        <div class="kpis" id="overdue-now"><div class="kpi"><span>overdue now 当前超时</span><b>{{overdueTotal}}</b></div>{{#overdue}}<div class="kpi"><span>{{department}}</span><b>{{count}}</b></div>{{/overdue}}</div>
        <section class="stat" id="stat-handling">
          <table class="list" id="handling-table"><thead><tr><th>Department</th><th>Week of</th><th class="n">Dispatched</th><th class="n">Handled</th><th class="n">To dispatch</th><th class="n">To handle</th><th class="n">On time</th><th class="n">Sent back</th></tr></thead><tbody>
          {{#rows}}<tr class="handling-row"><td>{{department}}</td><td>{{week}}</td><td class="n">{{dispatched}}</td><td class="n">{{handled}}</td><td class="n">{{toDispatch}}</td><td class="n">{{toHandle}}</td><td class="n">{{onTime}}</td><td class="n">{{sentBack}}</td></tr>{{/rows}}
          {{^rows}}<tr><td colspan="8" class="empty">No case dispatched yet.</td></tr>{{/rows}}
          </tbody></table>
        </section>
        """
}
