extension Templates {
    /// Partial `deliveries` of the case page (issue #20): each webhook delivery of the case's
    /// dispatches with its tries. Shown only when the case has any.
    static let deliveries = """
        {{#hasDeliveries}}
        <section id="deliveries"><h2>Dispatch deliveries 分派推送</h2>
          {{#deliveries}}
          <article class="delivery dl-{{state}}" id="delivery-{{id}}">
            <h3>{{department}} <span class="status dl-{{state}}">{{state}}</span> <small>{{summary}}</small></h3>
            <table class="list attempts"><thead><tr><th>Try</th><th>When</th><th>Answer</th><th class="n">Time</th><th>Error</th></tr></thead><tbody>
            {{#attempts}}<tr class="attempt"><td>{{n}}</td><td>{{at}}</td><td>{{answer}}</td><td class="n">{{duration}}</td><td>{{error}}</td></tr>{{/attempts}}
            {{^attempts}}<tr><td colspan="5" class="muted">Not tried yet.</td></tr>{{/attempts}}
            </tbody></table>
          </article>
          {{/deliveries}}
        </section>
        {{/hasDeliveries}}
        """
}
