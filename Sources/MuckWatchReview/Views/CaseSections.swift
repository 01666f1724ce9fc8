/// Parts of the case page the printable evidence sheet (issue #21) prints as they are: each
/// violation with its evidence, the manifests, gate passes, permit and vehicle, and the audit
/// trail. Partials (`{{> case-records}}`) of both templates, so the sheet and the page never differ.
enum CaseSections {
    static let all: [String: String] = [
        "case-violation-list": violationList, "case-records": records, "case-audit": audit,
        "case-raw-fixes": rawFixes,
    ]

    static let violationList = """
          {{#violations}}
          <article class="violation" id="v{{n}}"><h3><span class="num">{{n}}</span> <span class="vt vt-{{type}}">{{label}}</span> <small>{{window}} · {{source}}</small></h3>
            <p>{{detail}}</p>
            <dl>
              {{#fixRanges}}<dt>GPS fixes</dt><dd>{{fixRanges}}</dd>{{/fixRanges}}
              {{#sensors}}<dt>Sensor readings</dt><dd>{{sensors}}</dd>{{/sensors}}
              {{#cameras}}<dt>Camera events</dt><dd>{{#cameraList}}<span class="cam">{{id}}{{#checkpoint}} at {{checkpoint}}{{/checkpoint}}{{#time}} {{time}}{{/time}}{{#kind}} ({{kind}}){{/kind}}{{#image}} · image <code>{{image}}</code>{{/image}}</span> {{/cameraList}}</dd>{{/cameras}}
              {{#images}}<dt>Images</dt><dd><code>{{images}}</code></dd>{{/images}}
              {{#manifestIDs}}<dt>Manifests</dt><dd>{{manifestIDs}}</dd>{{/manifestIDs}}
              {{#gateIDs}}<dt>Gate passes</dt><dd>{{gateIDs}}</dd>{{/gateIDs}}
              <dt>Position</dt><dd>{{position}}</dd>
            </dl>
            {{#rawFixes}}{{> case-raw-fixes}}{{/rawFixes}}
          </article>
          {{/violations}}
        """

    /// Issue #24: a violation's raw fixes from the gateway's journal (the case page only).
    static let rawFixes = """
            <details class="raw-fixes" id="raw{{n}}"{{#hasRawRows}} open{{/hasRawRows}}><summary>Raw fixes (journal) 原始定位</summary>
              {{#rawSummary}}<p class="raw-summary">{{rawSummary}}</p>{{/rawSummary}}
              {{#rawNote}}<p class="raw-note muted">{{rawNote}}</p>{{/rawNote}}
              {{#hasRawRows}}<table class="list raw-table"><thead><tr><th>Fix time</th><th>Received</th><th>Message</th><th>lon, lat</th><th class="n">speed_kmh</th><th class="n">heading</th><th class="n">load_t</th><th class="n">lift</th><th class="n">lid</th><th>On map</th></tr></thead><tbody>
              {{#rawRows}}<tr class="raw-fix{{#late}} late{{/late}}{{#onMap}} kept{{/onMap}}"><td>{{time}}</td><td>{{received}}</td><td>{{message}}{{#late}} <small>blind-area</small>{{/late}}</td><td>{{position}}</td><td class="n">{{speed}}</td><td class="n">{{heading}}</td><td class="n">{{load}}</td><td class="n">{{lift}}</td><td class="n">{{lid}}</td><td>{{#onMap}}●{{/onMap}}</td></tr>{{/rawRows}}
              </tbody></table>{{/hasRawRows}}
            </details>
        """

    static let records = """
        {{#hasManifests}}
        <section id="manifests"><h2>Manifests 电子联单</h2>
          <table class="list"><thead><tr><th>Manifest</th><th>State</th><th>Waste</th><th class="n">Declared</th><th class="n">Received</th><th>Planned disposal</th><th>Actually unloaded</th><th>Opened</th><th>Closed</th><th>Permit · driver</th></tr></thead><tbody>
          {{#manifests}}<tr class="case-manifest" id="cm-{{id}}"><td>{{id}}</td><td><span class="status ms-{{state}}">{{stateLabel}}</span></td><td>{{waste}}</td><td class="n declared">{{declared}}</td><td class="n received">{{received}}</td>
            <td>{{planned}}</td><td class="{{#closedElsewhere}}bad{{/closedElsewhere}}">{{actual}}</td><td>{{opened}}</td><td class="{{#closedElsewhere}}bad{{/closedElsewhere}}">{{closed}}</td><td>{{permit}} · {{driver}}</td></tr>{{/manifests}}
          </tbody></table>
        </section>
        {{/hasManifests}}
        {{#hasGates}}
        <section id="gates"><h2>Gate passes 过闸记录</h2>
          <table class="list"><thead><tr><th>Pass</th><th>Time</th><th>Site</th><th>Direction</th><th>Plate</th><th>Tag 电子标签</th><th class="n">Gross</th><th class="n">Tare</th><th class="n">Net</th><th>Manifest</th><th>Image</th></tr></thead><tbody>
          {{#gatePasses}}<tr class="gate-row{{#cited}} cited{{/cited}}" id="g-{{id}}"><td>{{id}}{{#cited}} <small class="muted">evidence</small>{{/cited}}</td><td>{{time}}</td><td>{{site}}</td><td>{{direction}}</td><td>{{plate}}</td><td><code>{{tag}}</code></td>
            <td class="n">{{gross}}</td><td class="n">{{tare}}</td><td class="n net">{{net}}</td><td>{{#manifest}}{{manifest}}{{/manifest}}{{^manifest}}—{{/manifest}}</td><td>{{#image}}<code>{{image}}</code>{{/image}}{{^image}}—{{/image}}</td></tr>{{/gatePasses}}
          </tbody></table>
        </section>
        {{/hasGates}}
        <div class="two">
          <section><h2>Permit 核准</h2>
            {{#permit}}<dl class="kv" id="permit"><dt>Permit</dt><dd>{{id}}</dd><dt>Source</dt><dd>{{source}}</dd><dt>Disposal</dt><dd>{{disposal}}</dd><dt>Route</dt><dd>{{route}}</dd><dt>Valid</dt><dd>{{valid}}</dd><dt>Hours</dt><dd>{{hours}}</dd><dt>Vehicles</dt><dd>{{vehicles}}</dd></dl>{{/permit}}
            {{^permit}}<p id="permit">{{noPermit}}</p>{{/permit}}
          </section>
          <section><h2>Vehicle 车辆</h2>
            {{#vehicleFacts}}<dl class="kv" id="vehicle"><dt>Plate</dt><dd>{{id}}</dd><dt>Company</dt><dd>{{company}}</dd><dt>Rated load</dt><dd>{{rated}}</dd><dt>Terminal</dt><dd>{{terminal}}</dd></dl>{{/vehicleFacts}}
            {{^vehicleFacts}}<p id="vehicle">Not in the vehicle registry the run read.</p>{{/vehicleFacts}}
          </section>
        </div>
        """

    static let audit = """
        <section><h2>Audit trail 审计记录</h2>
          <table class="list" id="audit"><thead><tr><th>When</th><th>Who</th><th>What</th><th>From</th><th>To</th><th>Note</th></tr></thead><tbody>
          {{#events}}<tr class="audit-row"><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{from}}</td><td>{{to}}</td><td class="note">{{note}}</td></tr>{{/events}}
          </tbody></table>
        </section>
        """
}
