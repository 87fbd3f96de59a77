// Triage queue: "j" (or the down arrow, from a group) moves to the next group, "k" (or
// the up arrow) to the previous one, and a screen reader hears which group it is on.
// Works without this script too: every group is a heading in the page and has an anchor.
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var status = document.getElementById("group-status");
  if (!groups.length) return;

  function currentIndex() {
    var active = document.activeElement;
    var focused = active && active.closest ? active.closest("[data-group]") : null;
    if (focused) return groups.indexOf(focused);
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].getBoundingClientRect().top > 8) return i - 1;
    }
    return groups.length - 1;
  }

  function go(step) {
    var next = Math.min(groups.length - 1, Math.max(0, currentIndex() + step));
    groups[next].focus({ preventScroll: true });
    groups[next].scrollIntoView({ block: "start" });
    if (status && status.dataset.template) {
      status.textContent = status.dataset.template
        .replace("{n}", String(next + 1)).replace("{total}", String(groups.length));
    }
    if (history.replaceState) history.replaceState(null, "", "#" + groups[next].id);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target || {};
    var tag = target.tagName || "";
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON|SUMMARY)$/.test(tag) || target.isContentEditable) return;
    var onGroup = target.hasAttribute && target.hasAttribute("data-group");
    if (event.key === "j" || (onGroup && event.key === "ArrowDown")) { event.preventDefault(); go(1); }
    if (event.key === "k" || (onGroup && event.key === "ArrowUp")) { event.preventDefault(); go(-1); }
  });
})();
