// Progressive enhancement only: every page works without this file.
// Timeline: a link to an entry (#t-…, e.g. from another page) opens that entry and moves focus to it.
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
  window.addEventListener("hashchange", function () { openEntry(location.hash.slice(1)); });
  document.addEventListener("DOMContentLoaded", function () { openEntry(location.hash.slice(1)); });
})();
