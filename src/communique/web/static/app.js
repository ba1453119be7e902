// communique dashboard: a few enhancements; every page works without them.
// Never inserts markup built from data: text goes in with textContent only.
(function () {
  "use strict";

  // Article page: /documents/{id}#e3 highlights event 3's sentence and its card;
  // #e3-m1 the sentence of its mention 1, the card and that mention in it;
  // #q2 highlights quote 2.
  function highlightTarget() {
    document.querySelectorAll(".hl").forEach(function (el) {
      if (!el.closest(".legend")) el.classList.remove("hl");
    });
    var m = /^#([eq])(\d+)(?:-m(\d+))?$/.exec(window.location.hash);
    if (!m || (m[3] !== undefined && m[1] !== "e")) return;
    var cls = m[3] !== undefined ? "sm" + m[2] + "-" + m[3] : (m[1] === "e" ? "se" : "sq") + m[2];
    var parts = document.querySelectorAll(".article-text ." + cls);
    parts.forEach(function (el) { el.classList.add("hl"); });
    var card = document.getElementById(m[1] === "e" ? "card-e" + m[2] : "quote-" + m[2]);
    if (card) card.classList.add("hl");
    var item = m[3] !== undefined ? document.getElementById("card-e" + m[2] + "-m" + m[3]) : null;
    if (item) item.classList.add("hl");
    if (parts.length) {
      document.body.classList.add("has-target");
      parts[0].scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("hashchange", highlightTarget);
  document.addEventListener("DOMContentLoaded", highlightTarget);

  // Events filters: a change of a select submits the form.
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("event-filters");
    if (!form) return;
    form.querySelectorAll("select").forEach(function (sel) {
      sel.addEventListener("change", function () { form.submit(); });
    });
  });

  // /docs: "Try it" forms fetch the endpoint and show the JSON as text.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.try").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var path = form.getAttribute("data-path");
        var query = new URLSearchParams();
        form.querySelectorAll("input").forEach(function (input) {
          if (!input.value) return;
          if (input.getAttribute("data-in") === "path") {
            path = path.replace("{" + input.name + "}", encodeURIComponent(input.value));
          } else {
            query.append(input.name, input.value);
          }
        });
        var url = path + (query.toString() ? "?" + query.toString() : "");
        var out = form.querySelector("output");
        out.hidden = false;
        out.textContent = "GET " + url + " …";
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (r) {
            return r.text().then(function (body) {
              var shown = body;
              try { shown = JSON.stringify(JSON.parse(body), null, 2); } catch (e) { /* not JSON */ }
              out.textContent = "GET " + url + " → " + r.status + "\n" + shown;
            });
          })
          .catch(function (err) { out.textContent = "GET " + url + " failed: " + err; });
      });
    });
  });
})();
