// Progressive enhancement only: every page works without this file.
// Timeline: activating a dot on the date axis opens the matching entry and moves focus to it.
(function () {
  "use strict";
  function openEntry(id) {
    if (!id) return;
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.open = true;
      var summary = el.querySelector("summary");
      if (summary) summary.focus();
    }
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.dot-link") : null;
    if (link) openEntry(link.getAttribute("data-entry"));
  });
  window.addEventListener("hashchange", function () { openEntry(location.hash.slice(1)); });
  document.addEventListener("DOMContentLoaded", function () { openEntry(location.hash.slice(1)); });
})();
