/* The filters of the dataset report (python -m builder.report); inlined into the page.
   Rows are in the page already: this script only shows or hides them. The filters can be
   preset in the address (report.html#kind=real&min_score=0.9, or ?kind=real), and the
   address follows the filters, so a view can be linked. <body> carries what the page
   shows (data-rows-shown, data-rows-rendered, data-images-loaded, ...) for a reader or a
   test that only sees the DOM. */
(function () {
  "use strict";
  var FIELDS = ["split", "kind", "recipe", "category", "min_score", "max_cer"];
  var body = document.body;
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("article.row"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("h3.group"));
  var images = Array.prototype.slice.call(document.querySelectorAll("#plots img"));

  function number(text) {
    if (text === null || text === undefined || String(text).trim() === "") return null;
    var x = Number(text);
    return isFinite(x) ? x : null;
  }

  function current() {
    var f = {};
    FIELDS.forEach(function (name) { f[name] = form.elements[name].value; });
    return f;
  }

  function matches(row, f) {
    var d = row.dataset;
    if (f.split && d.split !== f.split) return false;
    if (f.kind && d.kind !== f.kind) return false;
    if (f.recipe && d.recipe !== f.recipe) return false;
    if (f.category && (" " + d.cats + " ").indexOf(" " + f.category + " ") < 0) return false;
    var minScore = number(f.min_score), maxCer = number(f.max_cer);
    if (minScore !== null) {
      var score = number(d.score);
      if (score === null || score < minScore) return false;
    }
    if (maxCer !== null) {
      var cer = number(d.cer);
      if (cer === null || cer > maxCer) return false;
    }
    return true;
  }

  function writeAddress(f) {
    var parts = [];
    FIELDS.forEach(function (name) {
      if (f[name] !== "") parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(f[name]));
    });
    var url = location.pathname + location.search + (parts.length ? "#" + parts.join("&") : "");
    try { history.replaceState(null, "", url); } catch (e) { /* some viewers forbid it */ }
  }

  function update(write) {
    var f = current();
    var shown = 0, rendered = 0;
    rows.forEach(function (row) {
      var ok = matches(row, f);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (g) {
      g.hidden = !rows.some(function (row) {
        return !row.hidden && row.dataset.split === g.dataset.split && row.dataset.kind === g.dataset.kind;
      });
    });
    rows.forEach(function (row) {
      if (!row.hidden && row.getBoundingClientRect().height > 0) rendered += 1;
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length;
    document.getElementById("no-rows").hidden = shown > 0 || rows.length === 0;
    body.dataset.rowsTotal = String(rows.length);
    body.dataset.rowsShown = String(shown);
    body.dataset.rowsRendered = String(rendered);
    body.dataset.filter = FIELDS.filter(function (n) { return f[n] !== ""; })
      .map(function (n) { return n + "=" + f[n]; }).join("&");
    if (write) writeAddress(f);
  }

  function preset() {
    var params = new URLSearchParams(location.search);
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") >= 0) {
      new URLSearchParams(hash).forEach(function (value, key) { params.set(key, value); });
    }
    var problems = [];
    FIELDS.forEach(function (name) {
      if (!params.has(name)) return;
      var el = form.elements[name], value = params.get(name);
      if (el.tagName === "SELECT") {
        var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
        if (!known) { problems.push(name + "=" + value); return; }
      } else if (number(value) === null) {
        problems.push(name + "=" + value);
        return;
      }
      el.value = value;
    });
    document.getElementById("preset-problem").textContent =
      problems.length ? " (not in this sample, ignored: " + problems.join(", ") + ")" : "";
    body.dataset.presetIgnored = problems.join("&");
  }

  function countImages() {
    var loaded = images.filter(function (img) { return img.complete && img.naturalWidth > 0; }).length;
    body.dataset.imagesTotal = String(images.length);
    body.dataset.imagesLoaded = String(loaded);
  }

  form.addEventListener("input", function () { update(true); });
  form.addEventListener("change", function () { update(true); });
  form.addEventListener("reset", function () { setTimeout(function () { update(true); }, 0); });
  window.addEventListener("hashchange", function () {
    if (location.hash.indexOf("=") >= 0) { form.reset(); preset(); update(false); }
  });
  preset();
  update(false);
  countImages();
  window.addEventListener("load", function () {
    update(false);
    countImages();
    body.dataset.ready = "1";
  });
})();
