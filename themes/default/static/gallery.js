// jianbao gallery filters, instantly. Without this script every filter link opens a
// pre-rendered page (gallery/department/<id>/ ...); with it, a click on the all-cases
// page hides the cards that do not match, marks the link and records the filter in the
// URL hash (#department=mishu), so the back button and a shared link keep it.
(function () {
  "use strict";
  var grid = document.getElementById("gallery-all");
  var bar = document.querySelector(".gallery-filters");
  if (!grid || !bar) return;
  var cards = Array.prototype.slice.call(grid.children);
  var links = Array.prototype.slice.call(bar.querySelectorAll("a[data-filter]"));
  var count = document.querySelector(".gallery-count .n");

  function matches(card, key, value) {
    if (!key) return true;
    var v = card.getAttribute("data-" + key) || "";
    return key === "tag" ? v.split(" ").indexOf(value) !== -1 : v === value;
  }

  function apply(key, value) {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, key, value);
      card.hidden = !ok;
      if (ok) shown++;
    });
    links.forEach(function (a) {
      var on = (a.getAttribute("data-filter") || "") === key &&
        (!key || a.getAttribute("data-value") === value);
      a.classList.toggle("current", on);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    if (count) count.textContent = String(shown);
  }

  function fromHash() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ""));
    var at = h.indexOf("=");
    var key = at > 0 ? h.slice(0, at) : "", value = at > 0 ? h.slice(at + 1) : "";
    // A hash that names no filter of this page (an old link) shows every card.
    var known = links.some(function (a) {
      return a.getAttribute("data-filter") === key && a.getAttribute("data-value") === value;
    });
    if (known) apply(key, value); else apply("", "");
  }

  bar.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-filter]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    var key = a.getAttribute("data-filter") || "", value = a.getAttribute("data-value") || "";
    var hash = key ? "#" + key + "=" + encodeURIComponent(value) : "";
    history.pushState(null, "", location.pathname + location.search + hash);
    apply(key, value);
  });
  window.addEventListener("popstate", fromHash);
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
