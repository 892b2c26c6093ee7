// jianbao site search. The index (search/index.js) holds every record's plain text;
// a query matches substrings, so Chinese needs no word segmentation: any name, phrase
// or mix of Chinese and ASCII is found. Title matches rank above body matches.
(function () {
  "use strict";
  var index = window.JIANBAO_SEARCH;
  var form = document.getElementById("search-form");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!index || !form || !results) return;
  var base = form.getAttribute("data-base") || "/";
  var deptNames = {};
  (index.departments || []).forEach(function (d) { deptNames[d[0]] = d[1]; });
  // The index stores a department's name once and only summaries authors wrote; fill in
  // the name and, for the rest, the start of the body.
  var docs = index.docs.map(function (d) {
    d.dn = d.dn || deptNames[d.di] || "";
    d.s = d.s || (d.b || "").slice(0, 120);
    return {
      raw: d,
      t: norm(d.t), p: norm(d.p), g: norm(d.g), dn: norm(d.dn), s: norm(d.s), b: norm(d.b)
    };
  });
  var labels = {};
  index.kinds.forEach(function (k) { labels[k[0]] = k[1]; });

  function norm(s) {
    return (s || "").normalize("NFKC").toLowerCase();
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function count(hay, needle) {
    var n = 0, at = hay.indexOf(needle);
    while (at !== -1 && n < 5) { n++; at = hay.indexOf(needle, at + needle.length); }
    return n;
  }

  function score(doc, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i], s = 0;
      if (doc.t.indexOf(term) !== -1) s += doc.t === term ? 150 : 100;
      if (doc.g.indexOf(term) !== -1) s += 40;
      if (doc.p.indexOf(term) !== -1) s += 30;
      if (doc.dn.indexOf(term) !== -1) s += 20;
      if (doc.s.indexOf(term) !== -1) s += 10;
      s += count(doc.b, term);
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  // The text around the first match, with every term marked.
  function snippet(doc, terms) {
    var text = doc.raw.b || doc.raw.s, lower = norm(text), at = -1;
    for (var i = 0; i < terms.length && at === -1; i++) at = lower.indexOf(terms[i]);
    if (at === -1) { text = doc.raw.s || text; lower = norm(text); at = 0; }
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + 80);
    var piece = text.slice(start, end), lowPiece = lower.slice(start, end), html = "", pos = 0;
    while (pos < piece.length) {
      var best = -1, len = 0;
      for (var j = 0; j < terms.length; j++) {
        var k = lowPiece.indexOf(terms[j], pos);
        if (k !== -1 && (best === -1 || k < best)) { best = k; len = terms[j].length; }
      }
      if (best === -1) { html += escapeHtml(piece.slice(pos)); break; }
      html += escapeHtml(piece.slice(pos, best)) + "<mark>" + escapeHtml(piece.slice(best, best + len)) + "</mark>";
      pos = best + len;
    }
    return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
  }

  // 2026-03-06 -> 2026年3月6日, as the pages write dates.
  function dateZh(d) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : d;
  }

  // The people of a record, at most four of them: a session lists everyone present.
  function names(p) {
    var all = p.split(" ").filter(Boolean);
    return all.slice(0, 4).join("、") + (all.length > 4 ? "等" + all.length + "人" : "");
  }

  function run() {
    var data = new FormData(form);
    var q = (data.get("q") || "").toString().trim();
    var kind = (data.get("kind") || "").toString();
    var dept = (data.get("dept") || "").toString();
    var year = (data.get("year") || "").toString();
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (kind) params.set("kind", kind);
    if (dept) params.set("dept", dept);
    if (year) params.set("year", year);
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    var terms = norm(q).split(/\s+/).filter(Boolean);
    if (!terms.length) {
      results.innerHTML = "";
      status.textContent = "请输入要查找的词语，如：行政许可、张伟、2026年第二季度。";
      return;
    }
    var found = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i], r = d.raw;
      if (kind && r.k !== kind) continue;
      if (dept && r.di !== dept) continue;
      if (year && r.d.slice(0, 4) !== year) continue;
      var s = score(d, terms);
      if (s > 0) found.push({ doc: d, score: s });
    }
    found.sort(function (a, b) {
      return b.score - a.score || (a.doc.raw.d < b.doc.raw.d ? 1 : a.doc.raw.d > b.doc.raw.d ? -1 : 0);
    });
    status.textContent = found.length ? "找到 " + found.length + " 条记录" : "没有找到包含“" + q + "”的记录。";
    results.innerHTML = found.slice(0, 100).map(function (f) {
      var r = f.doc.raw;
      return '<li class="search-hit"><a href="' + base + escapeHtml(r.u) + '">' + escapeHtml(r.t) + "</a>" +
        '<div class="meta">' + escapeHtml(labels[r.k] || r.k) + (r.d ? " · " + escapeHtml(dateZh(r.d)) : "") +
        (r.dn ? " · " + escapeHtml(r.dn) : "") + (r.p ? " · " + escapeHtml(names(r.p)) : "") + "</div>" +
        '<p class="snippet">' + snippet(f.doc, terms) + "</p></li>";
    }).join("");
  }

  var params = new URLSearchParams(location.search);
  ["q", "kind", "dept", "year"].forEach(function (name) {
    var field = form.elements[name];
    if (field && params.get(name)) field.value = params.get(name);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  run();
})();
